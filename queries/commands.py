"""The ``innograph analyse`` and ``innograph export`` commands (registered on the main CLI app).

With ``--by-year`` (or ``--window N``, ``--period P``) both work per period through
:mod:`queries.timeline_commands`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from innograph.console import clean_errors, console
from innograph.graph.connection import open_store
from innograph.queries.analysis import Analysis, AnalysisParameters, analyse_store
from innograph.queries.export import ExportFormat, export
from innograph.queries.metrics import EXACT_LIMIT, STEPS, MetricsParameters
from innograph.queries.metrics import Progress as ProgressCallback
from innograph.queries.projection import Projection, ProjectionCache
from innograph.queries.scope import home_scope
from innograph.queries.timeline_commands import export_by_period, print_timeline, run_timeline
from innograph.settings import get_settings


class ExportScope(StrEnum):
    """``innograph export --scope``."""

    HOME = "home"
    ALL = "all"


@contextmanager
def _progress_bar() -> Iterator[ProgressCallback]:
    """A progress bar over the suite's steps (plus the gap analyses)."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task("projecting", total=len(STEPS) + 1)
        started = False

        def advance(step: str) -> None:
            nonlocal started
            bar.update(task, description=step, advance=1 if started else 0)
            started = True

        yield advance


def _parameters(top: int, seed: int, samples: int, exact_limit: float) -> AnalysisParameters:
    metrics = MetricsParameters(seed=seed, samples=samples, exact_limit=exact_limit)
    return AnalysisParameters.from_settings(get_settings(), metrics=metrics, top=top)


def _run(params: AnalysisParameters, *, write: bool) -> tuple[Analysis, Projection]:
    """Analyse the configured store's graph; also returns the projection analysed."""
    with open_store(get_settings()) as store, _progress_bar() as progress:
        cache = ProjectionCache(store)
        analysis = analyse_store(store, cache, params, progress, write=write)
        return analysis, cache.projection()


def print_summary(analysis: Analysis, top: int, projection: Projection) -> None:
    """Top home organisations by PageRank (everyone without home flags) with their other key metrics, then the gaps."""
    scope, listed = home_scope(projection.cooperation, "home", analysis.parameters.ecosystem_name)
    who = f"{scope.ecosystem_name} organisations" if scope.applied == "home" else "organisations"
    table = Table(title=f"top {top} {who} (graph version {analysis.graph_version})")
    for column in ("organisation", "kind", "degree", "pagerank", "betweenness", "constraint", "community", "cut"):
        if column in ("organisation", "kind"):  # long official names: cut with an ellipsis, not wrapped
            width = 24 if column == "organisation" else 10
            table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=width)
        else:  # numbers are never cut
            table.add_column(column, justify="right", no_wrap=True, min_width=6)
    for row in analysis.metrics.top("pagerank", top, among=listed):
        constraint = "-" if row.constraint is None else f"{row.constraint:.3f}"
        cells = (str(row.degree), f"{row.pagerank:.4f}", f"{row.betweenness:.4f}", constraint, str(row.community))
        table.add_row(row.name or row.id, row.kind or "", *cells, "yes" if row.articulation_point else "")
    console.print(table)
    meta = analysis.metrics.meta
    how = "exact" if meta.exact else "sampled: " + ", ".join(n.metric for n in meta.sampled)
    console.print(f"{meta.nodes:,} organisations, {meta.edges:,} ties, {analysis.duration_s:.1f} s ({how})")
    for line in analysis.gaps.headlines():
        console.print(f"- {line}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``analyse`` and ``export`` to the main app."""

    @app.command("analyse")
    @clean_errors
    def analyse_command(
        top: int = typer.Option(10, min=1, help="Organisations in the summary and rows per gap table."),
        seed: int = typer.Option(42, help="Seed of Louvain and of source sampling."),
        samples: int = typer.Option(256, min=2, help="Source nodes when betweenness/closeness are sampled."),
        exact_limit: float = typer.Option(EXACT_LIMIT, help="Nodes x ties above which path metrics are sampled."),
        write: bool = typer.Option(True, "--write/--no-write", help="Write metrics back to Neo4j."),
        by_year: bool = typer.Option(False, "--by-year", help="Analyse every year (or window) separately."),
        window: int = typer.Option(1, min=1, help="With --by-year: years per period."),
        period: Annotated[
            list[str] | None, typer.Option(help="A period to analyse (2015 or 2014-2016); repeat for more.")
        ] = None,
    ) -> None:
        """Compute metrics and gaps, write the metrics onto the organisations, print a summary.

        With --by-year, --window N or --period P: one analysis per period, each recorded as an (:AnalysisRun)
        with its period (the organisations' current metrics stay those of the whole graph).
        """
        params = _parameters(top, seed, samples, exact_limit)
        if by_year or period or window > 1:
            timeline, _ = run_timeline(params, window=window, periods=period or [], write=write)
            print_timeline(timeline)
            if write:
                console.print(f"{len(timeline.periods)} period runs recorded in Neo4j")
            return
        analysis, projection = _run(params, write=write)
        print_summary(analysis, top, projection)
        if write:
            console.print(f"metrics written to Neo4j (run {analysis.run_id})")

    @app.command("export")
    @clean_errors
    def export_command(
        fmt: Annotated[ExportFormat, typer.Option("--format", help="csv, json, graphml or gexf.")],
        out: Annotated[Path, typer.Option("--out", help="Output file; metadata goes to <out>.meta.json.")],
        seed: int = typer.Option(42, help="Seed of Louvain and of source sampling."),
        samples: int = typer.Option(256, min=2, help="Source nodes when betweenness/closeness are sampled."),
        exact_limit: float = typer.Option(EXACT_LIMIT, help="Nodes x ties above which path metrics are sampled."),
        scope: Annotated[
            ExportScope,
            typer.Option("--scope", help="home: the home ecosystem's organisations (default); all: also partners."),
        ] = ExportScope.HOME,
        by_year: bool = typer.Option(False, "--by-year", help="Per period: CSV/JSON rows per period, dynamic GEXF."),
        window: int = typer.Option(1, min=1, help="With --by-year: years per period."),
        period: Annotated[
            list[str] | None, typer.Option(help="A period to export (2015 or 2014-2016); repeat for more.")
        ] = None,
    ) -> None:
        """Export the organisations' metrics (GraphML/GEXF: the cooperation graph with metrics as attributes).

        With --by-year (--window N, --period P): per-period metrics, or a dynamic GEXF Gephi's timeline plays.
        """
        if by_year or period or window > 1:
            params = _parameters(20, seed, samples, exact_limit)
            sidecar = export_by_period(params, fmt, out, window=window, periods=period or [], scope=scope.value)
            console.print(f"wrote {out} and {sidecar}", highlight=False)
            return
        analysis, projection = _run(_parameters(20, seed, samples, exact_limit), write=False)
        sidecar = export(analysis, projection.cooperation, fmt, out, scope=scope.value)
        info, _ = home_scope(projection.cooperation, scope.value, analysis.parameters.ecosystem_name)
        console.print(f"wrote {out} and {sidecar}: {info.note}", highlight=False)
