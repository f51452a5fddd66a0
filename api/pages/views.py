"""The network pictures: the overview page with its frame, and the full-screen views under ``/views/...``.

The views come from :mod:`innograph.viz` and load vis-network from ``/static/vis``
(:data:`innograph.viz.assets.FILES`); the pages embed them as iframes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import ASSETS_URL, SIZE_BY, page_router, render, view_response, viewer_page
from innograph.api.pages.path import PathForm, answer_path, path_form
from innograph.api.services import current_analysis
from innograph.api.state import ServiceState, get_state
from innograph.errors import NotFoundError
from innograph.queries.analysis import Analysis
from innograph.queries.projection import Projection
from innograph.queries.scope import Scope, home_scope
from innograph.viz import ego_view, group_overview, group_view, members_by_group, overview, path_view

router = page_router()

GroupKind = Literal["community", "cluster", "field"]
OverviewOf = Literal["organisations", "communities", "clusters", "fields"]
OVERVIEW_GROUPS: dict[str, GroupKind] = {"communities": "community", "clusters": "cluster", "fields": "field"}


@router.get("/overview", dependencies=[Depends(viewer_page)])
def overview_page(
    request: Request,
    of: OverviewOf = Query("organisations"),
    scope: Scope = Query("home"),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """The ecosystem overview (organisations, or communities/clusters/fields as nodes) in a frame.

    Organisations: the home ecosystem's (``scope=home``, the default) or everyone's (``all``).
    """
    choices = {
        "organisations": "Organisations",
        "communities": "Communities",
        "clusters": "Clusters",
        "fields": "Fields",
    }
    info, _ = home_scope(state.cache.projection().cooperation, scope, state.settings.ecosystem_name)
    return render(
        request,
        "overview.html",
        "Ecosystem overview",
        of=of,
        choices=choices,
        scope=info,
        view_url=f"/views/overview?{urlencode({'of': of, 'scope': scope})}",
    )


def groups_of(kind: GroupKind, projection: Projection, analysis: Analysis) -> dict[str, list[Hashable]]:
    """Members of every community, cluster or field, by group id as text (the URL form)."""
    assignment: Mapping[Hashable, Any] = {
        "community": analysis.metrics.column("community"),
        "cluster": projection.clusters,
        "field": projection.fields,
    }[kind]
    return {str(group): members for group, members in members_by_group(assignment).items()}


def group_name(kind: GroupKind, group: str, projection: Projection) -> str:
    """How a group is called on a page."""
    return f"Community {group}" if kind == "community" else projection.names.get(group, group)


@router.get("/views/ego/{org_id:path}", dependencies=[Depends(viewer_page)])
def ego_page(org_id: str, hops: int = Query(1, ge=1, le=3), state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """An organisation's partners within ``hops`` ties, full screen."""
    projection, analysis = state.cache.projection(), current_analysis(state)
    return view_response(
        ego_view(
            projection.cooperation,
            org_id,
            hops=hops,
            metrics=analysis.metrics,
            size_by=SIZE_BY,
            layout_key=projection.version,
            assets_url=ASSETS_URL,
        )
    )


@router.get("/views/path", dependencies=[Depends(viewer_page)])
def path_view_page(form: PathForm = Depends(path_form), state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """A path answer (best path and alternatives), full screen."""
    answer, _ = answer_path(state, form)
    projection, analysis = state.cache.projection(), current_analysis(state)
    return view_response(
        path_view(
            answer, graph=projection.cooperation, metrics=analysis.metrics, size_by=SIZE_BY, assets_url=ASSETS_URL
        )
    )


@router.get("/views/overview", dependencies=[Depends(viewer_page)])
def overview_view(
    of: OverviewOf = Query("organisations"), scope: Scope = Query("home"), state: ServiceState = Depends(get_state)
) -> HTMLResponse:
    """The capped organisation overview (of ``scope``), or groups as nodes with drill-down to ``/views/group/...``."""
    projection, analysis = state.cache.projection(), current_analysis(state)
    common = {"layout_key": (projection.version, scope), "assets_url": ASSETS_URL}
    if of == "organisations":
        info, listed = home_scope(projection.cooperation, scope, state.settings.ecosystem_name)
        among = listed if info.applied == "home" else None
        view = overview(
            projection.cooperation,
            metrics=analysis.metrics,
            size_by=SIZE_BY,
            among=among,
            among_note=info.note,
            **common,
        )
        return view_response(view)
    kind = OVERVIEW_GROUPS[of]
    groups = groups_of(kind, projection, analysis)
    return view_response(
        group_overview(
            projection.cooperation,
            groups,
            names={group: group_name(kind, group, projection) for group in groups},
            noun=kind,
            link=f"/views/group/{kind}/{{id}}",
            title=f"Ecosystem overview: {of}",
            **common,
        )
    )


@router.get("/views/group/{kind}/{group_id:path}", dependencies=[Depends(viewer_page)])
def group_page(kind: GroupKind, group_id: str, state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """The members of one community, cluster or field and the ties among them, full screen."""
    projection, analysis = state.cache.projection(), current_analysis(state)
    members = groups_of(kind, projection, analysis).get(group_id)
    if members is None:
        raise NotFoundError(f"no {kind} with id {group_id!r} (or it has no members)")
    return view_response(
        group_view(
            projection.cooperation,
            members,
            f"{kind.capitalize()}: {group_name(kind, group_id, projection)}",
            metrics=analysis.metrics,
            size_by=SIZE_BY,
            layout_key=projection.version,
            assets_url=ASSETS_URL,
        )
    )
