"""The ecosystem in a period of years: which projects ran, who took part, who was tied.

A **period** is a window of calendar years, both ends included (``2015`` is ``2015-2015``). A
project *runs* in a period when its years ``start_year..end_year`` overlap the window; a project
without dates takes the years of its programme (:data:`PROGRAMME_YEARS`, e.g. an FP7 project
runs 2007-2013: the FP7 slice has no dates) and is marked approximate. A project with neither
dates nor a known programme runs in no period.

:func:`period_source` cuts the store's snapshot (:meth:`graph.store.Store.to_networkx`) down to a
period, so that everything built on a snapshot — the projection, metrics, gaps, the tie graph —
works unchanged on a year or a window:

* an organisation is **present** when it took part in a project running in the period;
* a **tie** exists when two present organisations share a project running in the period; its
  ``COOPERATES_WITH`` is re-derived from those projects alone (``shared_projects``,
  ``collaboration_weight`` = Σ 1/(n-1), ``first_year``/``last_year``), as the store derives it;
* partnerships a source declared without a date (profiles) have no time and are left out;
* fields, clusters, regions and technologies stay, with the edges of present organisations.

Pure functions on graphs: no database needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from innograph.errors import InvalidRequestError
from innograph.queries.projection import COLLABORATION_WEIGHT, SHARED_PROJECTS, cooperation_from_participations

# The years each EU framework programme funded projects in, for projects a source gives no dates.
PROGRAMME_YEARS: dict[str, tuple[int, int]] = {
    "FP6": (2002, 2006),
    "FP7": (2007, 2013),
    "H2020": (2014, 2020),
    "HORIZON": (2021, 2027),
    "HORIZON EUROPE": (2021, 2027),
}
MIN_YEAR, MAX_YEAR = 1950, 2100


class Period(BaseModel):
    """A window of calendar years, both ends included."""

    model_config = ConfigDict(frozen=True)

    since: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="first year, included")
    until: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="last year, included")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        return self

    @property
    def label(self) -> str:
        """``2015`` for one year, ``2014-2016`` for a window."""
        return str(self.since) if self.since == self.until else f"{self.since}-{self.until}"

    def overlaps(self, first: int, last: int) -> bool:
        """Whether the years ``first..last`` meet this window."""
        return first <= self.until and last >= self.since

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"2015"`` or ``"2014-2016"`` as a period.

        >>> Period.parse("2014-2016").label
        '2014-2016'
        """
        parts = text.split("-")
        try:
            years = [int(part.strip()) for part in parts]
        except ValueError:
            raise ValueError(f"{text!r} is not a year or a window of years such as 2014-2016") from None
        if len(years) not in (1, 2):
            raise ValueError(f"{text!r} is not a year or a window of years such as 2014-2016")
        return cls(since=years[0], until=years[-1])


def parse_period(text: str, parameter: str) -> Period:
    """:meth:`Period.parse` for user input: a bad value is an :class:`InvalidRequestError` naming ``parameter``."""
    try:
        return Period.parse(text)
    except ValueError as e:
        message = e.errors()[0]["msg"] if isinstance(e, ValidationError) else str(e)
        raise InvalidRequestError(f"{parameter}: {message}") from e


def project_years(data: Mapping[str, Any]) -> tuple[int, int, bool] | None:
    """``(first, last, approximate)`` years a project ran, or None when nothing tells.

    Dates win; a project with only a programme takes the programme's years (approximate).

    >>> project_years({"start_year": 2015, "end_year": 2018})
    (2015, 2018, False)
    >>> project_years({"programme": "FP7"})
    (2007, 2013, True)
    >>> project_years({"programme": "unknown"}) is None
    True
    """
    start, end = data.get("start_year"), data.get("end_year")
    if start is not None or end is not None:
        first = int(start if start is not None else end)
        last = int(end if end is not None else start)
        return min(first, last), max(first, last), False
    programme = str(data.get("programme") or "").strip().upper()
    if programme in PROGRAMME_YEARS:
        first, last = PROGRAMME_YEARS[programme]
        return first, last, True
    return None


def _is(data: Mapping[str, Any], label: str) -> bool:
    return label in data.get("labels", ())


def dated_projects(graph: nx.MultiDiGraph) -> dict[str, tuple[int, int, bool]]:
    """Every project of the snapshot with the years it ran (projects nothing dates are left out)."""
    found: dict[str, tuple[int, int, bool]] = {}
    for node, data in graph.nodes(data=True):
        if _is(data, "Project") and (years := project_years(data)) is not None:
            found[node] = years
    return found


def year_span(graph: nx.MultiDiGraph) -> tuple[int, int] | None:
    """The first and last year any project of the snapshot ran, or None when no project is dated."""
    years = dated_projects(graph).values()
    if not years:
        return None
    return min(first for first, _, _ in years), max(last for _, last, _ in years)


def yearly(span: tuple[int, int], window: int = 1) -> list[Period]:
    """Consecutive periods of ``window`` years covering ``span`` (the last one may be shorter).

    >>> [p.label for p in yearly((2014, 2018), 2)]
    ['2014-2015', '2016-2017', '2018']
    """
    if window < 1:
        raise ValueError("window must be at least one year")
    first, last = span
    return [Period(since=y, until=min(y + window - 1, last)) for y in range(first, last + 1, window)]


def participations(graph: nx.MultiDiGraph, projects: Iterable[str]) -> list[tuple[str, str]]:
    """(organisation, project) pairs of the given projects."""
    wanted = set(projects)
    return [
        (u, v)
        for u, v, key in graph.edges(keys=True)
        if key == "PARTICIPATES_IN" and v in wanted and _is(graph.nodes[u], "Organisation")
    ]


def period_source(graph: nx.MultiDiGraph, period: Period) -> nx.MultiDiGraph:
    """The snapshot cut to ``period`` (module docstring): present organisations, running projects, their ties."""
    dated = dated_projects(graph)
    running = {p for p, (first, last, _) in dated.items() if period.overlaps(first, last)}
    pairs = participations(graph, running)
    present = {org for org, _ in pairs}
    keep = [
        node
        for node, data in graph.nodes(data=True)
        if (node in present or node in running or not (_is(data, "Organisation") or _is(data, "Project")))
    ]
    result = nx.MultiDiGraph()
    result.add_nodes_from((node, graph.nodes[node]) for node in keep)
    result.add_edges_from(
        (u, v, key, data)
        for u, v, key, data in graph.edges(keys=True, data=True)
        if key != "COOPERATES_WITH" and u in result and v in result
    )
    cooperation = cooperation_from_participations(pairs)
    project_of: dict[str, list[str]] = {}
    for org, project in pairs:
        project_of.setdefault(org, []).append(project)
    for u, v, data in cooperation.edges(data=True):
        shared = sorted(set(project_of[u]) & set(project_of[v]))
        result.add_edge(
            u,
            v,
            key="COOPERATES_WITH",
            type="COOPERATES_WITH",
            **{
                SHARED_PROJECTS: data[SHARED_PROJECTS],
                COLLABORATION_WEIGHT: data[COLLABORATION_WEIGHT],
                "first_year": min(dated[p][0] for p in shared),
                "last_year": max(dated[p][1] for p in shared),
                "projects": shared,
            },
        )
    result.graph["period"] = period
    return result


def approximate_programmes(graph: nx.MultiDiGraph) -> list[str]:
    """Programmes whose projects are dated by the programme's years only (said on every timeline)."""
    found = {
        str(data.get("programme")).strip().upper()
        for _, data in graph.nodes(data=True)
        if _is(data, "Project") and (years := project_years(data)) is not None and years[2]
    }
    return sorted(found)
