"""``innograph demo-data``: generate a synthetic ecosystem and load it through the store.

The records are validated by pydantic as they are generated, so a row cannot be rejected; ``--strict``
instead checks that every generated node and relationship reads back from Neo4j (exit 1 otherwise).
Each batch is its own transaction: a 1M-organisation ecosystem does not fit one transaction, and
an interrupted load is completed by running the same command again (same seed, same records, MERGE).
"""

from __future__ import annotations

import time

import typer
from rich.progress import Progress
from rich.table import Table

from innograph.console import clean_errors, console, errors
from innograph.graph.connection import open_store
from innograph.graph.steps import Step
from innograph.graph.store import Counts, Store, WriteSummary
from innograph.loaders import synthetic
from innograph.queries.path_snapshot import publish_for
from innograph.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add ``demo-data`` to the command-line tool."""
    app.command("demo-data")(demo_data)


@clean_errors
def demo_data(
    orgs: int = typer.Option(
        1000, "--orgs", min=synthetic.MIN_ORGS, max=1_000_000, help="Number of organisations to generate."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same ecosystem."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Generate and validate, write nothing."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 unless every generated record reads back."),
) -> None:
    """Generate a fictional ecosystem (deterministic for a seed) and load it into the graph."""
    started = time.perf_counter()
    ecosystem = synthetic.generate(orgs, seed)
    expected = ecosystem.expected_counts()
    console.print(f"generated {orgs:,} organisations (seed {seed}) in {time.perf_counter() - started:.1f} s")
    if dry_run:
        print_comparison(expected, None)
        console.print("dry run: nothing written")
        return
    steps = synthetic.steps(ecosystem)
    settings = get_settings()
    with open_store(settings) as store:
        started = time.perf_counter()
        summary = write_with_progress(store, steps)
        seconds = time.perf_counter() - started
        counts = store.counts()
        published = publish_for(settings.data_dir, store, "innograph synthetic")
    rows = sum(summary.rows.values())
    console.print(
        f"wrote {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s): "
        f"{summary.nodes_created:,} nodes and {summary.relationships_created:,} relationships created"
    )
    console.print(published)
    print_comparison(expected, counts)
    missing = shortfall(expected, counts)
    if missing:
        errors.print(f"[red]missing after the load:[/red] {', '.join(missing)}", highlight=False)
        if strict:
            raise typer.Exit(1)


def write_with_progress(store: Store, steps: list[Step]) -> WriteSummary:
    """Apply the steps one after another (one transaction per batch) with a progress bar over rows.

    Ends by recomputing the home flags, as the file loaders do inside their one transaction.
    """
    summary = WriteSummary()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("loading", total=sum(len(step.rows) for step in steps))
        for step in steps:
            progress.update(task, description=step.name)
            summary.add(store.apply([step], atomic=False))
            progress.advance(task, len(step.rows))
    summary.add(store.mark_home())
    return summary


def shortfall(expected: Counts, actual: Counts) -> list[str]:
    """Labels and relationship types with fewer entries in the graph than generated, as ``"NAME a < b"``."""
    pairs = [(expected.labels, actual.labels), (expected.relationships, actual.relationships)]
    return [
        f"{name} {have.get(name, 0):,} < {n:,}"
        for want, have in pairs
        for name, n in want.items()
        if have.get(name, 0) < n
    ]


def print_comparison(expected: Counts, actual: Counts | None) -> None:
    """Generated counts beside the counts read back from Neo4j (none on a dry run)."""
    table = Table(title="synthetic ecosystem")
    for column in ("kind", "name", "generated", *(["read back from Neo4j"] if actual else [])):
        table.add_column(column, justify="right" if column not in ("kind", "name") else "left")
    sections = [("nodes", expected.labels, actual.labels if actual else {})]
    sections.append(("relationships", expected.relationships, actual.relationships if actual else {}))
    for kind, want, have in sections:
        for name in sorted(want.keys() | have.keys()):
            read_back = [f"{have.get(name, 0):,}"] if actual else []
            table.add_row(kind, name, f"{want.get(name, 0):,}" if name in want else "derived", *read_back)
    console.print(table)
