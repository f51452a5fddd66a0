"""Back-test of the new-partner suggestions: do they name the pairs that cooperated next?

Run with ``.venv/bin/python bench/suggestions.py`` (``--help`` for the flags). It starts its own local
Neo4j (own port and data folder), loads the real FP7 and H2020 Thuringia slices with the real loader
(so an organisation in both programmes, e.g. FSU Jena, is one node), reads ``Store.to_networkx()`` and,
for every split year Y (``--splits``, default 2013 and 2016):

* **train** = the snapshot cut to the projects that *started* up to Y: a project's first year is its
  start year, or its programme's first year when it has no dates (FP7: 2007, see
  :func:`queries.periods.project_years`). The cut is :func:`queries.periods.period_source` over the
  window from the snapshot's first year to Y, which keeps exactly the projects whose first year is at
  most Y (a project running into the window from before cannot exist: the window starts at the first
  year). Y = 2013 gives the FP7 projects; Y = 2016 FP7 plus the H2020 projects started 2014-2016;
* **test positives** = pairs of organisations that first share a project started after Y (they share
  one started after Y and none started up to Y), both present in train (a method can only rank nodes
  it knows), at least one of them *home* (node attribute ``home``: Thuringia);
* **candidates** = every pair with a home end, both present in train, not tied in train.

Methods, each scoring every candidate: ``served`` — what ``GET /partners`` ranks new partners by with an
empty need (fit 1.0), the real ``queries.partners._resource_allocation`` on the train snapshot's
:class:`TieGraph` (built as ``api.state`` builds it); the gap analysis's indices (resource allocation
and Adamic-Adar by its own pair scoring, community resource allocation by ``missing_links`` as shipped
on the analysis's Louvain communities); NetworkX's common neighbours, Jaccard and preferential attachment (a degree-only
reference) on the train cooperation graph; and two variants tried as improvements (weighted resource
allocation, Σ w(s,z)·w(z,v)/strength(z), with the tie graph's tie strength or the collaboration weight).

Scores: precision@k (k = 10, 50, 100) over the pooled ranking of all candidates, pairs with equal
scores counted at their expected value under a random order; AUC computed exactly from ranks (the
Mann-Whitney statistic, ties counted half); both also as ratios over a random ranking (precision =
positives / candidates, AUC 0.5). Per source: mean precision@10 over the home organisations with at
least one positive (what a staff member sees for one organisation), and the served answer itself — the
first 10 suggestions ``find_partners`` returns, equal scores in name order as the API shows them. Each
method's difference to the served one (pooled precision@50, per-source precision@10) comes with a 95 %
interval from a paired bootstrap over the home sources (``--resamples``, ``--seed``).

Results and the decision they led to (the served index stays): ``bench/README.md``, section "suggestions".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from scipy.stats import rankdata  # noqa: E402

from innograph.graph import local_server  # noqa: E402
from innograph.graph.store import Store  # noqa: E402
from innograph.loaders.cordis import load_cordis  # noqa: E402
from innograph.queries import algorithms, gaps  # noqa: E402
from innograph.queries.compiled import compiled  # noqa: E402
from innograph.queries.metrics import MetricsParameters  # noqa: E402
from innograph.queries.partners import PartnerNeed, _resource_allocation, find_partners  # noqa: E402
from innograph.queries.periods import Period, dated_projects, period_source  # noqa: E402
from innograph.queries.projection import COLLABORATION_WEIGHT, build_projection  # noqa: E402
from innograph.queries.tie_graph import TieGraph, build_tie_graph  # noqa: E402
from innograph.settings import Settings  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SLICES = ("cordis_fp7_thuringia", "cordis_h2020_thuringia")
KS = (10, 50, 100)
SOURCE_K = 10
SERVED = "served: RA on the tie graph (/partners)"
COMMON = "common neighbours"
DECIMALS = 12

Pair = tuple[str, str]


@dataclass(frozen=True)
class Split:
    """One back-test: the train snapshot cut at ``year`` and the candidate pairs scored against what came next.

    ``sources``/``targets`` are node positions (in ``ties.ids``) of every *ordered* candidate pair,
    the source a home organisation; ``pooled`` marks one direction of each unordered pair (a pair
    of two home organisations appears once per source).
    """

    year: int
    train_projects: int
    test_projects: int
    ties: TieGraph
    cooperation: nx.Graph
    home: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    pooled: np.ndarray
    positive: np.ndarray
    new_pairs: int  # pairs with a home end first sharing a project after the year, present in train or not

    def pairs(self, ordered: np.ndarray | None = None) -> list[Pair]:
        """Candidate pairs as node ids (all ordered pairs, or those selected by ``ordered``)."""
        chosen = np.arange(len(self.sources)) if ordered is None else ordered
        ids = self.ties.ids
        return [
            (ids[s], ids[v]) for s, v in zip(self.sources[chosen].tolist(), self.targets[chosen].tolist(), strict=True)
        ]


# --- the graph -----------------------------------------------------------------------------


def load_snapshot(settings: Settings, reuse: bool) -> nx.MultiDiGraph:
    """Both slices in one graph, loaded with the real loader (skipped with ``reuse`` if already there)."""
    with Store.connect(settings) as store:
        projects = store.counts().labels.get("Project", 0)
        if reuse and projects:
            print(f"  reusing the loaded graph ({projects} projects)", flush=True)
        else:
            store.clear()
            for name in SLICES:
                started = time.perf_counter()
                report = load_cordis(DATA / name, store)
                print(f"  loaded {name} in {time.perf_counter() - started:.1f} s ({report.summary()})", flush=True)
        return store.to_networkx()


def project_members(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Project id -> the organisations taking part."""
    members: dict[str, set[str]] = defaultdict(set)
    for org, project, key in graph.edges(keys=True):
        if key == "PARTICIPATES_IN":
            members[project].add(org)
    return members


def co_participations(members: dict[str, set[str]], projects: Iterable[str]) -> set[Pair]:
    """Unordered pairs (sorted ids) sharing at least one of ``projects``."""
    return {pair for p in projects for pair in combinations(sorted(members[p]), 2)}


def make_split(graph: nx.MultiDiGraph, year: int) -> Split:
    """Train snapshot, candidates and test positives for split year ``year`` (module docstring)."""
    first_year = {p: first for p, (first, _, _) in dated_projects(graph).items()}
    train_source = period_source(graph, Period(since=min(first_year.values()), until=year))
    cooperation = build_projection(train_source, version=0).cooperation
    ties = build_tie_graph(train_source, version=0)  # as api.state.ServiceState.ties builds it
    if set(ties.ids) != set(cooperation):
        raise RuntimeError("the tie graph and the cooperation graph disagree on the organisations present")
    members = project_members(graph)
    before = co_participations(members, (p for p, y in first_year.items() if y <= year))
    after = co_participations(members, (p for p, y in first_year.items() if y > year))
    home_ids = {node for node in ties.ids if ties.graph.nodes[node].get("home")}
    all_home = {n for n, data in graph.nodes(data=True) if data.get("home")}
    new = {pair for pair in after - before if all_home & set(pair)}
    positives = {pair for pair in new if pair[0] in ties.index and pair[1] in ties.index}
    sources, targets, pooled, positive = [], [], [], []
    home = ties.home
    for s_id in sorted(home_ids):
        s = ties.index[s_id]
        tied = set(ties.indices[ties.indptr[s] : ties.indptr[s + 1]].tolist()) | {s}
        for v in range(len(ties.ids)):
            if v not in tied:
                sources.append(s)
                targets.append(v)
                pooled.append(not home[v] or s < v)
                positive.append(tuple(sorted((s_id, ties.ids[v]))) in positives)
    return Split(
        year=year,
        train_projects=sum(1 for y in first_year.values() if y <= year),
        test_projects=sum(1 for y in first_year.values() if y > year),
        ties=ties,
        cooperation=cooperation,
        home=home,
        sources=np.array(sources),
        targets=np.array(targets),
        pooled=np.array(pooled),
        positive=np.array(positive),
        new_pairs=len(new),
    )


# --- the methods ---------------------------------------------------------------------------


def served(split: Split) -> np.ndarray:
    """The score ``_suggestions`` ranks by with an empty need (fit 1.0): the real resource-allocation pass."""
    scores = np.zeros(len(split.sources))
    for s in np.unique(split.sources):
        rows = split.sources == s
        scores[rows] = _resource_allocation(split.ties, int(s))[split.targets[rows]]
    return scores


def from_pairs(split: Split, found: dict[Pair, float]) -> np.ndarray:
    """Scores of the candidates from a pair -> score map (either order; missing = 0)."""
    return np.array([found.get((a, b), found.get((b, a), 0.0)) for a, b in split.pairs()])


def gap_index(method: gaps.LinkMethod) -> Callable[[Split], np.ndarray]:
    """The gap analysis's resource allocation or Adamic-Adar score of every candidate.

    Its own pair scoring (``gaps._top_pairs`` with ``gaps._neighbour_weights``: what ``missing_links``
    ranks by), without the explanation ``missing_links`` writes for each row (seconds per 10,000 rows).
    """

    def score(split: Split) -> np.ndarray:
        cg = compiled(split.cooperation, COLLABORATION_WEIGHT)
        home = gaps._home_mask(split.cooperation, cg)
        found = gaps._top_pairs(cg, cg.binary, gaps._neighbour_weights(cg, method), len(split.sources), home)
        return from_pairs(split, {(cg.nodes[i], cg.nodes[j]): value for value, i, j in found})

    return score


def community_ra(split: Split) -> np.ndarray:
    """The gap analysis's community resource allocation, ``missing_links`` as shipped, on the analysis's communities.

    Communities as :func:`queries.metrics.compute_metrics` finds them (strength-weighted Louvain, default
    resolution and seed); few pairs score above 0, so asking ``missing_links`` for all of them is cheap.
    """
    cg = compiled(split.cooperation, COLLABORATION_WEIGHT)
    params = MetricsParameters()
    labels = algorithms.louvain_labels(cg, weighted=True, resolution=params.resolution, seed=params.seed)
    communities = dict(zip(cg.nodes, algorithms.community_numbers(labels).tolist(), strict=True))
    links = gaps.missing_links(
        split.cooperation, method="community_resource_allocation", communities=communities, top=len(split.sources)
    )
    return from_pairs(split, {(link.a, link.b): link.score for link in links})


def networkx_index(index: Callable[[nx.Graph, list[Pair]], Iterable[tuple[str, str, float]]]) -> Callable:
    """A NetworkX link-prediction index over the candidates on the train cooperation graph."""

    def score(split: Split) -> np.ndarray:
        return np.array([value for _, _, value in index(split.cooperation, split.pairs())], dtype=float)

    return score


def common_neighbours(graph: nx.Graph, pairs: list[Pair]) -> Iterable[tuple[str, str, float]]:
    """Common-neighbour counts in NetworkX's link-prediction shape."""
    return ((u, v, float(len(list(nx.common_neighbors(graph, u, v))))) for u, v in pairs)


def weighted_ra(weight_of: Callable[[Split], sp.csr_array]) -> Callable[[Split], np.ndarray]:
    """Weighted resource allocation (Lü and Zhou): ``Σ_z w(s,z)·w(z,v) / strength(z)``, strength = Σ w."""

    def score(split: Split) -> np.ndarray:
        w = weight_of(split)
        strength = np.asarray(w.sum(axis=1)).ravel()
        inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
        rows = np.unique(split.sources)
        matrix = (w[rows] @ sp.diags_array(inverse) @ w).toarray()
        return matrix[np.searchsorted(rows, split.sources), split.targets]

    return score


def _edge_matrix(ties: TieGraph, weights: Iterable[tuple[str, str, float]]) -> sp.csr_array:
    rows, cols, values = [], [], []
    for u, v, w in weights:
        rows += [ties.index[u], ties.index[v]]
        cols += [ties.index[v], ties.index[u]]
        values += [w, w]
    n = len(ties.ids)
    return sp.csr_array((values, (rows, cols)), shape=(n, n))


def tie_strengths(split: Split) -> sp.csr_array:
    """The tie graph's tie strength (recency, consortium size, activity discount) on every tie."""
    return _edge_matrix(split.ties, split.ties.graph.edges(data="strength"))


def collaboration_weights(split: Split) -> sp.csr_array:
    """The cooperation graph's collaboration weight (Σ 1/(n-1) over shared projects) on every tie."""
    return _edge_matrix(split.ties, split.cooperation.edges(data=COLLABORATION_WEIGHT))


METHODS: dict[str, Callable[[Split], np.ndarray]] = {
    SERVED: served,
    "resource allocation (gaps)": gap_index("resource_allocation"),
    "Adamic-Adar (gaps)": gap_index("adamic_adar"),
    "community RA (gaps)": community_ra,
    COMMON: networkx_index(common_neighbours),
    "Jaccard": networkx_index(nx.jaccard_coefficient),
    "preferential attachment (degree only)": networkx_index(nx.preferential_attachment),
    "tried: weighted RA, tie strength": weighted_ra(tie_strengths),
    "tried: weighted RA, collaboration weight": weighted_ra(collaboration_weights),
}


# --- scoring -------------------------------------------------------------------------------


def precision_at(scores: np.ndarray, positive: np.ndarray, k: int) -> float:
    """Precision of the top ``k``, the pairs tied at the cut counted at their expected value."""
    k = min(k, len(scores))
    if k == 0:
        return 0.0
    cut = np.partition(scores, len(scores) - k)[len(scores) - k]
    above, at = scores > cut, scores == cut
    return float((positive[above].sum() + (k - above.sum()) * positive[at].mean()) / k)


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """P(a random positive outranks a random negative), ties counted half: exact, from ranks."""
    ranks = rankdata(scores)
    n_pos, n_neg = positive.sum(), (~positive).sum()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@dataclass(frozen=True)
class Scores:
    """One method on one split: its rounded scores and the figures the table shows."""

    scores: np.ndarray  # every ordered candidate, rounded to DECIMALS
    auc: float
    precision: dict[int, float]
    per_source: np.ndarray  # precision@10 of each judged source


def evaluate(split: Split, scores: np.ndarray, judged: np.ndarray) -> Scores:
    """Pooled AUC and precision@k, and per-source precision@10 over the ``judged`` sources.

    Scores are rounded first: the same index computed in two ways (sparse products, sums over
    edges) differs in the last bits, which would split ties that are ties.
    """
    scores = np.round(scores, DECIMALS)
    pooled, positive = scores[split.pooled], split.positive[split.pooled]
    per_source = np.array(
        [precision_at(scores[rows], split.positive[rows], SOURCE_K) for rows in (split.sources == s for s in judged)]
    )
    return Scores(scores, auc(pooled, positive), {k: precision_at(pooled, positive, k) for k in KS}, per_source)


def served_answers(split: Split, judged: np.ndarray) -> np.ndarray:
    """Precision@10 of what ``find_partners`` returns (empty need) for each judged source, name order on ties."""
    found = []
    positives = set(split.pairs(np.flatnonzero(split.positive)))
    for s in judged:
        source = split.ties.ids[s]
        answer = find_partners(split.ties, source, PartnerNeed(), limit=SOURCE_K)
        hits = sum((source, x.organisation.id) in positives for x in answer.suggestions)
        found.append(hits / SOURCE_K)
    return np.array(found)


def interval(samples: np.ndarray) -> tuple[float, float]:
    """The central 95 % of bootstrap samples."""
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(low), float(high)


def per_source_interval(differences: np.ndarray, rng: np.random.Generator, resamples: int) -> tuple[float, float]:
    """95 % interval of the mean of paired per-source differences, resampling the judged sources."""
    picks = rng.integers(0, len(differences), (resamples, len(differences)))
    return interval(differences[picks].mean(axis=1))


def pooled_intervals(
    split: Split, results: dict[str, Scores], rng: np.random.Generator, resamples: int, k: int = 50
) -> dict[str, tuple[float, float]]:
    """95 % interval of ``P@k(method) - P@k(served)`` in the pooled ranking, resampling the home sources.

    Each unordered candidate belongs to the source it is pooled under; a resample draws the home
    sources with replacement and pools their candidates (the same draw for every method), so the
    interval shows how much the pooled figure rests on a few organisations.
    """
    rows = np.flatnonzero(split.pooled)
    owners = np.unique(split.sources[rows])
    groups = [rows[split.sources[rows] == s] for s in owners]
    ours = results[SERVED].scores
    differences = {name: np.empty(resamples) for name in results if name != SERVED}
    for r in range(resamples):
        chosen = np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        positive = split.positive[chosen]
        served_precision = precision_at(ours[chosen], positive, k)
        for name, found in differences.items():
            found[r] = precision_at(results[name].scores[chosen], positive, k) - served_precision
    return {name: interval(found) for name, found in differences.items()}


# --- report --------------------------------------------------------------------------------


def describe(split: Split) -> str:
    """The split's facts: the rule, the sizes and the random baseline."""
    pooled = split.positive[split.pooled]
    return (
        f"split Y = {split.year}: train = projects whose first year <= {split.year} ({split.train_projects} projects; "
        f"FP7 projects have no dates and count from 2007), test = pairs first sharing a project started after "
        f"{split.year} ({split.test_projects} projects)\n"
        f"  train: {len(split.ties.ids):,} organisations ({int(split.home.sum())} home), "
        f"{split.cooperation.number_of_edges():,} ties\n"
        f"  new pairs with a home end after {split.year}: {split.new_pairs:,}; both ends in train (positives): "
        f"{int(pooled.sum()):,}; candidates: {int(split.pooled.sum()):,}; random precision "
        f"{pooled.mean():.5f}"
    )


def judged_sources(split: Split) -> np.ndarray:
    """Home sources with at least one positive among their candidates (per-source precision is over these)."""
    return np.unique(split.sources[split.positive])


def _ci(difference: float, bounds: tuple[float, float]) -> str:
    return f"{difference:+.3f} [{bounds[0]:+.3f}, {bounds[1]:+.3f}]"


def table(split: Split, results: dict[str, Scores], answers: np.ndarray, resamples: int, seed: int) -> str:
    """Markdown table of every method: ratios over random, and bootstrap intervals of the difference to served."""
    base = split.positive[split.pooled].mean()
    judged = judged_sources(split)
    judged_base = float(np.mean([split.positive[split.sources == s].mean() for s in judged]))
    header = ["method", "AUC", "x random", "P@10", "x random", "P@50", "x random", "P@50 minus served [95 % CI]"]
    header += ["P@100", "x random", f"per-source P@{SOURCE_K}", "x random", "minus served [95 % CI]"]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    ours = results[SERVED]
    rng = np.random.default_rng(seed)
    pooled = pooled_intervals(split, results, rng, resamples)
    for name, r in results.items():
        pooled_ci = per_source_ci = ""
        if name != SERVED:
            pooled_ci = _ci(r.precision[50] - ours.precision[50], pooled[name])
            differences = r.per_source - ours.per_source
            per_source_ci = _ci(differences.mean(), per_source_interval(differences, rng, resamples))
        cells = [name, f"{r.auc:.3f}", f"{r.auc / 0.5:.2f}"]
        cells += [f"{r.precision[10]:.3f}", f"{r.precision[10] / base:.0f}"]
        cells += [f"{r.precision[50]:.3f}", f"{r.precision[50] / base:.0f}", pooled_ci]
        cells += [f"{r.precision[100]:.3f}", f"{r.precision[100] / base:.0f}"]
        cells += [f"{r.per_source.mean():.3f}", f"{r.per_source.mean() / judged_base:.1f}", per_source_ci]
        lines.append("| " + " | ".join(cells) + " |")
    cells = ["served answer as shown (find_partners, first 10, name order on ties)"] + [""] * 9
    cells += [f"{answers.mean():.3f}", f"{answers.mean() / judged_base:.1f}", ""]
    lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(split: Split, results: dict[str, Scores]) -> str:
    """Who wins pooled P@50, per-source P@10 and AUC; the served P@50 against random and common neighbours."""
    ours, common = results[SERVED], results[COMMON]
    base = split.positive[split.pooled].mean()
    best_pooled = max(results, key=lambda name: results[name].precision[50])
    best_source = max(results, key=lambda name: results[name].per_source.mean())
    best_auc = max(results, key=lambda name: results[name].auc)
    versus = ours.precision[50] / common.precision[50] if common.precision[50] else float("inf")
    return (
        f"  served P@50 = {ours.precision[50]:.3f} ({ours.precision[50] * 50:.0f} of 50): "
        f"{ours.precision[50] / base:.0f}x random, {versus:.2f}x common neighbours ({common.precision[50]:.3f})\n"
        f"  best pooled P@50: {best_pooled} ({results[best_pooled].precision[50]:.3f}); best per-source "
        f"P@{SOURCE_K}: {best_source} ({results[best_source].per_source.mean():.3f}); best AUC: {best_auc} "
        f"({results[best_auc].auc:.3f})"
    )


def concentration(split: Split, scores: np.ndarray, k: int = 50) -> str:
    """How many home organisations the pooled top ``k`` is about, and the one it is most about."""
    rows = np.flatnonzero(split.pooled)
    top = rows[np.argsort(-scores[rows], kind="stable")[:k]]
    owners = Counter(split.sources[top].tolist())
    source, pairs = owners.most_common(1)[0]
    hits = int(split.positive[top][split.sources[top] == source].sum())
    name = split.ties.graph.nodes[split.ties.ids[source]]["name"]
    return f"{len(owners)} home organisations, most of all {name} ({pairs} pairs, {hits} positive)"


def run_split(graph: nx.MultiDiGraph, year: int, resamples: int, seed: int) -> str:
    """Build one split, score every method, return its report."""
    started = time.perf_counter()
    split = make_split(graph, year)
    judged = judged_sources(split)
    results = {name: evaluate(split, method(split), judged) for name, method in METHODS.items()}
    answers = served_answers(split, judged)
    text = table(split, results, answers, resamples, seed)
    print(f"  split {year} scored in {time.perf_counter() - started:.1f} s", flush=True)
    return "\n".join(
        [
            describe(split),
            f"  per-source: {len(judged)} home sources with a positive; intervals: paired bootstrap over home "
            f"sources, {resamples} resamples, seed {seed}",
            "",
            text,
            "",
            verdict(split, results),
            f"  served pooled top 50: {concentration(split, results[SERVED].scores)}",
        ]
    )


def loadavg() -> str:
    """The machine load as ``/proc/loadavg`` says it (1, 5 and 15 minutes, runnable/all tasks, last pid)."""
    return Path("/proc/loadavg").read_text().strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, nargs="+", default=[2013, 2016], help="split years Y")
    parser.add_argument(
        "--resamples", type=int, default=500, help="bootstrap resamples (pooled and per-source intervals)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=REPO / ".innograph-bench-suggestions",
        help="the Neo4j data folder (git-ignored)",
    )
    parser.add_argument("--port", type=int, default=17692, help="Bolt port of the benchmark's Neo4j")
    parser.add_argument("--heap-mb", type=int, default=2048, help="Neo4j heap")
    parser.add_argument("--reuse", action="store_true", help="keep the graph if the data folder already holds one")
    parser.add_argument("--keep-neo4j", action="store_true", help="leave the benchmark's Neo4j running")
    args = parser.parse_args()
    settings = Settings(
        data_dir=args.data_dir.resolve(), neo4j_port=args.port, neo4j_heap_mb=args.heap_mb, neo4j_uri=None
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    started_at = time.strftime("%Y-%m-%d %H:%M %Z")
    print(f"bench/suggestions.py {started_at}, {os.cpu_count()} cores, /proc/loadavg {loadavg()}", flush=True)
    _, started = local_server.start(settings)
    try:
        graph = load_snapshot(settings, args.reuse)
    finally:
        if started and not args.keep_neo4j:
            local_server.stop(settings)
    reports = [run_split(graph, year, args.resamples, args.seed) for year in args.splits]
    print(f"\nfinished {time.strftime('%H:%M')}, /proc/loadavg {loadavg()}")
    for report in reports:
        print(f"\n{report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
