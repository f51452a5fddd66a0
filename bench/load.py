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
import os
import sys
import time
from collections.abc import Callable
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
_WIDTHS = (10, 9, 10, 13, 13, 11)


@dataclass(frozen=True)
class Timing:
    """Rows written by one step: wall-clock seconds, and CPU seconds of this client and of the Neo4j server.

    The CPU seconds make a run on a shared machine readable: wall time includes waiting for the cores,
    CPU time is the work itself.
    """

    name: str
    rows: int
    seconds: float
    client_cpu: float
    server_cpu: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")

    @property
    def cpu_rate(self) -> float:
        """Rows per CPU second, client and server together."""
        cpu = self.client_cpu + self.server_cpu
        return self.rows / cpu if cpu else float("inf")


class Meter:
    """Times a piece of work by wall clock and by the CPU time of this process and the server's (Linux /proc)."""

    def __init__(self, server_pid: int) -> None:
        self._stat = Path(f"/proc/{server_pid}/stat")
        self._tick = os.sysconf("SC_CLK_TCK")

    def _server_cpu(self) -> float:
        fields = self._stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime

    def measure(self, name: str, rows: int, work: Callable[[], object]) -> Timing:
        wall, client, server = time.perf_counter(), time.process_time(), self._server_cpu()
        work()
        return Timing(
            name,
            rows,
            time.perf_counter() - wall,
            time.process_time() - client,
            self._server_cpu() - server,
        )


def core_steps(ecosystem: synthetic.SyntheticEcosystem) -> list[Step]:
    """The rows the issue names: organisations, projects, participations (in write order)."""
    return [
        organisations(ecosystem.organisations),
        projects(ecosystem.projects),
        participations(ecosystem.participations),
    ]


def batched(meter: Meter, store: Store, steps: list[Step], *, atomic: bool) -> list[Timing]:
    """Each step through the store's batched path, timed on its own."""
    return [
        meter.measure(step.name, len(step.rows), lambda step=step: store.apply([step], atomic=atomic)) for step in steps
    ]


def one_row_per_transaction(meter: Meter, store: Store, steps: list[Step]) -> list[Timing]:
    """Each row of each step as its own one-row step, so its own managed transaction."""

    def rows_one_by_one(step: Step) -> None:
        for row in step.rows:
            store.apply([replace(step, rows=[row])], atomic=False)

    return [meter.measure(step.name, len(step.rows), lambda step=step: rows_one_by_one(step)) for step in steps]


def total(name: str, timings: list[Timing]) -> Timing:
    return Timing(
        name,
        sum(t.rows for t in timings),
        sum(t.seconds for t in timings),
        sum(t.client_cpu for t in timings),
        sum(t.server_cpu for t in timings),
    )


def report(title: str, timings: list[Timing]) -> None:
    print(f"\n{title}")
    columns = ("rows", "wall s", "rows/s", "client cpu s", "server cpu s", "rows/cpu s")
    print(f"  {'step':<18} " + " ".join(f"{c:>{w}}" for c, w in zip(columns, _WIDTHS, strict=True)))
    for t in [*timings, total("total", timings)]:
        values = (f"{t.rows:,}", f"{t.seconds:.2f}", f"{t.rate:,.0f}", f"{t.client_cpu:.2f}", f"{t.server_cpu:.2f}")
        values += (f"{t.cpu_rate:,.0f}",)
        print(f"  {t.name:<18} " + " ".join(f"{v:>{w}}" for v, w in zip(values, _WIDTHS, strict=True)))


def compare(fast: list[Timing], slow: list[Timing]) -> float:
    """Print the batched/one-row ratio per step and overall (wall and CPU); return the participations ratio."""
    print("\nratio batched / one row per transaction")
    for a, b in zip([*fast, total("total", fast)], [*slow, total("total", slow)], strict=True):
        print(f"  {a.name:<18} {a.rate / b.rate:>8.1f}x rows/s   {a.cpu_rate / b.cpu_rate:>8.1f}x rows per CPU second")
    return next(a.rate / b.rate for a, b in zip(fast, slow, strict=True) if a.name == "participations")


def timed_generate(orgs: int, seed: int) -> synthetic.SyntheticEcosystem:
    started = time.perf_counter()
    ecosystem = synthetic.generate(orgs, seed)
    seconds = time.perf_counter() - started
    print(f"generated {orgs:,} organisations, {len(ecosystem.participations):,} participations in {seconds:.1f} s")
    return ecosystem


def warm_up(meter: Meter, store: Store, orgs: int, seed: int) -> None:
    """An untimed load on the fresh server, so the JVM has compiled the write path before (a) and (b)."""
    steps = core_steps(synthetic.generate(orgs, seed + 1))
    batched(meter, store, steps, atomic=False)
    one_row_per_transaction(meter, store, [replace(step, rows=step.rows[:200]) for step in steps])
    store.clear()


def run(meter: Meter, store: Store, args: argparse.Namespace) -> bool:
    """All parts; True when both targets are met."""
    store.clear()
    warm_up(meter, store, args.warmup_orgs, args.seed)
    fast = batched(meter, store, core_steps(timed_generate(args.orgs, args.seed)), atomic=args.atomic)
    mode = "all batches in one transaction" if args.atomic else "one transaction per batch"
    report(f"(a) batched, batch size {args.batch_size}, {mode}", fast)

    store.clear()
    slow = one_row_per_transaction(meter, store, core_steps(timed_generate(args.baseline_orgs, args.seed)))
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
    server, started = local_server.start(settings)
    if server.pid is None:
        raise SystemExit("the local Neo4j server did not report its pid")
    try:
        with Store.connect(settings) as store:
            store.init_schema()
            return 0 if run(Meter(server.pid), store, args) else 1
    finally:
        if started:
            local_server.stop(settings)


if __name__ == "__main__":
    sys.exit(main())
