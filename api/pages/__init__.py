"""The web pages people use in a browser: search, organisation, introduction paths, partners, gaps, metrics, views,
and (admin) the review of uncertain name matches.

Server-rendered with Jinja2 (autoescaping on: every name from the data is shown
as text), one local stylesheet and one small script (search-as-you-type), no
request leaves the server. The pages hold no business logic: they call
:mod:`innograph.api.services` (and through it :mod:`innograph.queries`) for
answers and :mod:`innograph.viz` for the network pictures, which are served
full-screen under ``/views/...`` and embedded in the pages as iframes.

One module per resource; :mod:`.common` holds what they share (templates, login
cookie and roles, rendering, the HTML error page, static files) and
:mod:`.view_models` what the templates draw (tables, heat map, pager). The
templates and static files stay in ``api/templates`` and ``api/static``.
"""

from __future__ import annotations

from fastapi import APIRouter

from innograph.api.pages import (
    common,
    events,
    gaps,
    login,
    metrics,
    organisations,
    partners,
    path,
    review,
    timeline,
    views,
)

router = APIRouter(include_in_schema=False)
for _module in (common, login, organisations, path, partners, events, gaps, metrics, review, timeline, views):
    router.include_router(_module.router)
