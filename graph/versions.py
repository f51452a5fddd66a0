"""The graph's current versions for a serving process, without a Neo4j round trip per request.

Every write through :class:`~innograph.graph.store.Store` rewrites the machine's version stamp
(a small file in the data folder) after it commits. :class:`VersionWatch` reads that file on
every call (a few microseconds) and asks Neo4j only when the file changed or when ``poll_s`` has
passed since it last asked. So:

* a write by this process, or by any innograph process on this machine with the same data
  folder (the API's other workers, ``innograph load``), is seen by the very next call;
* a write from elsewhere (another machine, Cypher typed into Neo4j Browser) is seen within
  ``poll_s`` (0.5 s by default).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from innograph.graph.store import GraphVersions

POLL_S = 0.5
"""Longest time a serving process trusts its last reading of Neo4j's version when the stamp did not change."""


class VersionSource(Protocol):
    """What the watch reads (``graph.store.Store`` has it)."""

    stamp: Path | None

    def versions(self) -> GraphVersions: ...


class VersionWatch:
    """The store's :class:`GraphVersions`, re-read from Neo4j only when the stamp changed or ``poll_s`` passed."""

    def __init__(
        self, store: VersionSource, poll_s: float = POLL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self.poll_s = poll_s
        self._clock = clock
        self._lock = threading.Lock()
        self._known: tuple[bytes, float, GraphVersions] | None = None
        self.reads = 0
        """How many times this watch asked Neo4j (for tests and benchmarks)."""

    def _stamp(self) -> bytes:
        if self._store.stamp is None:
            return b""
        try:
            return self._store.stamp.read_bytes()
        except OSError:
            return b""

    def fresh(self) -> GraphVersions | None:
        """The versions if they can be told without asking Neo4j (the stamp unchanged, the last read recent), else None.

        For an event loop, which must not wait on the network: when this is None, call
        :meth:`current` from a worker thread.
        """
        stamp, now = self._stamp(), self._clock()
        with self._lock:
            known = self._known
        if known is not None and known[0] == stamp and now - known[1] < self.poll_s:
            return known[2]
        return None

    def current(self) -> GraphVersions:
        """The versions now: from memory when nothing changed, else one read of Neo4j.

        The stamp is read before Neo4j: a write in between makes the next call read again,
        it never leaves a newer write unseen.
        """
        known = self.fresh()
        if known is not None:
            return known
        stamp, now = self._stamp(), self._clock()
        versions = self._store.versions()
        with self._lock:
            self._known = (stamp, now, versions)
            self.reads += 1
        return versions
