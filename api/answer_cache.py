"""Serialised answers of the current graph version, for requests that repeat (search as you type).

Keyed by the graph version and the request's parameters, so an answer is never served after the
graph moved on: the version comes from the version watch (:mod:`innograph.graph.versions`), which
sees a write on this machine at the next request. Per process, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

SIZE = 2048
"""Answers kept per process (a search page is a few KB, so a few MB at most)."""


class AnswerCache:
    """JSON bodies by (graph version, parameters); everything of an older version is dropped at once."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._version: int | None = None
        self._bodies: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: int, key: Hashable) -> bytes | None:
        """The body stored for ``key`` at ``version``, if any."""
        with self._lock:
            if version != self._version:
                return None
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, version: int, key: Hashable, body: bytes) -> None:
        """Keep ``body`` for ``key`` at ``version`` (a newer version empties the cache first).

        >>> cache = AnswerCache(size=1)
        >>> cache.put(3, "a", b"1"); cache.put(3, "b", b"2")
        >>> cache.get(3, "a"), cache.get(3, "b"), cache.get(4, "b")
        (None, b'2', None)
        """
        with self._lock:
            if self._version is None or version > self._version:
                self._version, self._bodies = version, OrderedDict()
            if version != self._version:
                return
            self._bodies[key] = body
            self._bodies.move_to_end(key)
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
