"""The compiled algorithms equal NetworkX's exact results on small graphs (floating-point tolerance only)."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from innograph.queries import algorithms
from innograph.queries.compiled import compiled
from innograph.queries.metrics import MetricsParameters, compute_metrics


def _weighted(graph: nx.Graph, seed: int) -> nx.Graph:
    rng = random.Random(seed)
    for u, v in graph.edges():
        graph.edges[u, v]["weight"] = rng.choice([0.1, 0.25, 0.5, 1.0, 2.0])
    return graph


def _graphs() -> list[nx.Graph]:
    """Connected and disconnected graphs with leaves, cliques and isolated nodes, string ids."""
    clustered = nx.relabel_nodes(nx.powerlaw_cluster_graph(120, 3, 0.3, seed=3), lambda v: f"o{v}")
    split = nx.disjoint_union(nx.gnp_random_graph(60, 0.08, seed=5), nx.barbell_graph(6, 3))
    split.add_nodes_from(["isolated-1", "isolated-2"])
    split.add_edge(0, "pendant")
    return [_weighted(clustered, 1), _weighted(split, 2)]


def _close(ours: dict, theirs: dict, tol: float = 1e-9) -> None:
    assert ours.keys() == theirs.keys()
    for node, value in theirs.items():
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(ours[node]), node
        else:
            assert ours[node] == pytest.approx(value, abs=tol), node


@pytest.mark.parametrize("graph", _graphs())
def test_exact_algorithms_equal_networkx(graph: nx.Graph) -> None:
    _close(algorithms.betweenness_centrality(graph), nx.betweenness_centrality(graph))
    _close(algorithms.closeness_centrality(graph), nx.closeness_centrality(graph))
    _close(algorithms.pagerank(graph), nx.pagerank(graph))
    _close(algorithms.core_number(graph), nx.core_number(graph))
    _close(algorithms.clustering(graph), nx.clustering(graph))
    _close(algorithms.effective_size(graph), nx.effective_size(graph))
    _close(algorithms.constraint(graph), nx.constraint(graph))
    _close(algorithms.constraint(graph, weight="weight"), nx.constraint(graph, weight="weight"))
    assert set(algorithms.articulation_points(graph)) == set(nx.articulation_points(graph))
    assert {frozenset(e) for e in algorithms.bridges(graph)} == {frozenset(e) for e in nx.bridges(graph)}


def _consortia(seed: int) -> nx.Graph:
    """A co-participation graph full of adjacent twins: overlapping cliques (consortia) plus a chain and a leaf."""
    rng = random.Random(seed)
    graph = nx.Graph()
    members = [f"org{i}" for i in range(200)]
    for _ in range(20):
        consortium = rng.sample(members, rng.choice([2, 3, 4, 6, 12, 25]))
        graph.add_edges_from((u, v) for i, u in enumerate(consortium) for v in consortium[i + 1 :])
    graph.add_edges_from([("org0", "chain1"), ("chain1", "chain2"), ("chain2", "chain3"), ("org1", "leaf")])
    graph.add_nodes_from(["isolated"])
    graph.add_edges_from([("pair1", "pair2")])  # a separate component of two twins
    return graph


@pytest.mark.parametrize("seed", [1, 2])
def test_twin_compressed_path_metrics_equal_networkx(seed: int) -> None:
    graph = _consortia(seed)
    cg = compiled(nx.freeze(graph))
    assert cg.twins.n < 0.8 * cg.n  # the compression is really used
    assert algorithms.quotient_pays(cg)
    _close(algorithms.betweenness_centrality(graph), nx.betweenness_centrality(graph), tol=1e-12)
    raw = nx.betweenness_centrality(graph, normalized=False)
    _close(algorithms.betweenness_centrality(graph, normalized=False), raw, tol=1e-9)
    _close(algorithms.closeness_centrality(graph), nx.closeness_centrality(graph), tol=1e-12)


def test_deep_graphs_use_per_source_searches_and_stay_exact() -> None:
    chain = nx.path_graph(600)
    nx.add_path(chain, [599, *range(600, 700)])  # a long chain with a branch: deep, no twins
    cg = compiled(nx.freeze(chain))
    assert not algorithms.quotient_pays(cg)
    _close(algorithms.betweenness_centrality(chain), nx.betweenness_centrality(chain))
    _close(algorithms.closeness_centrality(chain), nx.closeness_centrality(chain))


@pytest.mark.parametrize("normalized", [True, False])
def test_sampled_betweenness_equals_networkx_with_the_same_seed(normalized: bool) -> None:
    # NetworkX's estimate with k sources, seed 11: the same sources, the same scaling, so the same numbers
    graph = _consortia(3)
    for k in (2, 17, len(graph) - 1):
        ours = algorithms.betweenness_centrality(graph, k=k, normalized=normalized, seed=11)
        _close(ours, nx.betweenness_centrality(graph, k=k, normalized=normalized, seed=11), tol=1e-12)
    assert max(ours.values()) > 0


def test_eigenvector_equals_networkx_power_iteration() -> None:
    graph = _graphs()[0]
    reference = nx.eigenvector_centrality(graph, weight="weight", max_iter=1000, tol=1e-12)
    _close(algorithms.eigenvector_centrality(graph, weight="weight"), reference, tol=1e-8)


def test_louvain_is_seeded_and_as_good_as_networkx() -> None:
    graph = _graphs()[0]
    ours = algorithms.louvain_communities(graph, seed=7)
    assert ours == algorithms.louvain_communities(graph, seed=7)
    assert set().union(*ours) == set(graph)
    reference = nx.community.louvain_communities(graph, seed=7)
    assert nx.community.modularity(graph, ours) >= 0.97 * nx.community.modularity(graph, reference)


def test_unsupported_arguments_fall_back_to_networkx() -> None:
    directed = nx.gnp_random_graph(30, 0.2, seed=1, directed=True)
    _close(algorithms.betweenness_centrality(directed), nx.betweenness_centrality(directed))
    graph = _graphs()[0]
    _close(
        algorithms.betweenness_centrality(graph, weight="weight"),
        nx.betweenness_centrality(graph, weight="weight"),
    )


def test_large_graphs_are_sampled_and_say_so() -> None:
    graph = nx.relabel_nodes(nx.powerlaw_cluster_graph(400, 3, 0.2, seed=11), str)
    exact = compute_metrics(graph)
    sampled = compute_metrics(graph, MetricsParameters(exact_limit=1000, samples=100, seed=3))
    assert exact.meta.exact and not sampled.meta.exact
    assert {note.metric for note in sampled.meta.sampled} == {"betweenness", "closeness"}
    again = compute_metrics(graph, MetricsParameters(exact_limit=1000, samples=100, seed=3))
    for metric in ("betweenness", "closeness", "constraint", "clustering"):  # the parallel loops add up the same
        assert again.columns[metric] == sampled.columns[metric], metric
    for metric, tolerance in (("closeness", 0.05), ("betweenness", 0.5)):
        pairs = [(e, s) for e, s in zip(exact.columns[metric], sampled.columns[metric], strict=True) if e > 0.01]
        errors = sorted(abs(s - e) / e for e, s in pairs)
        assert errors[len(errors) // 2] < tolerance, metric  # median relative error


def test_sampled_closeness_is_exact_in_components_with_fewer_than_two_sources() -> None:
    graph = _graphs()[1]  # a random graph, a barbell, a pendant and isolated nodes
    table = compute_metrics(graph, MetricsParameters(exact_limit=1, samples=5, seed=1))
    assert {note.metric for note in table.meta.sampled} == {"betweenness", "closeness"}
    sources = {table.nodes[i] for i in algorithms.sample_sources(compiled(graph), 5, 1).tolist()}
    exact = nx.closeness_centrality(graph)
    checked = 0
    for component in nx.connected_components(graph):
        if len(component & sources) < 2:
            checked += len(component)
            _close({v: table.column("closeness")[v] for v in component}, {v: exact[v] for v in component}, tol=1e-12)
    assert checked == 17  # the barbell (15 nodes, one of the sources) and the two isolated nodes
