"""Projection, analysis and write-back through the real Neo4j server."""

from __future__ import annotations

import pytest

from innograph.graph.store import Store
from innograph.queries.analysis import analyse_store
from innograph.queries.metrics import METRICS
from innograph.queries.projection import ProjectionCache, cooperation_from_participations
from tests.helpers import CONSORTIA, load_consortia


def test_analyse_writes_metrics_back_and_keeps_the_cache(store: Store) -> None:
    load_consortia(store)
    cache = ProjectionCache(store)
    projection = cache.projection()
    coop = projection.cooperation
    assert coop.number_of_nodes() == 8 and coop.degree("h") == 0
    reference = cooperation_from_participations([(o, p) for p, os in CONSORTIA.items() for o in os])
    for u, v, data in reference.edges(data=True):
        assert coop.edges[u, v]["collaboration_weight"] == pytest.approx(data["collaboration_weight"])
        assert coop.edges[u, v]["shared_projects"] == data["shared_projects"]

    analysis = analyse_store(store, cache)
    assert cache.projection() is not projection  # re-stamped with the version of our own write ...
    assert cache.projection().cooperation is coop  # ... but not rebuilt
    assert analyse_store(store, cache, write=False) is analysis

    d = store.organisation("d")
    row = analysis.metrics.row(analysis.metrics.nodes.index("d"))
    for metric in METRICS:
        assert d[metric] == pytest.approx(getattr(row, metric))
    assert d["articulation_point"] is True and d["analysis_run"] == analysis.run_id
    assert "constraint" not in store.organisation("h")  # isolated: no constraint, property left out
    assert store.counts().labels["AnalysisRun"] == 1

    load_consortia(store)  # someone else writes: the cache must rebuild
    assert cache.projection().cooperation is not coop
