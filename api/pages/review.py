"""The review page (admin): uncertain name matches with both names and their evidence, decided with two buttons.

Each pending pair has a small form that posts ``same`` or ``different`` to ``/review/view/{id}``; the
decision is recorded like ``POST /review/{id}`` (:func:`innograph.loaders.review.decide`) and the browser
comes back to the list (303), where the pair now shows under the decided ones. The login cookie is
SameSite=Strict, so another site cannot post these forms for an admin.
"""

from __future__ import annotations

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from innograph.api.pages.common import page_access, page_router, render
from innograph.api.routers.review import ReviewId
from innograph.api.state import ServiceState, get_state
from innograph.loaders.review import Verdict, decide, review_queue, short_where
from innograph.settings import Role

router = page_router()
admin_page = page_access(Role.ADMIN)


@router.get("/review/view", dependencies=[Depends(admin_page)])
async def review_page(request: Request, state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """The pending pairs (best score first) with same / different buttons, then the decided pairs."""
    entries = await run_in_threadpool(review_queue, state.store, include_decided=True)
    pending = [entry for entry in entries if entry.status == "pending"]
    decided = [entry for entry in entries if entry.status != "pending"]
    return render(
        request, "review.html", "Review name matches", pending=pending, decided=decided, short_where=short_where
    )


@router.post("/review/view/{review_id}", dependencies=[Depends(admin_page)])
async def review_decision(
    decision: Verdict = Form(...), review_id: str = ReviewId, state: ServiceState = Depends(get_state)
) -> Response:
    """Record the decision from the page's button and go back to the list."""
    await run_in_threadpool(decide, state.store, review_id, decision, "page")
    return RedirectResponse(f"/review/view#decided-{review_id}", status_code=303)
