"""Training a model from the dataset (``gloss train``), without Textual or Rich.

``examples.py`` says which articles count and holds them as plain examples;
``pipeline.py`` turns them into spaCy ``Doc``s and writes the config (spaCy's own CPU
defaults, as ``spacy init config`` makes them); ``run.py`` trains with spaCy's training
loop and scores the held-out split; ``links.py`` is the SOURCE / ABOUT scorer and its
figures; ``store.py`` writes the model and its card where a reader never sees half of it.
Only ``pipeline.py``, ``run.py`` and the finder import spaCy, and only when called.

May import: tui.core.language, tui.core.document, tui.core.disk,
tui.core.attribution, tui.core.counts, tui.core.store.
"""
