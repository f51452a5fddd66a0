"""Load benchmark: the store's batched writes against one row per transaction, measured in the same run.

Run with ``.venv/bin/python bench/load.py`` (``--help`` for the sizes). It starts its own local Neo4j
(own data folder and port, so it never touches the demo's or the tests' server), empties the graph
before each part, and prints rows/s:

(a) batched: synthetic organisations, projects and participations (default 20k organisations,
    about 200k participations) through ``Store.apply`` (``UNWIND`` batches, one transaction per batch);
(b) baseline: the same kinds of rows from a smaller ecosystem, each row its own transaction
    (``Store.apply`` with a one-row step), and the ratio (a)/(b) per kind;
(c) with ``--big``: a whole synthetic ecosystem (default 100k organisations, about 1M participations)
    end to end, every step of :func:`loaders.synthetic.steps` including the cooperation derivation.

The issue's targets: batched participations >= 20x the one-row baseline and >= 20,000 rows/s on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graph import local_server  # noqa: E402
from graph.store import Step, Store, organisations, participations, projects  # noqa: E402
from innograph.settings import Settings  # noqa: E402
from loaders import synthetic  # noqa: E402

TARGET_RATIO = 20.0
TARGET_PARTICIPATIONS_PER_S = 20_000.0


@dataclass(frozen=True)
class Timing:
    """Rows written by one step and the wall-clock seconds it took."""

    name: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


def core_steps(ecosystem: synthetic.SyntheticEcosystem) -> list[Step]:
    """The rows the issue names: organisations, projects, participations (in write order)."""
    return [
        organisations(ecosystem.organisations),
        projects(ecosystem.projects),
        participations(ecosystem.participations),
    ]


def batched(store: Store, steps: list[Step], *, atomic: bool) -> list[Timing]:
    """Each step through the store's batched path, timed on its own."""
    timings = []
    for step in steps:
        started = time.perf_counter()
        store.apply([step], atomic=atomic)
        timings.append(Timing(step.name, len(step.rows), time.perf_counter() - started))
    return timings


def one_row_per_transaction(store: Store, steps: list[Step]) -> list[Timing]:
    """Each row of each step as its own one-row step, so its own managed transaction."""
    timings = []
    for step in steps:
        started = time.perf_counter()
        for row in step.rows:
            store.apply([replace(step, rows=[row])], atomic=False)
        timings.append(Timing(step.name, len(step.rows), time.perf_counter() - started))
    return timings


def total(name: str, timings: list[Timing]) -> Timing:
    return Timing(name, sum(t.rows for t in timings), sum(t.seconds for t in timings))


def report(title: str, timings: list[Timing]) -> None:
    print(f"\n{title}")
    for t in [*timings, total("total", timings)]:
        print(f"  {t.name:<22} {t.rows:>10,} rows {t.seconds:>9.2f} s {t.rate:>12,.0f} rows/s")


def compare(fast: list[Timing], slow: list[Timing]) -> float:
    """Print the batched/one-row ratio per step and overall; return the participations ratio."""
    print("\nratio batched / one row per transaction (rows/s)")
    for a, b in zip([*fast, total("total", fast)], [*slow, total("total", slow)], strict=True):
        print(f"  {a.name:<22} {a.rate / b.rate:>8.1f}x")
    return next(a.rate / b.rate for a, b in zip(fast, slow, strict=True) if a.name == "participations")


def timed_generate(orgs: int, seed: int) -> synthetic.SyntheticEcosystem:
    started = time.perf_counter()
    ecosystem = synthetic.generate(orgs, seed)
    seconds = time.perf_counter() - started
    print(f"generated {orgs:,} organisations, {len(ecosystem.participations):,} participations in {seconds:.1f} s")
    return ecosystem


def warm_up(store: Store, orgs: int, seed: int) -> None:
    """An untimed load on the fresh server, so the JVM has compiled the write path before (a) and (b)."""
    steps = core_steps(synthetic.generate(orgs, seed + 1))
    batched(store, steps, atomic=False)
    one_row_per_transaction(store, [replace(step, rows=step.rows[:200]) for step in steps])
    store.clear()


def run(store: Store, args: argparse.Namespace) -> bool:
    """All parts; True when both targets are met."""
    store.clear()
    warm_up(store, args.warmup_orgs, args.seed)
    fast = batched(store, core_steps(timed_generate(args.orgs, args.seed)), atomic=args.atomic)
    mode = "all batches in one transaction" if args.atomic else "one transaction per batch"
    report(f"(a) batched, batch size {args.batch_size}, {mode}", fast)

    store.clear()
    slow = one_row_per_transaction(store, core_steps(timed_generate(args.baseline_orgs, args.seed)))
    report("(b) one row per transaction", slow)
    ratio = compare(fast, slow)
    rate = next(t.rate for t in fast if t.name == "participations")
    met = ratio >= TARGET_RATIO and rate >= TARGET_PARTICIPATIONS_PER_S
    print(
        f"\nparticipations: {rate:,.0f} rows/s (target {TARGET_PARTICIPATIONS_PER_S:,.0f}), "
        f"{ratio:.1f}x the one-row baseline (target {TARGET_RATIO:.0f}x): {'MET' if met else 'MISSED'}"
    )
    if args.big:
        store.clear()
        ecosystem = timed_generate(args.big_orgs, args.seed)
        started = time.perf_counter()
        steps = synthetic.steps(ecosystem)
        print(f"built {len(steps)} steps in {time.perf_counter() - started:.1f} s")
        report(
            f"(c) synthetic ecosystem end to end, {args.big_orgs:,} organisations", batched(store, steps, atomic=False)
        )
    return met


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=20_000, help="organisations in (a); ~10 participations each")
    parser.add_argument("--baseline-orgs", type=int, default=200, help="organisations in (b); ~10 participations each")
    parser.add_argument("--warmup-orgs", type=int, default=1000, help="organisations in the untimed warm-up")
    parser.add_argument("--big", action="store_true", help="also run (c), the whole ecosystem end to end")
    parser.add_argument("--big-orgs", type=int, default=100_000, help="organisations in (c)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size, help="rows per UNWIND batch")
    parser.add_argument("--atomic", action="store_true", help="(a) in one transaction, as the file loaders do")
    parser.add_argument("--data-dir", type=Path, default=REPO / ".innograph" / "bench", help="the server's data")
    parser.add_argument("--port", type=int, default=17695, help="the server's Bolt port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    settings = Settings(data_dir=args.data_dir, neo4j_port=args.port, batch_size=args.batch_size, neo4j_uri=None)
    _, started = local_server.start(settings)
    try:
        with Store.connect(settings) as store:
            store.init_schema()
            return 0 if run(store, args) else 1
    finally:
        if started:
            local_server.stop(settings)


if __name__ == "__main__":
    sys.exit(main())
