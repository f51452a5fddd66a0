"""The loaders' commands: ``innograph load cordis|profiles|clusters``, ``fetch cordis`` and ``review``.

Every load prints its report; ``--strict`` exits 1 when any row was rejected (and then
nothing was written), ``--dry-run`` validates and resolves without writing. Errors of
the file itself (missing column, not UTF-8, binary, empty) exit 1 with one clear line.
``innograph review`` lists the uncertain name matches with their evidence and records a
person's decision, which the next load applies (:mod:`loaders.review`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from innograph.console import clean_errors, console, errors
from innograph.graph.connection import open_store
from innograph.graph.store import Store
from innograph.loaders.base import LoadReport
from innograph.loaders.clusters import load_clusters
from innograph.loaders.cordis import load_cordis
from innograph.loaders.fetch import PROGRAMMES, fetch_cordis
from innograph.loaders.profiles import load_profiles
from innograph.loaders.review import ReviewEntry, ReviewSide, Verdict, decide, review_queue, short_where
from innograph.queries.path_snapshot import publish_for
from innograph.settings import get_settings

SHOWN_REJECTIONS = 20

DryRun = Annotated[bool, typer.Option("--dry-run", help="Validate and resolve, write nothing.")]
Strict = Annotated[bool, typer.Option("--strict", help="Write nothing and exit 1 if any row is rejected.")]
ReviewFile = Annotated[
    Path | None,
    typer.Option(
        "--review-file", help="CSV of uncertain name matches (default: <data dir>/review/<loader>-<input>.csv)."
    ),
]

Loader = Callable[..., LoadReport]


def print_report(report: LoadReport) -> None:
    """The load report as a table, then the first rejections and the review file."""
    table = Table(title=report.source)
    table.add_column("what")
    table.add_column("count", justify="right")
    for file, n in report.rows_read.items():
        table.add_row(f"rows read: {Path(file).name}", f"{n:,}")
    table.add_row("rows rejected", f"{report.rejected_rows:,}")
    for label, n in report.nodes.items():
        table.add_row(f"nodes: {label}", f"{n:,}")
    for kind, n in report.relationships.items():
        table.add_row(f"relationships: {kind}", f"{n:,}")
    if report.written:
        table.add_row("nodes created / updated", f"{report.nodes_created:,} / {report.nodes_updated:,}")
        table.add_row("relationships created (incl. derived cooperation)", f"{report.relationships_created:,}")
    table.add_row("seconds", f"{report.seconds:.1f}")
    console.print(table)
    for rejection in report.rejections[:SHOWN_REJECTIONS]:
        errors.print(f"rejected: {rejection}", highlight=False, soft_wrap=True, markup=False)
    if len(report.rejections) > SHOWN_REJECTIONS:
        errors.print(f"... and {len(report.rejections) - SHOWN_REJECTIONS:,} more rejections")
    if report.merged:
        console.print(f"{len(report.merged):,} organisations already in the graph merged into the one this load names")
    if report.review_pairs:
        where = f" (also in {report.review_file})" if report.review_file else ""
        console.print(f"{report.review_pairs:,} uncertain name matches: decide them with `innograph review`{where}")
    if report.failed:
        errors.print("strict: rows were rejected, so nothing was written")
    console.print(report.summary(), highlight=False, soft_wrap=True)


def _run(loader: Loader, path: Path, name: str, dry_run: bool, strict: bool, review_file: Path | None) -> None:
    settings = get_settings()
    review = review_file or settings.data_dir / "review" / f"{name}-{path.stem or path.name}.csv"
    store: Store = open_store(settings)
    try:
        report = loader(path, store, dry_run=dry_run, strict=strict, review_file=review, progress=True)
        published = publish_for(settings.data_dir, store, f"innograph load {name}") if report.written else None
    finally:
        store.close()
    print_report(report)
    if published:
        console.print(published)
    if report.failed:
        raise typer.Exit(1)


def _side(side: ReviewSide | None, *, show_id: bool) -> str:
    """An organisation of a pair in one or two lines: name, then id, place and projects."""
    if side is None:
        return "(no longer in the graph)"
    place = ", ".join(part for part in (side.city, side.country) if part) or "place unknown"
    projects = f"{side.projects:,} project{'s' if side.projects != 1 else ''}"
    details = " · ".join([side.id, place, projects] if show_id else [place, projects])
    return f"{side.name or side.id}\n[dim]{details}[/dim]"


def print_review(entries: list[ReviewEntry], *, include_decided: bool) -> None:
    """The review queue as a table: both names with their evidence, the score and the status."""
    if not entries:
        console.print(
            "no pairs to review" if include_decided else "no pending pairs to review (--all shows decided ones)"
        )
        return
    table = Table(title="uncertain name matches (decide: innograph review decide ID same|different)")
    for column in ("id", "incoming name (where it came from)", "candidate", "score", "status"):
        table.add_column(column, overflow="fold", justify="right" if column == "score" else "left")
    for entry in entries:
        incoming = _side(entry.incoming, show_id=False).split("\n", 1)
        first = f"{entry.name}\n{incoming[1] if len(incoming) > 1 else incoming[0]}" if entry.incoming else entry.name
        status = (
            entry.status
            if entry.status == "pending"
            else f"{entry.status}\n[dim]{(entry.decided_at or '')[:16].replace('T', ' ')}[/dim]"
        )
        table.add_row(
            entry.id,
            f"{first}\n[dim]{short_where(entry.where)}[/dim]",
            _side(entry.candidate, show_id=True),
            f"{entry.score:.1f}",
            status,
        )
    console.print(table)
    pending = sum(entry.status == "pending" for entry in entries)
    console.print(f"{pending:,} pending, {len(entries) - pending:,} decided", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``load``, ``fetch`` and ``review`` command groups to the innograph CLI."""
    load_app = typer.Typer(help="Load a source into the graph (validated, resolved, one transaction).")
    fetch_app = typer.Typer(help="Download public source data (needs internet).")
    review_app = typer.Typer(
        help="Uncertain name matches: list them, decide same or different (the next load applies it)."
    )
    app.add_typer(load_app, name="load")
    app.add_typer(fetch_app, name="fetch")
    app.add_typer(review_app, name="review")

    @review_app.callback(invoke_without_command=True)
    @clean_errors
    def review_command(
        ctx: typer.Context,
        all_pairs: Annotated[bool, typer.Option("--all", help="Also list the decided pairs.")] = False,
    ) -> None:
        """List the pending pairs with their evidence (--all: decided ones too)."""
        if ctx.invoked_subcommand is not None:
            return
        store: Store = open_store(get_settings())
        try:
            entries = review_queue(store, include_decided=all_pairs)
        finally:
            store.close()
        print_review(entries, include_decided=all_pairs)

    @review_app.command("decide")
    @clean_errors
    def decide_command(
        review_id: Annotated[str, typer.Argument(help="The pair's id, as `innograph review` lists it.")],
        decision: Annotated[Verdict, typer.Argument(help="same: one organisation; different: never merge them.")],
    ) -> None:
        """Record a decision on one pair; the next load applies it."""
        store: Store = open_store(get_settings())
        try:
            entry = decide(store, review_id, decision, "cli")
        finally:
            store.close()
        verdict = "the same organisation" if decision == "same" else "different organisations"
        console.print(
            f"recorded: {entry.name!r} and {entry.candidate.name!r} ({entry.candidate.id}) are {verdict}; "
            "the next load applies it",
            highlight=False,
            soft_wrap=True,
        )

    @load_app.command("cordis")
    @clean_errors
    def load_cordis_command(
        folder: Annotated[Path, typer.Argument(help="CORDIS folder: organization.csv (+ project.csv) or a slice.")],
        dry_run: DryRun = False,
        strict: Strict = False,
        review_file: ReviewFile = None,
    ) -> None:
        """Load CORDIS participations (official bulk files or the prepared slices)."""
        _run(load_cordis, folder, "cordis", dry_run, strict, review_file)

    @load_app.command("profiles")
    @clean_errors
    def load_profiles_command(
        file: Annotated[Path, typer.Argument(help="Profile table, CSV (UTF-8) or XLSX; see docs/profiles.md.")],
        dry_run: DryRun = False,
        strict: Strict = False,
        review_file: ReviewFile = None,
    ) -> None:
        """Load the agency's organisation profiles."""
        _run(load_profiles, file, "profiles", dry_run, strict, review_file)

    @load_app.command("clusters")
    @clean_errors
    def load_clusters_command(
        file: Annotated[Path, typer.Argument(help="Cluster member list (cluster, member, since, role), CSV or XLSX.")],
        dry_run: DryRun = False,
        strict: Strict = False,
        review_file: ReviewFile = None,
    ) -> None:
        """Load cluster and network member lists."""
        _run(load_clusters, file, "clusters", dry_run, strict, review_file)

    @fetch_app.command("cordis")
    @clean_errors
    def fetch_cordis_command(
        programme: Annotated[str, typer.Option("--programme", help=f"One of: {', '.join(PROGRAMMES)}.")],
        out: Annotated[
            Path | None, typer.Option("--out", help="Target folder (default: <data dir>/cordis/<programme>).")
        ] = None,
        base_url: Annotated[
            str | None, typer.Option("--base-url", help="Mirror of https://cordis.europa.eu/data/.")
        ] = None,
    ) -> None:
        """Download and unpack the official CORDIS bulk files (project.csv, organization.csv)."""
        target = out or get_settings().data_dir / "cordis" / programme
        files = fetch_cordis(programme, target, base_url=base_url, progress=True)
        for path in files:
            console.print(f"saved {path}")
        console.print(f"load it with: innograph load cordis {target}")
