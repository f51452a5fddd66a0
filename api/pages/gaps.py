"""The gap report as tables, and a field x field heat map of ties observed against expected."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import page_router, render, viewer_page
from innograph.api.pages.view_models import Column, HeatCell, HeatMap, Table
from innograph.api.services import current_analysis
from innograph.api.state import ServiceState, get_state
from innograph.queries.analysis import Analysis
from innograph.queries.gaps import GroupPairGap, under_connected_pairs
from innograph.queries.projection import Projection
from innograph.viz import members_by_group
from innograph.viz.views import shown_value

router = page_router()

HEAT_MAP_FIELDS = 25
SHOWN_LINKS = 8  # missing links per method on the page (each row explains itself at length)
HEAT_LEVELS: tuple[float, ...] = (0.25, 0.5, 0.8, 1.25, 2.0, 4.0)
"""Upper bounds of the observed/expected ratio of heat-map colour levels 0-5 (level 6 above)."""

_PAIR_COLUMNS = (
    Column("Group A", "name_a"),
    Column("Group B", "name_b"),
    Column("Ties", "observed", numeric=True),
    Column("Expected", "expected", numeric=True),
    Column("Observed / expected", "ratio", numeric=True),
    Column("Explanation", "explanation"),
)
_LINK_COLUMNS = (
    Column("Organisation A", "name_a", link="a"),
    Column("Organisation B", "name_b", link="b"),
    Column("Score", "score", numeric=True),
    Column("Shared partners", "shared_count", numeric=True),
    Column("Explanation", "explanation"),
)


def gap_tables(analysis: Analysis) -> list[Table]:
    """The gap report's tables with their headings (an empty table says why, when the report knows)."""
    report = analysis.gaps
    home = report.home.ecosystem_name

    def why(table: str) -> str:
        return report.empty.get(table, "Nothing to report.")

    return [
        Table(
            "Under-connected fields",
            "Field pairs with the fewest ties for their size.",
            _PAIR_COLUMNS,
            report.field_pairs,
            why("field_pairs"),
        ),
        Table(
            "Clusters that rarely meet",
            "Cluster pairs with the fewest ties for their size.",
            _PAIR_COLUMNS,
            report.cluster_pairs,
            why("cluster_pairs"),
        ),
        Table(
            f"Science-industry linkage in {home}",
            f"From organisation kinds: {home} overall, then per district: how many of its companies cooperate with "
            f"a university or research institute in {home} or anywhere, and how many ties within {home} join a "
            "company and a research organisation.",
            (
                Column("Where", "name"),
                Column("Companies", "companies", numeric=True),
                Column(f"Tied to science in {home}", "linked_home", numeric=True),
                Column("Tied to science anywhere", "linked_any", numeric=True),
                Column(f"Ties within {home}", "home_ties", numeric=True),
                Column("Company-science ties", "science_industry_ties", numeric=True),
                Column("Explanation", "explanation"),
            ),
            report.home_science_industry,
        ),
        Table(
            "Science-industry linkage",
            "Per field: how many companies cooperate with a university or research institute.",
            (
                Column("Field", "name"),
                Column("Companies", "companies", numeric=True),
                Column("Tied to science", "linked_companies", numeric=True),
                Column("Share", "share", numeric=True),
                Column("Explanation", "explanation"),
            ),
            report.science_industry,
            why("science_industry"),
        ),
        Table(
            f"Districts of {home}",
            f"{home}'s districts (NUTS-3) with at least {report.min_region_organisations} organisations: ties "
            f"inside the district, to elsewhere in {home} and to partners outside; least connected first.",
            (
                Column("District", "name"),
                Column("Organisations", "organisations", numeric=True),
                Column("Ties inside", "internal_ties", numeric=True),
                Column(f"Ties elsewhere in {home}", "home_ties", numeric=True),
                Column("Ties to partners outside", "outside_ties", numeric=True),
                Column("Ties per organisation", "ties_per_organisation", numeric=True),
                Column("Explanation", "explanation"),
            ),
            report.regions,
            why("regions"),
        ),
        Table(
            "Periphery",
            f"Organisations of {home} with no tie or a single one.",
            (
                Column("Organisation", "name", link="id"),
                Column("Partners", "degree", numeric=True),
                Column("Only partner", "only_partner_name", link="only_partner"),
                Column("Explanation", "explanation"),
            ),
            report.peripheral,
        ),
        Table(
            "Single points of failure",
            f"Organisations and ties (in {home} or elsewhere) whose loss would cut organisations of {home} off "
            "the rest of it.",
            (
                Column("Scope", "scope"),
                Column("What", "kind"),
                Column("Who", "subject_names"),
                Column("Cut off", "cut_off", numeric=True),
                Column("Explanation", "explanation"),
            ),
            report.fragility,
            why("fragility"),
        ),
        *(
            Table(
                f"Missing links ({method.replace('_', ' ')})",
                f"Pairs not tied yet that their shared partners suggest should meet; at least one is in {home}. "
                f"The {min(len(rows), SHOWN_LINKS)} best of {len(rows)}; GET /gaps has them all.",
                _LINK_COLUMNS,
                rows[:SHOWN_LINKS],
            )
            for method, rows in report.missing_links.items()
        ),
    ]


def heat_level(ratio: float) -> int:
    """Colour level 0 (far fewer ties than expected) .. 6 (far more), 3 = about as expected.

    >>> [heat_level(r) for r in (0.0, 0.3, 1.0, 5.0)]
    [0, 1, 3, 6]
    """
    return next((i for i, bound in enumerate(HEAT_LEVELS) if ratio < bound), len(HEAT_LEVELS))


def field_heat_map(projection: Projection, pairs: list[GroupPairGap]) -> HeatMap:
    """The field x field matrix of :func:`queries.gaps.under_connected_pairs` rows, for a table."""
    sizes = members_by_group(projection.fields)
    ranked = sorted(sizes, key=lambda f: (-len(sizes[f]), projection.names.get(str(f), str(f))))
    shown = [str(f) for f in ranked[:HEAT_MAP_FIELDS]]
    by_pair = {frozenset((row.group_a, row.group_b)): row for row in pairs}
    cells: list[list[HeatCell | None]] = []
    for a in shown:
        line: list[HeatCell | None] = []
        for b in shown:
            row = by_pair.get(frozenset((a, b))) if a != b else None
            line.append(
                None
                if row is None
                else HeatCell(row.observed, row.expected, row.ratio, heat_level(row.ratio), shown_value(row.ratio))
            )
        cells.append(line)
    return HeatMap([(f, projection.names.get(f, f)) for f in shown], cells, len(ranked))


@router.get("/gaps/view", dependencies=[Depends(viewer_page)])
def gaps_page(request: Request, state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """The gap tables and a field x field heat map of ties observed against expected."""
    analysis = current_analysis(state)
    pairs = state.cache.derived(
        "pages:field-pairs",
        lambda p: under_connected_pairs(p.cooperation, p.fields, p.names, kind="field", top=10**9, min_expected=0),
    )
    return render(
        request,
        "gaps.html",
        f"Gaps in {analysis.gaps.home.ecosystem_name}'s ecosystem",
        tables=gap_tables(analysis),
        heat=field_heat_map(state.cache.projection(), pairs),
        levels=HEAT_LEVELS,
        scope=analysis.gaps.home,
        field_note=analysis.gaps.empty.get("field_pairs", "No organisation is assigned to a field yet."),
        graph_version=analysis.graph_version,
    )
