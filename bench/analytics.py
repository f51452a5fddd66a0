"""Benchmark: the analytics suite (queries.metrics) against plain NetworkX calls, in the same run.

Graphs: the real H2020 Thuringia slice (built from ../shared/data's participations CSV, strength
1/(n-1) per shared project) and synthetic ecosystems of 5k / 50k / 200k organisations
(loaders.synthetic.generate if it runs, else a random bipartite org-project graph with heavy-tailed
consortium sizes, projected). Plain NetworkX runs with default settings on the real slice and 5k;
at 50k and 200k it is skipped (exact betweenness alone is hours there, effective_size needs a dense
n x n matrix). Usage: ``.venv/bin/python bench/analytics.py [--sizes 5000 50000 200000]``.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

from queries.metrics import MetricsParameters, compute_metrics
from queries.projection import cooperation_from_participations

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "cordis_h2020_thuringia"
KIND_BY_ACTIVITY = {"PRC": "Company", "HES": "University", "REC": "ResearchInstitute", "PUB": "PublicBody"}


def real_slice() -> nx.Graph:
    """The H2020 slice's cooperation graph."""
    with (SHARED / "organisations.csv").open(encoding="utf-8") as handle:
        orgs = {
            row["organisationID"]: {"name": row["name"], "kind": KIND_BY_ACTIVITY.get(row["activityType"])}
            for row in csv.DictReader(handle)
        }
    with (SHARED / "participations.csv").open(encoding="utf-8") as handle:
        return cooperation_from_participations([(r["pic"], r["rcn"]) for r in csv.DictReader(handle)], orgs)


def random_ecosystem(orgs: int, seed: int) -> nx.Graph:
    """Org-project bipartite graph: ~1 project per 3 organisations, consortium sizes 2 + Pareto(1.6), capped
    at 150, members drawn with preferential weights (a few hubs join many projects); projected."""
    rng = np.random.default_rng(seed)
    projects = orgs // 3
    sizes = np.minimum(2 + rng.pareto(1.6, projects).astype(int), 150)
    activity = rng.pareto(1.2, orgs) + 1
    p = activity / activity.sum()
    pairs = [(f"o{o}", f"p{j}") for j, size in enumerate(sizes) for o in rng.choice(orgs, size, replace=False, p=p)]
    return cooperation_from_participations(pairs, {f"o{i}": {} for i in range(orgs)})


def synthetic(orgs: int, seed: int = 7) -> tuple[nx.Graph, str]:
    try:
        from loaders.synthetic import generate

        eco = generate(orgs, seed)
        attributes = {o.id: {"name": o.name, "kind": o.kind.value, "region": o.region} for o in eco.organisations}
        pairs = [(p.org_id, p.project_id) for p in eco.participations]
        return cooperation_from_participations(pairs, attributes), "loaders.synthetic"
    except Exception as e:  # the generator is being written concurrently; fall back, say so
        print(f"  (loaders.synthetic unavailable: {type(e).__name__}: {e}; using the bench's own generator)")
        return random_ecosystem(orgs, seed), "bench random bipartite"


def plain_networkx(graph: nx.Graph) -> dict[str, float]:
    """The same metrics with plain NetworkX calls and default settings; seconds per call."""
    calls: dict[str, Callable[[], object]] = {
        "degree": lambda: dict(graph.degree()),
        "weighted degree": lambda: dict(graph.degree(weight="weight")),
        "k-cores": lambda: nx.core_number(graph),
        "clustering": lambda: nx.clustering(graph),
        "effective size": lambda: nx.effective_size(graph),
        "constraint": lambda: nx.constraint(graph, weight="weight"),
        "PageRank": lambda: nx.pagerank(graph),
        "eigenvector": lambda: nx.eigenvector_centrality(graph, weight="weight", max_iter=1000),
        "communities": lambda: nx.community.louvain_communities(graph, seed=42),
        "articulation points": lambda: set(nx.articulation_points(graph)),
        "betweenness": lambda: nx.betweenness_centrality(graph),
        "closeness": lambda: nx.closeness_centrality(graph),
    }
    seconds = {}
    for name, call in calls.items():
        started = time.perf_counter()
        call()
        seconds[name] = time.perf_counter() - started
    return seconds


def ours(graph: nx.Graph, params: MetricsParameters | None = None) -> tuple[float, dict[str, float], list[str]]:
    started = time.perf_counter()
    table = compute_metrics(graph, params)
    return time.perf_counter() - started, table.meta.seconds, [n.metric for n in table.meta.sampled]


def sampling_error(graph: nx.Graph) -> str:
    """Median relative error of sampled betweenness/closeness against the exact suite (nodes with value > 1e-3)."""
    exact = compute_metrics(graph)
    sampled = compute_metrics(graph, MetricsParameters(exact_limit=1.0))
    parts = []
    for metric in ("betweenness", "closeness"):
        e, s = np.array(exact.columns[metric]), np.array(sampled.columns[metric])
        mask = e > 1e-3
        parts.append(f"{metric} median rel. error {np.median(np.abs(s[mask] - e[mask]) / e[mask]):.1%}")
    return ", ".join(parts)


def report(label: str, graph: nx.Graph, run_networkx: bool) -> None:
    print(f"\n## {label}: {graph.number_of_nodes():,} organisations, {graph.number_of_edges():,} ties")
    total, steps, sampled = ours(graph)
    print(f"  ours: {total:.2f} s  ({', '.join(f'{k} {v:.2f}' for k, v in steps.items())})")
    print(f"  sampled: {', '.join(sampled) or 'nothing (exact)'}")
    if not run_networkx:
        print("  plain NetworkX: skipped (exact betweenness/closeness are O(n*m): hours; effective_size dense n x n)")
        return
    nx_seconds = plain_networkx(graph)
    nx_total = sum(nx_seconds.values())
    print(f"  plain NetworkX: {nx_total:.2f} s  ({', '.join(f'{k} {v:.2f}' for k, v in nx_seconds.items())})")
    print(f"  ratio NetworkX / ours: {nx_total / total:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 50000, 200000])
    args = parser.parse_args()
    report("real H2020 Thuringia slice", real_slice(), run_networkx=True)
    for size in args.sizes:
        started = time.perf_counter()
        graph, source = synthetic(size)
        print(f"\n(synthetic {size:,} from {source}, built in {time.perf_counter() - started:.1f} s)")
        report(f"synthetic {size:,}", graph, run_networkx=size <= 5000)
        if size <= 5000:
            print(f"  sampling error when forced to sample (256 sources): {sampling_error(graph)}")


if __name__ == "__main__":
    main()
