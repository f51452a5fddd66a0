""" "Find an introduction path": the form, the answer with each hop's evidence, and the URL of its view."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import KIND_CHOICES, page_router, render, viewer_page
from innograph.api.services import path_answer, resolve_organisation
from innograph.api.state import ServiceState, get_state
from innograph.errors import InvalidRequestError, NotFoundError
from innograph.queries.paths import MAX_HOPS, MAX_K, SHOWN_PROJECTS, PathAnswer
from innograph.queries.tie_graph import CLUSTER_KIND
from innograph.viz import KIND_LABELS

router = page_router()

INTERMEDIARY_CHOICES: dict[str, str] = {**KIND_CHOICES, CLUSTER_KIND: KIND_LABELS[CLUSTER_KIND]}


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
    rank: str = "brokers"

    @property
    def prefer_brokers(self) -> bool:
        """Rank with broker costs (the default), or by tie strength alone (``rank=strength``)."""
        return self.rank != "strength"

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
    rank: str = Query("brokers", pattern="^(brokers|strength)$"),
) -> PathForm:
    """Dependency: the path form from the query string (``avoid`` also one per line, as the textarea sends it)."""
    lines = [line.strip() for value in avoid for line in value.splitlines()]
    return PathForm(a, b, k, max_hops, [line for line in lines if line], kinds, since, rank)


def _year(text: str, what: str) -> int | None:
    year = text.strip()
    if not year:
        return None
    if not (year.isascii() and year.isdigit()):  # "²".isdigit() too, but int() refuses it
        raise InvalidRequestError(f"{what}: give a year such as 2018, or leave it empty")
    return int(year)


def answer_path(state: ServiceState, form: PathForm) -> tuple[PathAnswer, str]:
    """The path answer for the form and the URL of its full-screen view."""
    a = resolve_organisation(state, form.a, "From")
    b = resolve_organisation(state, form.b, "To")
    avoid = [resolve_organisation(state, text, "Avoid") for text in form.avoid]
    since = _year(form.since, "Projects since")
    unknown = set(form.kinds) - set(INTERMEDIARY_CHOICES)
    if unknown:
        raise InvalidRequestError(f"Intermediaries: unknown kind {sorted(unknown)[0]!r}")
    answer = path_answer(
        state.paths(),
        a,
        b,
        k=form.k,
        max_hops=form.max_hops,
        avoid=avoid,
        kinds=form.kinds or None,
        since=since,
        prefer_brokers=form.prefer_brokers,
        evidence=SHOWN_PROJECTS,
    )
    query = [("a", a), ("b", b), ("k", form.k), ("max_hops", form.max_hops), ("rank", form.rank)]
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
            form = replace(form, a=answer.source.name, b=answer.target.name)  # names, not ids, in the form
        except (InvalidRequestError, NotFoundError) as exc:
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
