"""Benchmark: the analytics suite (queries.metrics) against plain NetworkX calls, in the same run.

Graphs: the real H2020 Thuringia slice (../shared/data's participations CSV, strength 1/(n-1) per
shared project) and synthetic ecosystems from ``loaders.synthetic.generate(orgs, seed=7)``.

* Real slice: the full suite, exact, against every metric in plain NetworkX with default settings.
* Synthetic sizes up to ``--networkx-limit`` (default 5k): the same comparison (the 5k graph is exact
  too). Where our suite samples betweenness/closeness (nodes x ties > exact_limit), NetworkX does the
  same work: betweenness with the same ``k`` sources, closeness of as many single nodes (one BFS each).
* Larger sizes: NetworkX is skipped and the reason printed (exact paths are hours; clustering,
  constraint and effective size are O(sum of squared degrees) in Python, effective size also a dense
  n x n matrix). These graphs are compiled straight from the participation arrays (no NetworkX graph,
  which alone would hold ~12 GB at 200k) and analysed by ``queries.metrics.compute_compiled``.
* Sampling error: sampled vs exact betweenness and closeness on ``--error-size`` organisations.

Usage: ``.venv/bin/python bench/analytics.py [--sizes 5000 50000 200000] [--no-real] [--networkx-budget 600]
[--error-size 5000]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from innograph.loaders.synthetic import SyntheticEcosystem, generate
from innograph.queries.compiled import CompiledGraph, compiled
from innograph.queries.metrics import ATTRIBUTES, MetricsParameters, MetricsTable, compute_compiled, compute_metrics
from innograph.queries.projection import COLLABORATION_WEIGHT as WEIGHT
from innograph.queries.projection import cooperation_from_participations

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "cordis_h2020_thuringia"
KIND_BY_ACTIVITY = {"PRC": "Company", "HES": "University", "REC": "ResearchInstitute", "PUB": "PublicBody"}
SEED = 7
TARGET_REAL_RATIO = 10.0  # the targets: >= 10x plain NetworkX on the real slice ...
TARGET_LARGE_SECONDS = 300.0  # ... and the 200k synthetic suite in under 5 minutes on 2 cores


def real_slice() -> nx.Graph:
    """The H2020 slice's cooperation graph."""
    with (SHARED / "organisations.csv").open(encoding="utf-8") as handle:
        orgs = {
            row["organisationID"]: {"name": row["name"], "kind": KIND_BY_ACTIVITY.get(row["activityType"])}
            for row in csv.DictReader(handle)
        }
    with (SHARED / "participations.csv").open(encoding="utf-8") as handle:
        return cooperation_from_participations([(r["pic"], r["rcn"]) for r in csv.DictReader(handle)], orgs)


def _attributes(eco: SyntheticEcosystem) -> dict[str, dict[str, Any]]:
    return {o.id: {"name": o.name, "kind": o.kind.value, "region": o.region} for o in eco.organisations}


def synthetic_graph(eco: SyntheticEcosystem) -> nx.Graph:
    """The synthetic ecosystem's cooperation graph as the store derives it (NetworkX, for the baseline)."""
    return cooperation_from_participations([(p.org_id, p.project_id) for p in eco.participations], _attributes(eco))


def synthetic_arrays(eco: SyntheticEcosystem) -> tuple[CompiledGraph, dict[str, list[Any]]]:
    """The same cooperation graph compiled straight from the participation arrays, plus attributes by position.

    Same sparse products as :func:`queries.projection.cooperation_from_participations`
    (strength = Σ 1/(n-1) over shared projects), without building a NetworkX graph.
    """
    attributes = _attributes(eco)
    organisations = list(attributes)
    position = {org: i for i, org in enumerate(organisations)}
    projects = {p: j for j, p in enumerate(dict.fromkeys(p.project_id for p in eco.participations))}
    unique = {(position[p.org_id], projects[p.project_id]) for p in eco.participations}
    rows, cols = (np.fromiter(column, dtype=np.int64, count=len(unique)) for column in zip(*unique, strict=True))
    incidence = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(organisations), len(projects)))
    sizes = np.asarray(incidence.sum(axis=0)).ravel()
    share = np.divide(1.0, sizes - 1, out=np.zeros(len(projects)), where=sizes > 1)
    strengths = sp.coo_array(sp.triu(incidence @ sp.diags_array(share) @ incidence.T, k=1))
    cg = CompiledGraph.from_arrays(organisations, strengths.row, strengths.col, strengths.data)
    return cg, {key: [attributes[org].get(key) for org in organisations] for key in ATTRIBUTES}


class _OverBudget(Exception):
    """A NetworkX call ran past its time budget."""


def _over_budget(signum: int, frame: object) -> None:
    raise _OverBudget


def plain_networkx(graph: nx.Graph, samples: int | None, budget: int) -> tuple[dict[str, float], list[str]]:
    """The same metrics with plain NetworkX calls and default settings; seconds per call, and the calls cut off.

    ``samples``: betweenness from that many sources (``k``) and closeness of that many
    single nodes, i.e. the same path work our sampled suite does. A call still running
    after ``budget`` seconds is stopped (NetworkX is pure Python, so an alarm interrupts
    it) and counted as ``budget`` seconds: the ratio is then a lower bound.
    """
    chosen = list(graph)[:samples] if samples else []
    calls: dict[str, Callable[[], object]] = {
        "degree": lambda: dict(graph.degree()),
        "weighted degree": lambda: dict(graph.degree(weight=WEIGHT)),
        "k-cores": lambda: nx.core_number(graph),
        "clustering": lambda: nx.clustering(graph),
        "effective size": lambda: nx.effective_size(graph),
        "constraint": lambda: nx.constraint(graph, weight=WEIGHT),
        "PageRank": lambda: nx.pagerank(graph, weight=WEIGHT),
        "eigenvector": lambda: nx.eigenvector_centrality(graph, weight=WEIGHT, max_iter=1000),
        "communities": lambda: nx.community.louvain_communities(graph, weight=WEIGHT, seed=42),
        "articulation points": lambda: set(nx.articulation_points(graph)),
        "betweenness": lambda: nx.betweenness_centrality(graph, k=samples, seed=42),
        "closeness": (
            (lambda: [nx.closeness_centrality(graph, u=v) for v in chosen])
            if samples
            else (lambda: nx.closeness_centrality(graph))
        ),
    }
    seconds, cut = {}, []
    previous = signal.signal(signal.SIGALRM, _over_budget)
    try:
        for name, call in calls.items():
            started = time.perf_counter()
            signal.alarm(budget)
            try:
                call()
            except _OverBudget:
                cut.append(name)
            finally:
                signal.alarm(0)
            seconds[name] = time.perf_counter() - started
            print(f"    networkx {name}: {seconds[name]:.2f} s{' (cut off)' if name in cut else ''}", flush=True)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return seconds, cut


def _timed(compute: Callable[[], MetricsTable]) -> tuple[float, MetricsTable]:
    started = time.perf_counter()
    table = compute()
    return time.perf_counter() - started, table


def _show(label: str, n: int, m: int, total: float, table: MetricsTable) -> None:
    print(f"\n## {label}: {n:,} organisations, {m:,} ties  (load average {os.getloadavg()[0]:.1f})")
    print(f"  ours: {total:.2f} s  ({', '.join(f'{k} {v:.2f}' for k, v in table.meta.seconds.items())})")
    sampled = [f"{note.metric} ({note.sources} sources)" for note in table.meta.sampled]
    print(f"  sampled: {', '.join(sampled) or 'nothing (exact)'}")


def compare(label: str, graph: nx.Graph, params: MetricsParameters, budget: int) -> float:
    """Our suite and plain NetworkX on one NetworkX graph; prints and returns the ratio."""
    total, table = _timed(lambda: compute_metrics(graph, params))
    _show(label, graph.number_of_nodes(), graph.number_of_edges(), total, table)
    samples = params.samples if table.meta.sampled else None
    nx_seconds, cut = plain_networkx(graph, samples, budget)
    nx_total = sum(nx_seconds.values())
    how = f" (betweenness k={samples}, closeness of {samples} nodes, as ours)" if samples else ""
    print(f"  plain NetworkX{how}: {nx_total:.2f} s  ({', '.join(f'{k} {v:.2f}' for k, v in nx_seconds.items())})")
    bound = f"at least (cut off after {budget} s: {', '.join(cut)}) " if cut else ""
    print(f"  ratio NetworkX / ours: {bound}{nx_total / total:.1f}x  (load average {os.getloadavg()[0]:.1f})")
    return nx_total / total


def sampling_error(cg: CompiledGraph, attributes: dict[str, list[Any]], samples: int) -> None:
    """Sampled vs exact betweenness and closeness on one graph (relative errors, and top-20 overlap)."""

    def fresh() -> CompiledGraph:  # without the passes the other run memoised on ``cg``
        return CompiledGraph(cg.nodes, cg.sources, cg.targets, cg.weights)

    exact_s, exact = _timed(lambda: compute_compiled(fresh(), attributes, MetricsParameters(exact_limit=1e30)))
    sampled_s, sampled = _timed(lambda: compute_compiled(fresh(), attributes, MetricsParameters(exact_limit=1.0)))
    print(f"\n## sampling error ({samples} sources) on {cg.n:,} organisations")
    print(f"  exact suite {exact_s:.1f} s, sampled suite {sampled_s:.1f} s")
    for metric in ("betweenness", "closeness"):
        e, s = np.array(exact.columns[metric], dtype=float), np.array(sampled.columns[metric], dtype=float)
        mask = e > 1e-3 * e.max()
        relative = np.abs(s[mask] - e[mask]) / e[mask]
        top_exact, top_sampled = set(np.argsort(-e)[:20].tolist()), set(np.argsort(-s)[:20].tolist())
        print(
            f"  {metric}: median relative error {np.median(relative):.1%}, 90th percentile "
            f"{np.quantile(relative, 0.9):.1%} (nodes above 1e-3 x max), top-20 overlap "
            f"{len(top_exact & top_sampled)}/20"
        )


def synthetic_run(size: int, params: MetricsParameters, networkx_limit: int, budget: int, error_check: bool) -> None:
    """Generate one synthetic size and benchmark it (a function, so its graphs are freed on return)."""
    started = time.perf_counter()
    eco = generate(size, SEED)
    print(f"\n(synthetic {size:,}: generated in {time.perf_counter() - started:.1f} s)", flush=True)
    if size <= networkx_limit:
        graph = synthetic_graph(eco)
        compare(f"synthetic {size:,}", graph, params, budget)
        cg, attributes = compiled(graph, WEIGHT), {key: [graph.nodes[v].get(key) for v in graph] for key in ATTRIBUTES}
    else:
        started = time.perf_counter()
        cg, attributes = synthetic_arrays(eco)
        print(f"(compiled from arrays in {time.perf_counter() - started:.1f} s)")
        clock = time.perf_counter()
        progress = lambda step: print(f"    {time.perf_counter() - clock:7.1f} s: {step}", flush=True)  # noqa: E731
        total, table = _timed(lambda: compute_compiled(cg, attributes, params, progress))
        _show(f"synthetic {size:,}", cg.n, cg.m, total, table)
        if size >= 200_000:
            met = "MET" if total < TARGET_LARGE_SECONDS else "MISSED"
            print(f"  target: full suite under {TARGET_LARGE_SECONDS:.0f} s at 200k organisations: {met}")
        print(
            "  plain NetworkX: skipped (exact betweenness/closeness O(n*m): hours; clustering, constraint "
            "and effective size O(sum of squared degrees) in Python; effective size builds a dense n x n matrix)"
        )
    print(f"  peak memory so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.1f} GB", flush=True)
    if error_check:
        sampling_error(cg, attributes, params.samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 50000, 200000], help="synthetic sizes")
    parser.add_argument("--no-real", action="store_true", help="skip the real H2020 slice")
    parser.add_argument("--networkx-limit", type=int, default=5000, help="largest size NetworkX runs on")
    parser.add_argument("--networkx-budget", type=int, default=600, help="seconds per NetworkX call at most")
    parser.add_argument("--error-size", type=int, default=5000, help="size of the sampling-error check (0: none)")
    args = parser.parse_args()
    params = MetricsParameters()
    print(f"cores: {os.cpu_count()}, load average at start {os.getloadavg()[0]:.1f}")
    if not args.no_real:
        ratio = compare("real H2020 Thuringia slice", real_slice(), params, args.networkx_budget)
        met = "MET" if ratio >= TARGET_REAL_RATIO else "MISSED"
        print(f"  target: at least {TARGET_REAL_RATIO:.0f}x plain NetworkX on the real slice: {met}")
    for size in args.sizes:
        synthetic_run(size, params, args.networkx_limit, args.networkx_budget, size == args.error_size)


if __name__ == "__main__":
    main()
