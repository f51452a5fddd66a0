"""Load benchmark: the store's batched writes against one row per transaction, measured in the same run.

Run with ``.venv/bin/python bench/load.py`` (``--help`` for the sizes). It starts its own local Neo4j
(own data folder and port, so it never touches the demo's or the tests' server), empties the graph
before each part, and prints rows/s:

(a) batched: synthetic organisations, projects and participations (default 20k organisations,
    about 200k participations) through ``Store.apply`` (``UNWIND`` batches, one transaction per batch);
(b) baseline: the same kinds of rows from a smaller ecosystem, each row its own transaction
    (``Store.apply`` with a one-row step), and the ratio (a)/(b) per kind;
(c) with ``--big``: a whole synthetic ecosystem (default 100k organisations, about 1M participations)
    end to end, every step of :func:`loaders.synthetic.steps`, one transaction per batch; the cooperation
    derivation is timed on its own, chunk by chunk (one transaction per chunk of project ids), and stopped
    after ``--derive-budget`` seconds with the pairs written so far and an extrapolation;
(d) the real H2020 Thuringia slice (``../shared/data/cordis_h2020_thuringia``) through
    :func:`loaders.cordis.load_cordis` into an emptied graph: rows read per second, participations per
    second, and the seconds split into parse + validate + resolve and the write (one transaction,
    cooperation derivation included), then the derivation alone re-run on the loaded graph.

``--parts`` picks the parts (default ``abd``; ``--big`` adds ``c``).

The issue's targets: batched participations >= 20x the one-row baseline and >= 20,000 rows/s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import ManagedTransaction

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from innograph.graph import local_server  # noqa: E402
from innograph.graph.store import (  # noqa: E402
    Row,
    Step,
    Store,
    WriteSummary,
    derive_cooperation,
    organisations,
    participations,
    projects,
)
from innograph.loaders import synthetic  # noqa: E402
from innograph.loaders.cordis import load_cordis  # noqa: E402
from innograph.settings import Settings  # noqa: E402

REAL_SLICE = REPO.parent / "shared" / "data" / "cordis_h2020_thuringia"

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


class TimedStore(Store):
    """A store that adds up how long its writes take, so a loader's write can be told from its parsing.

    ``write_seconds``: wall time inside :meth:`apply`; ``prepare_seconds`` / ``prepared_rows``: the part of it
    spent in steps' ``prepare`` (cooperation: reading the participations inside the transaction and computing
    the pairs in Python) and the rows it produced (pairs). A retried transaction would be counted twice.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reset_timers()

    def reset_timers(self) -> None:
        """Start the sums from zero."""
        self.write_seconds = 0.0
        self.prepare_seconds = 0.0
        self.prepared_rows = 0

    def apply(self, steps: Sequence[Step], *, atomic: bool = True) -> WriteSummary:
        """:meth:`Store.apply`, timed."""
        started = time.perf_counter()
        try:
            return super().apply([self._timed(step) for step in steps], atomic=atomic)
        finally:
            self.write_seconds += time.perf_counter() - started

    def _timed(self, step: Step) -> Step:
        prepare = step.prepare
        if prepare is None:
            return step

        def timed(tx: ManagedTransaction, batch: list[Row]) -> list[Row]:
            started = time.perf_counter()
            rows = prepare(tx, batch)
            self.prepare_seconds += time.perf_counter() - started
            self.prepared_rows += len(rows)
            return rows

        return replace(step, prepare=timed)


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


def batched_vs_one_row(meter: Meter, store: Store, args: argparse.Namespace) -> bool:
    """Parts (a) and (b); True when both targets are met."""
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
    return met


def pair_census(ecosystem: synthetic.SyntheticEcosystem) -> tuple[int, int, int]:
    """(largest consortium, pair instances = sum over projects of n(n-1)/2, distinct organisation pairs).

    The distinct pairs are the COOPERATES_WITH relationships the derivation must write.
    """
    index: dict[str, int] = {}
    members: dict[str, list[int]] = {}
    for p in ecosystem.participations:
        members.setdefault(p.project_id, []).append(index.setdefault(p.org_id, len(index)))
    n = len(index)
    keys: list[np.ndarray] = []
    largest = instances = 0
    for orgs in members.values():
        ids = np.unique(np.asarray(orgs, dtype=np.int64))
        largest = max(largest, len(ids))
        instances += len(ids) * (len(ids) - 1) // 2
        i, j = np.triu_indices(len(ids), k=1)
        keys.append(ids[i] * n + ids[j])
    distinct = len(np.unique(np.concatenate(keys))) if keys else 0
    return largest, instances, distinct


def derivation(meter: Meter, store: TimedStore, step: Step, chunk: int, budget: float) -> None:
    """The cooperation step in chunks of project ids, one transaction each, until done or over ``budget`` s."""
    store.reset_timers()
    done = pairs = created = 0
    timings: list[Timing] = []
    started = time.perf_counter()
    summaries: list[WriteSummary] = []
    for first in range(0, len(step.rows), chunk):
        part = step.rows[first : first + chunk]
        before = store.prepared_rows
        work = lambda part=part: summaries.append(store.apply([replace(step, rows=part)]))  # noqa: E731
        timings.append(meter.measure("cooperation", len(part), work))
        done += len(part)
        pairs += store.prepared_rows - before
        created += summaries[-1].relationships_created
        elapsed = time.perf_counter() - started
        print(
            f"  derived {done:,}/{len(step.rows):,} projects: {pairs:,} pair rows written, {created:,} "
            f"COOPERATES_WITH created, {elapsed:.0f} s (read+pairs {store.prepare_seconds:.0f} s), "
            f"peak client RSS {peak_rss_gb():.1f} GB",
            flush=True,
        )
        if elapsed > budget and done < len(step.rows):
            print(
                f"  stopped after the {budget:.0f} s budget: {done / len(step.rows):.1%} of the projects in "
                f"{elapsed:.0f} s; all projects at this rate: ~{elapsed * len(step.rows) / done / 60:.0f} min"
            )
            break
    report("(c) cooperation derivation (rows = project ids)", [total("cooperation", timings)])
    print(
        f"  {pairs:,} pair rows written ({pairs / store.write_seconds:,.0f}/s), {created:,} COOPERATES_WITH created; "
        f"of {store.write_seconds:.1f} s, {store.prepare_seconds:.1f} s reading participations and computing pairs"
    )


def peak_rss_gb() -> float:
    """This process's peak resident memory (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def big(meter: Meter, store: TimedStore, args: argparse.Namespace) -> None:
    """Part (c): a whole synthetic ecosystem, participations and derivation reported apart."""
    store.clear()
    ecosystem = timed_generate(args.big_orgs, args.seed)
    started = time.perf_counter()
    steps = synthetic.steps(ecosystem)
    print(f"built {len(steps)} steps in {time.perf_counter() - started:.1f} s; peak client RSS {peak_rss_gb():.1f} GB")
    started = time.perf_counter()
    largest, instances, distinct = pair_census(ecosystem)
    print(
        f"cooperation to derive: {len(ecosystem.projects):,} projects, largest consortium {largest:,}, "
        f"{instances:,} pair instances (sum of n(n-1)/2), {distinct:,} distinct pairs "
        f"(counted in {time.perf_counter() - started:.1f} s)"
    )
    *load, cooperation = steps
    report(
        f"(c) synthetic ecosystem, {args.big_orgs:,} organisations, one transaction per batch",
        batched(meter, store, load, atomic=False),
    )
    print(f"\n(c) cooperation derivation, chunks of {args.derive_chunk:,} projects, budget {args.derive_budget:.0f} s")
    derivation(meter, store, cooperation, args.derive_chunk, args.derive_budget)


def real_slice(meter: Meter, store: TimedStore, folder: Path, run: int) -> None:
    """Part (d): the real H2020 slice end to end through ``load_cordis`` into an emptied graph.

    Run 1 on a fresh server includes the JVM compiling the Cypher runtime's code paths; later runs do not.
    """
    store.clear()
    store.reset_timers()
    reports = []
    timing = meter.measure("load_cordis", 0, lambda: reports.append(load_cordis(folder, store)))
    load = reports[0]
    rows = sum(load.rows_read.values())
    links = load.relationships.get("PARTICIPATES_IN", 0)
    write, pairs = store.write_seconds, store.prepare_seconds
    print(f"\n(d) real slice {folder.name} through load_cordis, one transaction, run {run}")
    print(f"  {load.summary()}")
    print(f"  rows read {load.rows_read}, {load.rejected_rows:,} rejected; resolved {load.relationships}")
    print(
        f"  {timing.seconds:.2f} s wall: {timing.seconds - write:.2f} s parse + validate + resolve, "
        f"{write:.2f} s write "
        f"(of it {pairs:.2f} s reading participations and computing {store.prepared_rows:,} cooperation pairs)"
    )
    print(
        f"  {rows / timing.seconds:,.0f} rows read/s, {links / timing.seconds:,.0f} participations/s end to end; "
        f"client CPU {timing.client_cpu:.2f} s, server CPU {timing.server_cpu:.2f} s"
    )
    counts = store.counts()
    print(f"  read back: {counts.labels} {counts.relationships}")
    store.reset_timers()
    again = meter.measure("cooperation", 0, lambda: store.apply([derive_cooperation(store.all_project_ids())]))
    print(
        f"  derivation alone, re-run over all projects of the loaded graph: {again.seconds:.2f} s wall "
        f"({store.prepare_seconds:.2f} s read + pairs, {store.prepared_rows:,} pairs; client CPU "
        f"{again.client_cpu:.2f} s, server CPU {again.server_cpu:.2f} s)"
    )


def run(meter: Meter, store: TimedStore, args: argparse.Namespace) -> bool:
    """The chosen parts in the order a, b, d, c; True unless (a)/(b) ran and missed a target."""
    met = True
    if "a" in args.parts or "b" in args.parts:
        met = batched_vs_one_row(meter, store, args)
    if "d" in args.parts:
        for number in range(1, args.slice_runs + 1):
            real_slice(meter, store, args.slice, number)
    if args.big or "c" in args.parts:
        big(meter, store, args)
    return met


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=20_000, help="organisations in (a); ~10 participations each")
    parser.add_argument("--baseline-orgs", type=int, default=200, help="organisations in (b); ~10 participations each")
    parser.add_argument("--warmup-orgs", type=int, default=1000, help="organisations in the untimed warm-up")
    parser.add_argument("--big", action="store_true", help="also run (c), the whole ecosystem end to end")
    parser.add_argument("--big-orgs", type=int, default=100_000, help="organisations in (c)")
    parser.add_argument("--derive-chunk", type=int, default=5000, help="project ids per derivation transaction in (c)")
    parser.add_argument("--derive-budget", type=float, default=1500.0, help="seconds before (c) stops deriving")
    parser.add_argument("--parts", default="abd", help="parts to run: any of a, b, c, d (a and b run together)")
    parser.add_argument("--slice", type=Path, default=REAL_SLICE, help="the CORDIS folder for (d)")
    parser.add_argument("--slice-runs", type=int, default=2, help="times (d) loads the slice (run 1 is cold)")
    parser.add_argument("--heap-mb", type=int, default=Settings().neo4j_heap_mb, help="the server's Java heap")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size, help="rows per UNWIND batch")
    parser.add_argument("--atomic", action="store_true", help="(a) in one transaction, as the file loaders do")
    parser.add_argument("--data-dir", type=Path, default=REPO / ".innograph" / "bench", help="the server's data")
    parser.add_argument("--port", type=int, default=17695, help="the server's Bolt port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    settings = Settings(
        data_dir=args.data_dir,
        neo4j_port=args.port,
        batch_size=args.batch_size,
        neo4j_heap_mb=args.heap_mb,
        neo4j_uri=None,
    )
    server, started = local_server.start(settings)
    if server.pid is None:
        raise SystemExit("the local Neo4j server did not report its pid")
    try:
        with TimedStore.connect(settings) as store:
            assert isinstance(store, TimedStore)
            store.init_schema()
            return 0 if run(Meter(server.pid), store, args) else 1
    finally:
        if started:
            local_server.stop(settings)


if __name__ == "__main__":
    sys.exit(main())
