"""A child process that saves spans one after another and reports each once it is saved.

Used by the durability tests: they kill it, or run two at once, or cap its file size.
"""

import random
import signal
import sys

from tui.core.document.model import GlossError
from tui.core.store.dataset import Dataset

folder, doc_id, count, who = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
dataset = Dataset(folder, who)
length = len(dataset.document(doc_id).text)
base = random.randrange(length)  # a span identical to one saved is not saved twice:
for n in range(count):  # each save here makes a new one
    start = (base + n) % (length - 5)
    try:
        span = dataset.new_span(doc_id, start, start + 5, f"CLAIM{n}")
    except GlossError as exc:
        print(f"error: {exc}", flush=True)
        sys.exit(2)
    print(span.id, flush=True)
