"""Before the first client test, every client the collected tests need starts installing at
once, each in a thread of its own: pip mostly waits on the network and unpacks, so on a
cold cache they take about as long together as the longest alone. A test that needs a
client still asks for it itself and waits (on its lock) until it is there, or is skipped
with the reason its install gave."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.clients.clients import READY


@pytest.fixture(scope="session", autouse=True)
def clients_installed_at_once(request: pytest.FixtureRequest) -> Iterator[None]:
    needed = {name for item in request.session.items
              for name in getattr(getattr(item, "module", None), "NEEDS", ())}
    with ThreadPoolExecutor(max_workers=max(len(needed), 1)) as pool:
        for name in sorted(needed):
            pool.submit(_quietly, READY[name])
        yield


def _quietly(make: Callable[[], object]) -> None:
    """A client's install; its skip or failure is met again by the test that needs it."""
    with contextlib.suppress(BaseException):
        make()
