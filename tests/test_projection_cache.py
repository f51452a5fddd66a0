"""The projection cache builds once per version and key, and never computes while holding its shared lock (#11)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import networkx as nx

from innograph.queries.projection import ProjectionCache

WAIT_S = 10.0


class FakeStore:
    """A graph source whose version the test moves and whose reads it counts."""

    def __init__(self) -> None:
        self.current = 1
        self.reads = 0

    def version(self) -> int:
        return self.current

    def to_networkx(self) -> nx.MultiDiGraph:
        self.reads += 1
        graph = nx.MultiDiGraph()
        graph.add_node("a", labels=["Company", "Organisation"], name="A", kind="Company")
        return graph


def test_two_requests_for_the_same_version_and_key_build_once() -> None:
    store, builds, release = FakeStore(), [], threading.Event()
    cache = ProjectionCache(store)

    def slow(projection) -> int:
        builds.append(projection.version)
        release.wait(WAIT_S)
        return len(builds)

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.derived, "slow", slow)
        second = pool.submit(cache.derived, "slow", slow)
        release.set()
        assert first.result(WAIT_S) == second.result(WAIT_S) == 1
    assert builds == [1] and store.reads == 1
    store.current = 2  # another write: the next request builds again, once
    assert cache.derived("slow", slow) == 2 and store.reads == 2


def test_a_slow_build_does_not_block_other_keys() -> None:
    cache, started, release = ProjectionCache(FakeStore()), threading.Event(), threading.Event()

    def slow(_) -> str:
        started.set()
        release.wait(WAIT_S)
        return "analysis"

    with ThreadPoolExecutor(1) as pool:
        analysis = pool.submit(cache.derived, "analysis", slow)
        assert started.wait(WAIT_S)
        # While the analysis is still being computed, a path request's tie graph and the projection are served.
        assert cache.derived("ties", lambda projection: "ties") == "ties"
        assert cache.projection().version == 1
        assert not analysis.done()
        release.set()
        assert analysis.result(WAIT_S) == "analysis"
