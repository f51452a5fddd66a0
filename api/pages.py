"""The web pages people use in a browser: search, organisation, introduction paths, partners, gaps, metrics, views.

Server-rendered with Jinja2 (autoescaping on: every name from the data is shown
as text), one local stylesheet and one small script (search-as-you-type), no
request leaves the server. The pages hold no business logic: they call
:mod:`queries` for answers and :mod:`viz` for the network pictures, which are
served full-screen under ``/views/...`` and embedded in the pages as iframes,
loading vis-network from ``/static/vis`` (:data:`viz.assets.FILES`).

Roles are the API's (:mod:`api.auth`): the login form checks an API key and
keeps it in the ``innograph_key`` cookie (HttpOnly, SameSite=Strict), which the
JSON endpoints accept too. Without a valid key a page redirects to
``/login?next=...``; a role that is too low gets a 403 page. Every failure on a
page is an HTML page, not the JSON error shape.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from innograph.api.auth import COOKIE_NAME, presented_key, role_of
from innograph.api.routers.metrics import current_analysis
from innograph.api.routers.organisations import OrganisationDetail
from innograph.api.routers.organisations import detail as organisation_detail
from innograph.api.state import ServiceState, get_state
from innograph.errors import NotFoundError, StoreUnavailableError
from innograph.graph.records import OrganisationKind
from innograph.queries.analysis import Analysis
from innograph.queries.gaps import GroupPairGap, under_connected_pairs
from innograph.queries.metrics import METRICS
from innograph.queries.partners import PartnerAnswer, PartnerNeed, find_partners
from innograph.queries.paths import MAX_HOPS, MAX_K, PathAnswer, find_paths
from innograph.queries.projection import Projection
from innograph.queries.tie_graph import CLUSTER_KIND
from innograph.settings import Role
from innograph.viz import KIND_LABELS, ego_view, group_overview, group_view, members_by_group, overview, path_view
from innograph.viz.assets import FILES as VIS_FILES
from innograph.viz.views import metric_label, shown_value

log = logging.getLogger("innograph.pages")

HERE = Path(__file__).resolve().parent
STATIC_FILES: dict[str, Path] = {name: HERE / "static" / name for name in ("pages.css", "pages.js")}
ASSETS_URL = "/static/vis"
SIZE_BY = "pagerank"
PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
PARTNERS_SHOWN = 50
SHOWN_ELSEWHERE = frozenset({"id", "name", "kind"})
"""Profile properties the organisation page shows in its heading rather than in the profile list."""
HEAT_MAP_FIELDS = 25
HEAT_LEVELS: tuple[float, ...] = (0.25, 0.5, 0.8, 1.25, 2.0, 4.0)
"""Upper bounds of the observed/expected ratio of heat-map colour levels 0-5 (level 6 above)."""
KIND_CHOICES: dict[str, str] = {kind.value: KIND_LABELS[kind.value] for kind in OrganisationKind}
INTERMEDIARY_CHOICES: dict[str, str] = {**KIND_CHOICES, CLUSTER_KIND: KIND_LABELS[CLUSTER_KIND]}
DOWNLOADS: tuple[tuple[str, str], ...] = (("csv", "CSV"), ("json", "JSON"), ("graphml", "GraphML"), ("gexf", "GEXF"))
GroupKind = Literal["community", "cluster", "field"]
OverviewOf = Literal["organisations", "communities", "clusters", "fields"]
OVERVIEW_GROUPS: dict[str, GroupKind] = {"communities": "community", "clusters": "cluster", "fields": "field"}
MetricName = Literal[METRICS]  # type: ignore[valid-type]

_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
_VIEW_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
"""The views inline their data island and drawing code; still nothing may be fetched from elsewhere."""
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}


# --- templates --------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A table value as text: lists joined, numbers with 4 significant digits, booleans as yes/no, None as —."""
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    return shown_value(value)


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["segment"] = lambda value: quote(str(value), safe="")
_env.filters["cell"] = _cell
_env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
_env.globals.update(metric_label=metric_label, kind_labels=KIND_LABELS)


# --- who is asking ----------------------------------------------------------------


class LoginRequired(Exception):
    """No valid key came with a page request: the browser is sent to the login form."""


def current_role(request: Request) -> Role | None:
    """The role of the key the request carries (cookie, header or bearer token), or None."""
    key = presented_key(request, request.headers.get("x-api-key"))
    return role_of(key, request.app.state.settings) if key else None


def page_access(role: Role) -> Callable[[Request], Role]:
    """A dependency for pages: no key -> login redirect, too low a role -> 403 page."""

    def check(request: Request) -> Role:
        granted = current_role(request)
        if granted is None:
            raise LoginRequired
        if granted.rank < role.rank:
            raise StarletteHTTPException(
                403, f"This page needs the {role.value} role; you are logged in as {granted.value}."
            )
        return granted

    return check


viewer_page = page_access(Role.VIEWER)


def safe_next(target: str | None) -> str:
    """A post-login destination on this site ("/..." but not "//host"), else the home page."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n"):
        return "/"
    return target


# --- rendering and failures --------------------------------------------------------


def render(request: Request, template: str, title: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """One page from ``template`` (which extends ``base.html``) with the navigation for the caller's role."""
    html = _env.get_template(template).render(title=title, role=current_role(request), path=request.url.path, **context)
    return HTMLResponse(html, status_code=status, headers={**_HEADERS, "Content-Security-Policy": _PAGE_POLICY})


def view_response(html: str) -> HTMLResponse:
    """A full-screen network view (from :mod:`viz`)."""
    return HTMLResponse(html, headers={**_HEADERS, "Content-Security-Policy": _VIEW_POLICY})


def _failure(exc: Exception) -> tuple[int, str] | None:
    """HTTP status and message of a failure a page reports to the person, or None for unexpected ones."""
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, str(exc.detail)
    if isinstance(exc, RequestValidationError):
        parts = [
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p not in ('query', 'path', 'body'))}: {err.get('msg')}"
            for err in exc.errors()
        ]
        return 422, "; ".join(parts)
    if isinstance(exc, NotFoundError):
        return 404, str(exc)
    if isinstance(exc, StoreUnavailableError):
        return 503, "The graph database (Neo4j) is not reachable; try again shortly."
    if isinstance(exc, ValueError):
        return 422, str(exc)
    return None


class PageRoute(APIRoute):
    """A route whose failures become HTML pages (login redirect, 403, 404, 422, 503, 500) instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)
            except Exception as exc:
                failure = _failure(exc)
                if failure is None:
                    log.exception("page failed: %s", request.url.path)
                    failure = (500, "Internal error; see the server log.")
                status, message = failure
                return render(
                    request, "error.html", f"Error {status}", status=status, status_code=status, message=message
                )

        return handle


router = APIRouter(include_in_schema=False, route_class=PageRoute)


# --- static files ------------------------------------------------------------------


def _static(path: Path | None) -> FileResponse:
    if path is None:
        raise StarletteHTTPException(404, "No such file.")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})


@router.get("/static/vis/{name}")
def vis_asset(name: str) -> FileResponse:
    """vis-network's JavaScript and CSS from the installed pyvis package (public: no data in them)."""
    return _static(VIS_FILES.get(name))


@router.get("/static/{name}")
def page_asset(name: str) -> FileResponse:
    """The pages' stylesheet and search-as-you-type script."""
    return _static(STATIC_FILES.get(name))


# --- login --------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = Query("/", max_length=2000)) -> HTMLResponse:
    """The login form: one field for an API key."""
    return render(request, "login.html", "Log in", next=safe_next(next), message=None)


@router.post("/login")
def login(request: Request, key: str = Form("", max_length=500), next: str = Form("/", max_length=2000)) -> Response:
    """Check the key; on success keep it in an HttpOnly, SameSite=Strict cookie and go on to ``next``."""
    target = safe_next(next)
    if not key or role_of(key, request.app.state.settings) is None:
        message = "That API key is not valid. Check it and try again." if key else "Enter your API key."
        return render(request, "login.html", "Log in", status=401, next=target, message=message)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE_NAME, key, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/"
    )
    return response


@router.get("/logout")
def logout() -> Response:
    """Forget the key (delete the cookie) and show the login form."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


# --- home and organisation ----------------------------------------------------------


@router.get("/", dependencies=[Depends(viewer_page)])
def home(
    request: Request,
    q: str = Query("", max_length=200),
    kind: str = Query(""),
    page: int = Query(1, ge=1, le=100_000),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """Search organisations by name or alias; every result links to its organisation page."""
    kind_value = _kind(kind)
    total, hits = state.store.search_organisations(
        q or None, limit=SEARCH_PAGE_SIZE, offset=(page - 1) * SEARCH_PAGE_SIZE, kind=kind_value
    )
    return render(
        request,
        "home.html",
        "Search organisations",
        q=q,
        kind=kind,
        kinds=KIND_CHOICES,
        total=total,
        hits=hits,
        paging=Pager.of(request, page, SEARCH_PAGE_SIZE, total),
    )


@router.get("/org/{org_id:path}", dependencies=[Depends(viewer_page)])
def organisation(request: Request, org_id: str, state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """Profile, metrics of the current analysis, partners, and the ego network (iframe of ``/views/ego``)."""
    info: OrganisationDetail = organisation_detail(org_id, partners=PARTNERS_SHOWN, state=state)
    analysis = current_analysis(state)
    table = analysis.metrics
    position = {node: i for i, node in enumerate(table.nodes)}.get(org_id)
    metrics = table.row(position).model_dump(include=set(METRICS)) if position is not None else {}
    profile = {
        key: value for key, value in info.profile.items() if key not in SHOWN_ELSEWHERE and value not in (None, "", [])
    }
    website = str(profile.pop("website", ""))
    coop = state.cache.projection().cooperation
    # the detail's partner names come from the projection's group names; the graph's nodes carry the real ones
    partners = [p.model_copy(update={"name": coop.nodes[p.id].get("name") or p.name}) for p in info.partners]
    return render(
        request,
        "organisation.html",
        info.name,
        org=info,
        partners=partners,
        profile=profile,
        website=website if website.startswith(("http://", "https://")) else None,
        website_text=website,
        metrics=metrics,
        graph_version=analysis.graph_version,
        ego_base=f"/views/ego/{quote(org_id, safe='')}" if org_id in coop else None,
    )


# --- introduction paths ----------------------------------------------------------


@dataclass(frozen=True)
class PathForm:
    """The path form's fields as entered (``a``/``b``/``avoid`` are ids or name text)."""

    a: str
    b: str
    k: int
    max_hops: int
    avoid: list[str]
    kinds: list[str]
    since: str

    @property
    def submitted(self) -> bool:
        """True once both ends are filled in."""
        return bool(self.a.strip() and self.b.strip())


def path_form(
    a: str = Query("", max_length=300),
    b: str = Query("", max_length=300),
    k: int = Query(3, ge=1, le=MAX_K),
    max_hops: int = Query(4, ge=1, le=MAX_HOPS),
    avoid: list[str] = Query([]),
    kinds: list[str] = Query([]),
    since: str = Query("", max_length=4),
) -> PathForm:
    """Dependency: the path form from the query string (``avoid`` also one per line, as the textarea sends it)."""
    lines = [line.strip() for value in avoid for line in value.splitlines()]
    return PathForm(a, b, k, max_hops, [line for line in lines if line], kinds, since)


def resolve_organisation(state: ServiceState, text: str, what: str) -> str:
    """An id typed or picked in a form, or the best search hit for a name typed."""
    text = text.strip()
    if not text:
        raise ValueError(f"{what}: choose an organisation")
    if text in state.ties().index:
        return text
    _, hits = state.store.search_organisations(text, limit=1)
    if not hits:
        raise NotFoundError(f"{what}: no organisation matches {text!r}")
    return str(hits[0]["id"])


def _year(text: str, what: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValueError(f"{what}: give a year such as 2018, or leave it empty")
    return int(text)


def answer_path(state: ServiceState, form: PathForm) -> tuple[PathAnswer, str]:
    """The path answer for the form and the URL of its full-screen view."""
    a = resolve_organisation(state, form.a, "From")
    b = resolve_organisation(state, form.b, "To")
    avoid = [resolve_organisation(state, text, "Avoid") for text in form.avoid]
    since = _year(form.since, "Projects since")
    unknown = set(form.kinds) - set(INTERMEDIARY_CHOICES)
    if unknown:
        raise ValueError(f"Intermediaries: unknown kind {sorted(unknown)[0]!r}")
    answer = find_paths(
        state.ties(),
        a,
        b,
        k=form.k,
        max_hops=form.max_hops,
        avoid=avoid,
        allowed_intermediary_kinds=form.kinds or None,
        since_year=since,
    )
    query = [("a", a), ("b", b), ("k", form.k), ("max_hops", form.max_hops)]
    query += [("avoid", o) for o in avoid] + [("kinds", kind) for kind in form.kinds]
    if since is not None:
        query.append(("since", since))
    return answer, "/views/path?" + urlencode(query)


@router.get("/path", dependencies=[Depends(viewer_page)])
def path_page(
    request: Request, form: PathForm = Depends(path_form), state: ServiceState = Depends(get_state)
) -> HTMLResponse:
    """ "Find an introduction path": the form, then the path view and each hop's evidence (or why there is none)."""
    answer, view_url, error, status = None, None, None, 200
    if form.submitted:
        try:
            answer, view_url = answer_path(state, form)
        except (ValueError, NotFoundError) as exc:
            error, status = str(exc), 404 if isinstance(exc, NotFoundError) else 422
    return render(
        request,
        "path.html",
        "Find an introduction path",
        status=status,
        form=form,
        kinds=INTERMEDIARY_CHOICES,
        max_k=MAX_K,
        max_hops=MAX_HOPS,
        answer=answer,
        view_url=view_url,
        error=error,
    )


# --- partner finder ----------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def _kind(text: str) -> str | None:
    """An organisation kind from a form's select ("" = any)."""
    if not text:
        return None
    if text not in KIND_CHOICES:
        raise ValueError(f"kind: unknown organisation kind {text!r}")
    return text


@router.get("/partner-finder", dependencies=[Depends(viewer_page)])
def partners_page(
    request: Request,
    source: str = Query("", max_length=300),
    keywords: str = Query("", max_length=1000),
    fields: str = Query("", max_length=1000),
    kind: str = Query(""),
    region: str = Query("", max_length=20),
    max_hops: int = Query(4, ge=1, le=MAX_HOPS),
    limit: int = Query(20, ge=1, le=100),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """Partner finder: candidates for a need ranked by fit and reachability, and new partners to meet."""
    form = {"source": source, "keywords": keywords, "fields": fields, "kind": kind, "region": region}
    answer: PartnerAnswer | None = None
    error, status = None, 200
    if source.strip():
        try:
            need = PartnerNeed(
                keywords=_words(keywords), fields=_words(fields), kind=_kind(kind), region=region.strip() or None
            )
            org = resolve_organisation(state, source, "Organisation")
            answer = find_partners(state.ties(), org, need, limit=limit, max_hops=max_hops)
        except (ValueError, NotFoundError) as exc:
            error, status = str(exc), 404 if isinstance(exc, NotFoundError) else 422
    return render(
        request,
        "partners.html",
        "Find partners",
        status=status,
        form=form,
        limit=limit,
        hops=max_hops,
        max_hops=MAX_HOPS,
        kinds=KIND_CHOICES,
        answer=answer,
        error=error,
    )


# --- gaps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a generic table: header, the row attribute shown, and optionally the attribute of an id to link."""

    header: str
    attr: str
    link: str | None = None
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table of pydantic rows, rendered by the ``data_table`` macro."""

    title: str
    intro: str
    columns: tuple[Column, ...]
    rows: list[Any]


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
    Column("Shared partners", "shared"),
    Column("Explanation", "explanation"),
)


def gap_tables(analysis: Analysis) -> list[Table]:
    """The gap report's tables with their headings."""
    report = analysis.gaps
    return [
        Table(
            "Under-connected fields",
            "Field pairs with the fewest ties for their size.",
            _PAIR_COLUMNS,
            report.field_pairs,
        ),
        Table(
            "Clusters that rarely meet",
            "Cluster pairs with the fewest ties for their size.",
            _PAIR_COLUMNS,
            report.cluster_pairs,
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
        ),
        Table(
            "Regions",
            "Ties per organisation inside and beyond each region.",
            (
                Column("Region", "name"),
                Column("Organisations", "organisations", numeric=True),
                Column("Ties inside", "internal_ties", numeric=True),
                Column("Ties beyond", "external_ties", numeric=True),
                Column("Ties per organisation", "ties_per_organisation", numeric=True),
                Column("Explanation", "explanation"),
            ),
            report.regions,
        ),
        Table(
            "Periphery",
            "Organisations with no tie or a single one.",
            (
                Column("Organisation", "name", link="id"),
                Column("Partners", "degree", numeric=True),
                Column("Only partner", "only_partner"),
                Column("Explanation", "explanation"),
            ),
            report.peripheral,
        ),
        Table(
            "Single points of failure",
            "Organisations and ties whose loss would cut others off.",
            (
                Column("Scope", "scope"),
                Column("What", "kind"),
                Column("Who", "subject_names"),
                Column("Cut off", "cut_off", numeric=True),
                Column("Explanation", "explanation"),
            ),
            report.fragility,
        ),
        *(
            Table(
                f"Missing links ({method.replace('_', ' ')})",
                "Pairs not tied yet that their shared partners suggest should meet.",
                _LINK_COLUMNS,
                rows,
            )
            for method, rows in report.missing_links.items()
        ),
    ]


@dataclass(frozen=True)
class HeatCell:
    """One field pair of the heat map."""

    observed: int
    expected: float
    ratio: float
    level: int
    label: str


@dataclass(frozen=True)
class HeatMap:
    """Fields (largest first, capped) and the observed/expected ratio of ties between each pair."""

    fields: list[tuple[str, str]]
    cells: list[list[HeatCell | None]]
    total_fields: int


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
        "Gaps in the ecosystem",
        tables=gap_tables(analysis),
        heat=field_heat_map(state.cache.projection(), pairs),
        levels=HEAT_LEVELS,
        graph_version=analysis.graph_version,
    )


# --- metrics ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pager:
    """Previous/next links of a paged table."""

    page: int
    pages: int
    previous: str | None
    next: str | None

    @classmethod
    def of(cls, request: Request, page: int, size: int, total: int) -> Pager:
        """The pager for ``page`` of ``total`` rows, keeping the request's other parameters."""
        pages = max(1, -(-total // size))
        params = {key: value for key, value in request.query_params.items() if key != "page"}

        def link(number: int) -> str | None:
            return f"{request.url.path}?{urlencode({**params, 'page': number})}" if 1 <= number <= pages else None

        return cls(page, pages, link(page - 1), link(page + 1))


@router.get("/metrics/view")
def metrics_page(
    request: Request,
    sort: MetricName = Query("pagerank"),
    page: int = Query(1, ge=1, le=100_000),
    role: Role = Depends(viewer_page),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """The metrics table of the current analysis, sortable, with downloads for analysts."""
    analysis = current_analysis(state)
    total = len(analysis.metrics.nodes)
    start = (page - 1) * PAGE_SIZE
    rows = analysis.metrics.top(sort, start + PAGE_SIZE)[start:]
    return render(
        request,
        "metrics.html",
        "Network metrics",
        rows=rows,
        start=start,
        sort=sort,
        metrics=METRICS,
        total=total,
        paging=Pager.of(request, page, PAGE_SIZE, total),
        downloads=DOWNLOADS if role.rank >= Role.ANALYST.rank else (),
        graph_version=analysis.graph_version,
        algorithms=analysis.metrics.meta.algorithms,
    )


# --- the views ----------------------------------------------------------------------


@router.get("/overview", dependencies=[Depends(viewer_page)])
def overview_page(request: Request, of: OverviewOf = Query("organisations")) -> HTMLResponse:
    """The ecosystem overview (organisations, or communities/clusters/fields as nodes) in a frame."""
    choices = {
        "organisations": "Organisations",
        "communities": "Communities",
        "clusters": "Clusters",
        "fields": "Fields",
    }
    return render(
        request, "overview.html", "Ecosystem overview", of=of, choices=choices, view_url=f"/views/overview?of={of}"
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
def overview_view(of: OverviewOf = Query("organisations"), state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """The capped organisation overview, or groups as nodes with drill-down to ``/views/group/{kind}/{id}``."""
    projection, analysis = state.cache.projection(), current_analysis(state)
    common = {"layout_key": projection.version, "assets_url": ASSETS_URL}
    if of == "organisations":
        return view_response(overview(projection.cooperation, metrics=analysis.metrics, size_by=SIZE_BY, **common))
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
