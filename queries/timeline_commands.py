"""``innograph analyse --by-year`` (its work), ``innograph changes FROM TO`` and ``innograph export --by-year``.

Kept apart from :mod:`queries.commands` (the whole-graph analysis and export) because it is the
time dimension: periods chosen on the command line, one recorded ``(:AnalysisRun)`` per period,
the change report printed row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from innograph.console import clean_errors, console
from innograph.errors import InvalidRequestError
from innograph.graph import steps
from innograph.graph.connection import open_store
from innograph.queries.analysis import AnalysisParameters, run_row
from innograph.queries.changes import ChangeReport, compare
from innograph.queries.export import ExportFormat, export_timeline
from innograph.queries.periods import parse_period
from innograph.queries.projection import ProjectionCache
from innograph.queries.scope import Scope
from innograph.queries.timeline import PeriodResult, Timeline, choose_periods, period_from_cache, timeline_from_cache
from innograph.settings import get_settings


def run_timeline(
    params: AnalysisParameters, *, window: int, periods: Sequence[str], write: bool
) -> tuple[Timeline, list[PeriodResult]]:
    """Analyse every period of the configured store's graph; with ``write``, record one ``(:AnalysisRun)`` each."""
    with open_store(get_settings()) as store:
        cache = ProjectionCache(store)
        chosen = choose_periods(cache.projection().source, periods, window, "--period")
        if not chosen:
            raise InvalidRequestError("no project in the graph has a date or a known programme: no period to analyse")
        timeline, results = timeline_from_cache(cache, chosen, params)
        if write:
            rows = [
                run_row(
                    item.analysis,
                    period=item.period.label,
                    period_since=item.period.since,
                    period_until=item.period.until,
                    summary=item.summary.model_dump_json(),
                )
                for item in results
            ]
            store.apply([steps.analysis_runs(rows)], atomic=True)
    return timeline, results


def print_timeline(timeline: Timeline) -> None:
    """One row per period: the sparkline figures."""
    title = f"{timeline.ecosystem_name}'s ecosystem over time (graph version {timeline.graph_version})"
    table = Table(title=title, box=box.SIMPLE_HEAD)
    columns = {"period": 9, "projects": 8, "orgs": 6, "home": 4, "ties": 7, "density": 7, "comp.": 5, "modul.": 6}
    for column, width in columns.items():  # numbers are never cut
        justify = "left" if column == "period" else "right"
        table.add_column(column, justify=justify, no_wrap=True, min_width=width)
    for p in timeline.periods:
        table.add_row(
            p.period,
            f"{p.projects:,}",
            f"{p.organisations:,}",
            f"{p.home_organisations:,}",
            f"{p.ties:,}",
            f"{p.density:.3f}",
            str(p.components),
            f"{p.modularity:.2f}",
        )
    console.print(table)
    console.print(
        "orgs: organisations taking part in a project running in the period; "
        f"home: of them in {timeline.ecosystem_name}; ties: pairs sharing such a project; "
        "comp.: connected components; modul.: modularity of the communities",
        highlight=False,
    )
    if timeline.note:
        console.print(timeline.note, highlight=False)


def print_changes(report: ChangeReport, rows: int) -> None:
    """The headlines, then the first ``rows`` sentences of each list."""
    for line in report.headlines:
        console.print(line, highlight=False)
    sections = {
        "new ties": report.new_ties,
        "lost ties": report.lost_ties,
        "organisations entering": report.entering,
        "organisations leaving": report.leaving,
        "rising brokers": report.rising_brokers,
        "declining brokers": report.declining_brokers,
        "communities": report.communities,
        "fields": report.fields,
        "clusters": report.clusters,
    }
    where = " (touching the home ecosystem)" if report.scope == "home" else ""
    for title, items in sections.items():
        if not items:
            continue
        console.print(f"\n[bold]{title}{where}[/bold]: {len(items)} listed")
        for item in items[:rows]:
            console.print(f"- {item.sentence}", highlight=False)
    for why in dict.fromkeys(report.empty.values()):
        console.print(f"\n{why}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``changes`` to the main app (``analyse --by-year`` and ``export --by-year`` call this module)."""

    @app.command("changes")
    @clean_errors
    def changes_command(
        start: str = typer.Argument(..., metavar="FROM", help="The earlier period: a year (2013) or 2007-2013."),
        end: str = typer.Argument(..., metavar="TO", help="The later period: a year (2016) or 2014-2020."),
        rows: int = typer.Option(10, min=1, help="Sentences printed per list."),
    ) -> None:
        """What changed between two periods: ties, organisations, brokers, communities, fields and clusters."""
        a_period, b_period = parse_period(start, "--period"), parse_period(end, "--period")
        params = AnalysisParameters.from_settings(get_settings())
        with open_store(get_settings()) as store:
            cache = ProjectionCache(store)
            report = compare(period_from_cache(cache, a_period, params), period_from_cache(cache, b_period, params))
        print_changes(report, rows)


def export_by_period(
    params: AnalysisParameters, fmt: ExportFormat, out: Path, *, window: int, periods: Sequence[str], scope: Scope
) -> Path:
    """``innograph export --by-year``: per-period metrics (CSV/JSON) or the dynamic GEXF; returns the sidecar."""
    timeline, results = run_timeline(params, window=window, periods=periods, write=False)
    return export_timeline(timeline, results, fmt, out, scope=scope)
