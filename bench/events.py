"""Event planning speed on the real H2020 Thuringia slice, against the partner finder in the same process.

    .venv/bin/python bench/events.py [--data ../shared/data/cordis_h2020_thuringia] [--runs 10]

The slice is loaded into the benchmark's own Neo4j; then, on the same tie graph and store, the same
``photonics`` and ``medical technology`` event (40 invitees, 3 meetings each, partners abroad allowed) is
planned ``--runs`` times (project evidence from the full-text index, invite lists, the b-matching), and the
peer — one partner search per side for the same keywords — runs as often. Printed: the median of each and
their ratio, so the figure says what a plan costs in partner searches on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from innograph.graph import local_server  # noqa: E402
from innograph.graph.store import Store  # noqa: E402
from innograph.loaders.cordis import load_cordis  # noqa: E402
from innograph.queries.events import EventBrief, EventSide, event_from_store  # noqa: E402
from innograph.queries.partners import PartnerNeed, partners_from_store  # noqa: E402
from innograph.queries.tie_graph import build_tie_graph  # noqa: E402
from innograph.settings import Settings  # noqa: E402

SIDES = {"Photonics": ["photonics"], "Medical": ["medical technology"]}


def median_ms(work: Callable[[], object], runs: int) -> float:
    """Median wall time of ``work`` in milliseconds over ``runs`` calls (after one warm-up call)."""
    work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "cordis_h2020_thuringia")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--port", type=int, default=17698)
    args = parser.parse_args()
    settings = Settings(neo4j_port=args.port, data_dir=REPO / ".innograph-bench" / "events")
    local_server.start(settings)
    with Store.connect(settings) as store:
        store.clear()
        load_cordis(args.data, store)
        ties = build_tie_graph(store.to_networkx(), version=store.version())
        brief = EventBrief(
            title="Photonics meets medicine",
            sides=[EventSide(label=label, keywords=words) for label, words in SIDES.items()],
            size=40,
            meetings_per_organisation=3,
            home_only=False,
        )
        plan = event_from_store(store, ties, brief)
        source = max(ties.ids, key=lambda node: (ties.graph.nodes[node].get("projects", 0), node))

        def searches() -> None:
            for words in SIDES.values():
                partners_from_store(store, ties, source, PartnerNeed(keywords=words), limit=20)

        planned = median_ms(lambda: event_from_store(store, ties, brief), args.runs)
        searched = median_ms(searches, args.runs)
    print(f"{args.data.name}: {len(ties.ids):,} organisations; plan: {len(plan.invitees)} invitees, "
          f"{len(plan.meetings)} meetings")  # fmt: skip
    print(f"event plan (evidence, invite lists, b-matching)   median {planned:8.1f} ms over {args.runs} runs")
    print(f"peer: one partner search per side, same keywords  median {searched:8.1f} ms")
    print(f"ratio plan / partner searches: {planned / searched:.1f}x")


if __name__ == "__main__":
    main()
