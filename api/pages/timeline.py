"""The ecosystem over time: the timeline page (sparklines, figures, the year slider) and the A-against-B page.

``/timeline/view`` draws one sparkline per figure of :class:`queries.timeline.PeriodSummary` as inline
SVG made here (no chart library), the same figures as a table, the dating note, and embeds
``/views/timeline`` (:func:`viz.timeline.timeline_view`: one fixed layout, a slider over the periods).
``/changes/view?from=A&to=B`` shows the change report (:func:`queries.changes.compare`) as counts and
tables of sentences and embeds ``/views/changes`` (:func:`viz.changes.change_view`). Each period is
analysed once per graph version (shared with ``GET /timeline`` and ``GET /changes``); the views'
HTML is memoised per graph version too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import ASSETS_URL, page_router, render, view_response, viewer_page
from innograph.api.pages.view_models import Column, Table
from innograph.api.services import change_answer, period_pair, timeline_answer
from innograph.api.state import ServiceState, get_state
from innograph.queries.changes import MIN_RANK_CHANGE, ChangeReport
from innograph.queries.timeline import PeriodResult, PeriodSummary
from innograph.text import plural
from innograph.viz.changes import change_view
from innograph.viz.timeline import Slice, timeline_view

router = page_router()

WINDOWS = (1, 2, 3, 4, 5, 7)
PAGE_ROWS = 15  # rows per list of the change report on the page (GET /changes gives up to 500)
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 260, 56, 6


@dataclass(frozen=True)
class Figure:
    """One figure of the timeline: its summary field, its name, what it means and how one value is said."""

    field: str
    name: str
    meaning: str
    say: Callable[[float], str]


def figures(ecosystem: str) -> tuple[Figure, ...]:
    """The sparkline figures, in the order the page shows them."""
    return (
        Figure("organisations", "Organisations", "taking part in a project running in the period",
               lambda v: plural(int(v), "organisation")),
        Figure("home_organisations", f"Organisations in {ecosystem}", "of them in the home ecosystem",
               lambda v: f"{v:,.0f} in {ecosystem}"),
        Figure("ties", "Ties", "pairs of organisations sharing a running project", lambda v: plural(int(v), "tie")),
        Figure("density", "Density", "ties ÷ possible pairs of organisations (0 to 1)", lambda v: f"density {v:.3g}"),
        Figure("components", "Components", "groups of organisations with no tie between them",
               lambda v: plural(int(v), "component")),
        Figure("modularity", "Modularity", "how clearly the network splits into communities (0 none, towards 1 "
               "clear)", lambda v: f"modularity {v:.2f}"),
    )  # fmt: skip


@dataclass(frozen=True)
class SparkPoint:
    """One period on a sparkline: where it is drawn and its tooltip."""

    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Sparkline:
    """A figure over the periods as an SVG polyline, with its first, last, lowest and highest values in words."""

    figure: Figure
    points: list[SparkPoint]
    line: str
    first: str
    last: str
    extremes: str


def sparkline(figure: Figure, periods: Sequence[PeriodSummary]) -> Sparkline:
    """The sparkline of ``figure`` over ``periods`` (oldest first); a flat figure is drawn mid-height."""
    values = [float(getattr(p, figure.field)) for p in periods]
    low, high = min(values), max(values)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
    points = []
    for k, (period, value) in enumerate(zip(periods, values, strict=True)):
        x = SPARK_WIDTH / 2 if len(values) == 1 else SPARK_PAD + k * step
        share = 0.5 if high == low else (value - low) / (high - low)
        y = SPARK_HEIGHT - SPARK_PAD - share * (SPARK_HEIGHT - 2 * SPARK_PAD)
        points.append(SparkPoint(round(x, 1), round(y, 1), f"{period.period}: {figure.say(value)}"))
    lowest, highest = values.index(low), values.index(high)
    return Sparkline(
        figure=figure,
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        first=points[0].title,
        last=points[-1].title,
        extremes=f"lowest {figure.say(low)} ({periods[lowest].period}), highest {figure.say(high)} "
        f"({periods[highest].period})",
    )


def period_list(text: str) -> list[str]:
    """Periods typed in a form: ``2007-2013, 2014-2020`` (commas or spaces between them)."""
    return [part for part in re.split(r"[,\s;]+", text.strip()) if part]


def _slices(results: Sequence[PeriodResult]) -> list[Slice]:
    return [Slice(r.period.label, r.projection.cooperation) for r in results]


@router.get("/timeline/view", dependencies=[Depends(viewer_page)])
def timeline_page(
    request: Request,
    window: int = Query(1, ge=1, le=20),
    periods: str = Query("", max_length=2000),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """Sparklines and a table of the per-period figures, the year slider, and forms for the window and A vs B.

    The compare form proposes the first and the last period with at least half the most organisations.
    """
    chosen = period_list(periods)
    timeline, _ = timeline_answer(state, window=window, periods=chosen)
    most = max((p.organisations for p in timeline.periods), default=0)
    busy = [p.period for p in timeline.periods if p.organisations and p.organisations * 2 >= most]
    query = urlencode([("window", window), *(("period", p) for p in chosen)])
    return render(
        request,
        "timeline.html",
        f"{timeline.ecosystem_name}'s ecosystem over time",
        timeline=timeline,
        sparklines=[sparkline(f, timeline.periods) for f in figures(timeline.ecosystem_name)]
        if timeline.periods
        else [],
        size=(SPARK_WIDTH, SPARK_HEIGHT),
        window=window,
        windows=WINDOWS,
        periods=", ".join(chosen),
        labels=[p.period for p in timeline.periods],
        compare=(busy[0], busy[-1]) if busy else ("", ""),
        view_url=f"/views/timeline?{query}",
    )


@router.get("/views/timeline", dependencies=[Depends(viewer_page)])
def timeline_view_page(
    window: int = Query(1, ge=1, le=20),
    period: list[str] = Query([]),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """The periods on one fixed layout with a slider and a play button, full screen."""
    timeline, results = timeline_answer(state, window=window, periods=period)
    labels = tuple(p.period for p in timeline.periods)

    def draw(projection: object) -> str:
        return timeline_view(
            _slices(results),
            ecosystem_name=timeline.ecosystem_name,
            notes=[timeline.note] if timeline.note else [],
            layout_key=("timeline", timeline.graph_version, labels),
            assets_url=ASSETS_URL,
        )

    return view_response(state.cache.derived(f"views:timeline:{'|'.join(labels)}", draw))


def change_tables(report: ChangeReport, ecosystem: str) -> list[Table]:
    """The report's lists as tables of sentences (an empty one says why)."""
    sentence = (Column("What changed", "sentence"),)
    c, a, b = report.counts, report.from_period, report.to_period
    where = f" touching {ecosystem}'s organisations" if report.scope == "home" else ""

    def table(title: str, name: str, total: int | None, intro: str) -> Table:
        rows = getattr(report, name)[:PAGE_ROWS]
        shown = f" {len(rows):,}{where} listed, of {total:,} in all." if total is not None else ""
        if len(rows) == PAGE_ROWS:
            shown += f" The page lists the first {PAGE_ROWS}; GET /changes (limit up to 500) lists more."
        empty = report.empty.get(name, "Nothing to report.")
        return Table(title, intro + (shown if rows else ""), sentence, rows, empty)

    return [
        table("New ties", "new_ties", c.new_ties, f"Tied in {b}, not in {a}; strongest first."),
        table("Lost ties", "lost_ties", c.lost_ties, f"Tied in {a}, not in {b}; strongest first."),
        table("Organisations entering", "entering", c.entering, f"Taking part in {b}, not in {a}; most tied first."),
        table("Organisations leaving", "leaving", c.leaving, f"Taking part in {a}, not in {b}; most tied first."),
        table("Rising brokers", "rising_brokers", None, f"Betweenness rank rose by {MIN_RANK_CHANGE} places or more."),
        table(
            "Declining brokers",
            "declining_brokers",
            None,
            f"Betweenness rank fell by {MIN_RANK_CHANGE} places or more.",
        ),
        table("Communities", "communities", None, f"Each community of {a} followed into {b} by its members."),
        table("Specialisation fields", "fields", None, "Tie density among each field's organisations."),
        table("Clusters", "clusters", None, "Tie density among each cluster's members."),
    ]


@router.get("/changes/view", dependencies=[Depends(viewer_page)])
def changes_page(
    request: Request,
    start: str = Query(..., alias="from", max_length=40),
    end: str = Query(..., alias="to", max_length=40),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """What changed from period A to period B: headlines, counts, tables of sentences and the A-against-B view."""
    report = change_answer(state, start, end, limit=PAGE_ROWS)
    c = report.counts
    counts = [
        ("New ties", c.new_ties, f"tied in {report.to_period}, not in {report.from_period}"),
        ("Lost ties", c.lost_ties, f"tied in {report.from_period}, not in {report.to_period}"),
        ("Kept ties", c.kept_ties, "tied in both periods"),
        ("Organisations entering", c.entering, f"taking part in {report.to_period}, not in {report.from_period}"),
        ("Organisations leaving", c.leaving, f"taking part in {report.from_period}, not in {report.to_period}"),
        ("Organisations in both", c.staying, "taking part in both periods"),
        ("Rising brokers", c.rising_brokers, f"betweenness rank up by {MIN_RANK_CHANGE} places or more"),
        ("Declining brokers", c.declining_brokers, f"betweenness rank down by {MIN_RANK_CHANGE} places or more"),
    ]
    return render(
        request,
        "changes.html",
        f"{state.settings.ecosystem_name}'s ecosystem: {report.from_period} against {report.to_period}",
        report=report,
        counts=counts,
        tables=change_tables(report, state.settings.ecosystem_name),
        view_url=f"/views/changes?{urlencode({'from': report.from_period, 'to': report.to_period})}",
    )


@router.get("/views/changes", dependencies=[Depends(viewer_page)])
def changes_view_page(
    start: str = Query(..., alias="from", max_length=40),
    end: str = Query(..., alias="to", max_length=40),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """Period A against period B on one layout (new ties green, lost grey dashed), full screen."""
    a, b = period_pair(state, start, end)
    (slice_a, slice_b), version = _slices([a, b]), b.projection.version

    def draw(projection: object) -> str:
        return change_view(
            slice_a,
            slice_b,
            ecosystem_name=state.settings.ecosystem_name,
            layout_key=("changes", version, slice_a.label, slice_b.label),
            assets_url=ASSETS_URL,
        )

    return view_response(state.cache.derived(f"views:changes:{slice_a.label}|{slice_b.label}", draw))
