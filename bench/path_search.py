"""The path search alone, in one process: the NumPy search against the compiled one (issue 14).

    .venv/bin/python bench/path_search.py [--orgs 5000] [--pairs 200] [--repeat 3]

No Neo4j, no HTTP: the synthetic ecosystem (``loaders.synthetic.generate(orgs, seed=1)``, the
graph ``bench/paths.py`` loads) is turned into the store's projection shape here and into a tie
graph. For ``--pairs`` random pairs of organisations in the largest component (fixed seed), it
times what ``find_paths`` spends on the search — the intermediary mask, the hop-bounded lower
bounds and the best-first enumeration, ``max_hops`` 4 — for ``k`` 1 and 3: the NumPy search as
it was (``reference`` in ``tests/test_path_search.py``) and :func:`queries.path_search.k_best_paths`.
Each pair runs ``--repeat`` times per side, the best time counts; p50 and p99 over the pairs in
microseconds and their ratio are printed. Both sides must return the same paths (checked).
The compiled kernels are warmed up (compiled or loaded from the cache) before timing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from innograph.loaders import synthetic  # noqa: E402
from innograph.queries.path_search import k_best_paths, warm_up  # noqa: E402
from innograph.queries.paths import intermediary_mask  # noqa: E402
from innograph.queries.tie_graph import CLUSTER_KIND, TieGraph, build_tie_graph  # noqa: E402
from tests.test_path_search import reference  # noqa: E402

MAX_HOPS = 4
HOME_PREFIX = "DEG"  # Thuringia's NUTS code, as INNOGRAPH_HOME_REGIONS would mark home organisations
Search = Callable[[TieGraph, np.ndarray, int, int, int], list[tuple[float, tuple[int, ...]]]]


def projection(eco: synthetic.SyntheticEcosystem) -> nx.MultiDiGraph:
    """What ``Store.to_networkx`` would read back after loading ``eco``: the parts the tie graph uses."""
    graph = nx.MultiDiGraph()
    for org in eco.organisations:
        home = bool(org.region and org.region.startswith(HOME_PREFIX))
        graph.add_node(org.id, labels=["Organisation", org.kind.value], kind=org.kind.value, name=org.name,
                       city=org.city, region=org.region, country=org.country, home=home)  # fmt: skip
    for project in eco.projects:
        graph.add_node(project.id, labels=["Project"], **{k: project.row()[k] for k in ("acronym", "title")},
                       start_year=project.start.year if project.start else None,
                       end_year=project.end.year if project.end else None)  # fmt: skip
    for cluster in eco.clusters:
        graph.add_node(cluster.id, labels=["Cluster"], name=cluster.name)
    for p in eco.participations:
        graph.add_edge(p.org_id, p.project_id, key="PARTICIPATES_IN", type="PARTICIPATES_IN")
    for m in eco.management:
        graph.add_edge(m.org_id, m.cluster_id, key="MANAGES", type="MANAGES")
    for m in eco.memberships:
        graph.add_edge(m.org_id, m.cluster_id, key="MEMBER_OF", type="MEMBER_OF", since=m.since)
    return graph


def numpy_search(ties: TieGraph, costs: np.ndarray, s: int, t: int, k: int) -> list[tuple[float, tuple[int, ...]]]:
    return reference(ties, costs, intermediary_mask(ties, {s}), s, t, k, MAX_HOPS)


def compiled_search(ties: TieGraph, costs: np.ndarray, s: int, t: int, k: int) -> list[tuple[float, tuple[int, ...]]]:
    return k_best_paths(ties.indptr, ties.indices, costs, intermediary_mask(ties, {s}), s, t, k, MAX_HOPS)


def pairs_in_largest_component(ties: TieGraph, count: int, seed: int = 1) -> list[tuple[int, int]]:
    """``count`` random distinct organisation pairs, both ends in the largest connected component."""
    component = ties.component
    sizes: dict[int, int] = {}
    for c in component.values():
        sizes[c] = sizes.get(c, 0) + 1
    largest = max(sizes, key=sizes.__getitem__)
    orgs = [i for i, node in enumerate(ties.ids) if component[node] == largest and ties.kinds[i] != CLUSTER_KIND]
    rng = random.Random(seed)
    return [tuple(rng.sample(orgs, 2)) for _ in range(count)]  # type: ignore[misc]


def timed(search: Search, ties: TieGraph, costs: np.ndarray, pairs: list[tuple[int, int]], k: int, repeat: int):
    """Best-of-``repeat`` microseconds per pair, and the answers."""
    times, answers = [], []
    for s, t in pairs:
        best = np.inf
        for _ in range(repeat):
            start = time.perf_counter()
            found = search(ties, costs, s, t, k)
            best = min(best, time.perf_counter() - start)
        times.append(best * 1e6)
        answers.append(found)
    return times, answers


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=5000, help="organisations in the synthetic ecosystem")
    parser.add_argument("--pairs", type=int, default=200, help="random pairs timed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per pair and side; the best counts")
    args = parser.parse_args()
    started = time.perf_counter()
    ties = build_tie_graph(projection(synthetic.generate(args.orgs, seed=1)))
    edges = len(ties.indices) // 2
    print(f"synthetic {args.orgs:,} organisations: tie graph of {len(ties.ids):,} nodes and {edges:,} ties "
          f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
    started = time.perf_counter()
    warm_up()
    print(f"warm-up (compile or load from the cache): {time.perf_counter() - started:.2f} s")
    costs, pairs = ties.entry_costs(), pairs_in_largest_component(ties, args.pairs)
    print(f"{len(pairs)} pairs, max_hops {MAX_HOPS}, best of {args.repeat}; microseconds per query")
    print(f"{'k':>3} {'NumPy p50':>10} {'p99':>8} {'compiled p50':>13} {'p99':>8} {'ratio p50':>10} {'p99':>6}")
    for k in (1, 3):
        slow, expected = timed(numpy_search, ties, costs, pairs, k, args.repeat)
        fast, found = timed(compiled_search, ties, costs, pairs, k, args.repeat)
        if found != expected:
            raise SystemExit(f"k={k}: the compiled search answered differently from the NumPy one")
        numpy_q, compiled_q = (percentile(slow, 50), percentile(slow, 99)), (percentile(fast, 50), percentile(fast, 99))
        print(f"{k:>3} {numpy_q[0]:>10,.0f} {numpy_q[1]:>8,.0f} {compiled_q[0]:>13,.0f} {compiled_q[1]:>8,.0f} "
              f"{numpy_q[0] / compiled_q[0]:>9.1f}x {numpy_q[1] / compiled_q[1]:>5.1f}x")  # fmt: skip
        print(f"    mean compiled {statistics.fmean(fast):,.0f} µs, NumPy {statistics.fmean(slow):,.0f} µs; "
              f"paths found {sum(map(len, found))} of {k * len(pairs)}")  # fmt: skip


if __name__ == "__main__":
    main()
