"""The topic search of ``GET /organisations?q=`` in one process: from the tie graph (as it was) and from the
path snapshot (issue 14).

    .venv/bin/python bench/topic_search.py [--port 17742] [--data-dir .innograph-bench-topics] [--repeat 5]

Starts its own local Neo4j on ``--port`` with ``--data-dir`` (never the default server's: it empties the
database), loads the real H2020 Thuringia slice (``../shared/data``) and times, for a fixed list of topics:

* ``evidence``: the project evidence from Neo4j's ``project_texts`` full-text index
  (:func:`queries.competence.read_evidence`), which both forms read per query;
* ``tie graph``: the assessment loop over every tie-graph node, as the search did before;
* ``snapshot``: :func:`queries.competence.find_by_topic` on the mapped snapshot (the candidates, the
  same assessment loop, the ranking);

and once per worker what the first search needed before (the projection read from Neo4j plus the tie
graph) and needs now (mapping the snapshot the load built). Each query runs ``--repeat`` times per
side, the best time counts; medians and maxima over the topics are printed in milliseconds. The two
forms must assess alike (checked).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from innograph.graph import local_server  # noqa: E402
from innograph.graph.store import Store  # noqa: E402
from innograph.loaders.cordis import load_cordis  # noqa: E402
from innograph.queries.competence import (  # noqa: E402
    candidates,
    competences,
    find_by_topic,
    read_evidence,
    terms_of,
)
from innograph.queries.path_snapshot import PathSnapshot  # noqa: E402
from innograph.queries.tie_graph import CLUSTER_KIND, build_tie_graph  # noqa: E402
from innograph.settings import Settings  # noqa: E402

TOPICS = [
    "photonics", "Photonik", "laser", "KI", "quantum", "Halbleiter", "medical technology", "battery",
    "hydrogen", "sensor", "materials", "microfluidic", "fibre", "imaging", "Jena", "climate",
]  # fmt: skip
T = TypeVar("T")


def best_ms(repeat: int, run: Callable[..., T], *args: Any) -> tuple[float, T]:
    """The best of ``repeat`` calls ``run(*args)`` in milliseconds, and the last result."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run(*args)
        times.append((time.perf_counter() - started) * 1000)
    return min(times), result


def keep(_: str, data: Any) -> bool:
    """What the topic search keeps: every organisation, no cluster node."""
    return data["kind"] != CLUSTER_KIND


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=17742)
    parser.add_argument("--data-dir", type=Path, default=REPO / ".innograph-bench-topics")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir, neo4j_port=args.port, neo4j_heap_mb=1024)
    _, started = local_server.start(settings)
    store = Store.connect(settings)
    try:
        store.init_schema()
        store.clear()
        load_cordis(REPO.parent / "shared" / "data" / "cordis_h2020_thuringia", store)
        measure(store, args.repeat)
    finally:
        store.close()
        if started:
            local_server.stop(settings)


def measure(store: Store, repeat: int) -> None:
    """Print the first-search costs and the per-query table (module docstring)."""
    projection_ms, graph = best_ms(1, store.to_networkx)
    graph_ms, ties = best_ms(1, build_tie_graph, graph)
    with tempfile.TemporaryDirectory() as folder:
        PathSnapshot.of(ties, version=1).write(Path(folder) / "v1")
        open_ms, snapshot = best_ms(1, PathSnapshot.open, Path(folder) / "v1")
        print(f"real H2020 slice: {len(ties.ids):,} nodes; first search in a worker:")
        print(f"  before: projection from Neo4j {projection_ms:,.0f} ms + tie graph {graph_ms:,.0f} ms")
        print(f"  now: map the snapshot the load built {open_ms:.1f} ms")
        rows = []
        for topic in TOPICS:
            terms = terms_of([topic])
            evidence_ms, evidence = best_ms(repeat, read_evidence, store, terms)
            old_ms, old = best_ms(repeat, competences, ties.graph.nodes(data=True), evidence, terms, keep)
            nodes = list(candidates(snapshot, terms, evidence))
            assert competences(nodes, evidence, terms, keep) == old, topic
            new_ms, hits = best_ms(repeat, find_by_topic, snapshot, evidence, topic)
            rows.append((topic, len(hits), len(nodes), evidence_ms, old_ms, new_ms))
    print(f"\n{'topic':<20}{'hits':>6}{'assessed':>10}{'evidence ms':>13}{'tie graph ms':>14}{'snapshot ms':>13}")
    for topic, hits, assessed, evidence_ms, old_ms, new_ms in rows:
        print(f"{topic:<20}{hits:>6}{assessed:>10}{evidence_ms:>13.2f}{old_ms:>14.2f}{new_ms:>13.2f}")
    for name, pick in (("median", statistics.median), ("max", max)):
        evidence_ms, old_ms, new_ms = (pick(row[i] for row in rows) for i in (3, 4, 5))
        print(f"{name:<36}{evidence_ms:>13.2f}{old_ms:>14.2f}{new_ms:>13.2f}")
    print(f"(assessed: tie-graph nodes {len(ties.ids):,} before; the snapshot's candidates now)")


if __name__ == "__main__":
    main()
