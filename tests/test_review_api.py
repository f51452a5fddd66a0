"""The review queue over HTTP (the real app, uvicorn, real Neo4j) and on its page in headless Chromium.

A hand-made graph: two pairs the loaders were unsure of (as a load stores them, through the same
store step), with the organisations on both sides. Admins list and decide; everyone else is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from innograph.graph import records as r
from innograph.graph import steps as st
from innograph.graph.store import Store
from innograph.loaders.resolve import ReviewPair
from innograph.loaders.review import queue_step, review_entry
from tests.helpers import KEY, Browser, LiveServer, api_get, assert_png, chromium_browser

SRC = ["test:review"]
PAIRS = [
    ReviewPair(
        "cordis_fp7_thuringia/organisations.csv:1301",
        "WAGENINGEN UNIVERSITEIT",
        "NL",
        "org:wageningen-universiteit",
        "pic:999981634",
        "WAGENINGEN UNIVERSITY",
        90.9,
        "not merged: below the merge threshold or a guard",
    ),
    ReviewPair(
        "cordis_fp7_thuringia/organisations.csv:933",
        "INRA TRANSFERT S A",
        "FR",
        "org:inra-transfert-sa",
        "pic:999955541",
        "INSERM  TRANSFERT SA",
        86.7,
        "not merged: below the merge threshold or a guard",
    ),
]


def org(org_id: str, name: str, city: str, country: str) -> r.Organisation:
    return r.Organisation(id=org_id, kind=r.OrganisationKind.OTHER, name=name, city=city, country=country, sources=SRC)


@pytest.fixture
def queue(store: Store) -> Store:
    """Both pairs pending, with their four organisations and one project on the Wageningen candidate."""
    store.apply(
        [
            st.organisations(
                [
                    org("org:wageningen-universiteit", "WAGENINGEN UNIVERSITEIT", "WAGENINGEN", "NL"),
                    org("pic:999981634", "WAGENINGEN UNIVERSITY", "WAGENINGEN", "NL"),
                    org("org:inra-transfert-sa", "INRA TRANSFERT S A", "PARIS", "FR"),
                    org("pic:999955541", "INSERM  TRANSFERT SA", "PARIS", "FR"),
                ]
            ),
            st.projects([r.Project(id="cordis:1", acronym="SOIL", sources=SRC)]),
            st.participations([r.Participation(org_id="pic:999981634", project_id="cordis:1", sources=SRC)]),
            queue_step(PAIRS, "cordis:fp7"),
        ]
    )
    return store


def post(server: LiveServer, path: str, role: str | None, body: object) -> httpx.Response:
    headers = {"X-API-Key": KEY[role]} if role else {}
    return httpx.post(server.url + path, json=body, headers=headers, timeout=60)


def test_admins_list_the_queue_with_its_evidence(live_api: LiveServer, queue: Store) -> None:
    answer = api_get(live_api, "/review", "admin")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["pending"], body["decided"]) == (2, 0)
    first = body["pairs"][0]
    assert (first["id"], first["name"], first["score"], first["status"]) == (
        PAIRS[0].id,
        "WAGENINGEN UNIVERSITEIT",
        90.9,
        "pending",
    )
    assert first["where"] == "cordis_fp7_thuringia/organisations.csv:1301" and first["source"] == "cordis:fp7"
    assert first["candidate"] == {
        "id": "pic:999981634",
        "name": "WAGENINGEN UNIVERSITY",
        "city": "WAGENINGEN",
        "country": "NL",
        "projects": 1,
    }
    assert first["incoming"]["id"] == "org:wageningen-universiteit" and first["incoming"]["projects"] == 0
    for role, status in ((None, 401), ("viewer", 403), ("analyst", 403)):
        assert api_get(live_api, "/review", role).status_code == status


def test_a_decision_over_http_is_recorded(live_api: LiveServer, queue: Store) -> None:
    answer = post(live_api, f"/review/{PAIRS[1].id}", "admin", {"decision": "different"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "different" and answer.json()["decided_by"] == "api"
    assert review_entry(queue, PAIRS[1].id).status == "different"
    assert [p["id"] for p in api_get(live_api, "/review", "admin").json()["pairs"]] == [PAIRS[0].id]
    decided = api_get(live_api, "/review", "admin", status="decided").json()
    assert [(p["id"], p["status"]) for p in decided["pairs"]] == [(PAIRS[1].id, "different")]
    assert len(api_get(live_api, "/review", "admin", status="all").json()["pairs"]) == 2


def test_unknown_pairs_bad_decisions_and_other_roles_are_refused(live_api: LiveServer, queue: Store) -> None:
    missing = post(live_api, "/review/review-000000000000", "admin", {"decision": "same"})
    assert missing.status_code == 404 and "review-000000000000" in missing.json()["error"]["message"]
    bad = post(live_api, f"/review/{PAIRS[0].id}", "admin", {"decision": "maybe"})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("decision:")
    assert post(live_api, f"/review/{PAIRS[0].id}", "admin", {}).json()["error"]["message"].startswith("decision:")
    assert api_get(live_api, "/review", "admin", status="open").json()["error"]["message"].startswith("status:")
    for role, status in ((None, 401), ("viewer", 403), ("analyst", 403)):
        assert post(live_api, f"/review/{PAIRS[0].id}", role, {"decision": "same"}).status_code == status
    assert review_entry(queue, PAIRS[0].id).status == "pending"


@pytest.fixture
def browser(live_api: LiveServer) -> Iterator[Browser]:
    with chromium_browser(live_api) as browser:
        yield browser


def test_the_page_decides_a_pair(browser: Browser, queue: Store, screenshot_dir: Path) -> None:
    browser.log_in("viewer")
    assert browser.page.goto(browser.url("/review/view")).status == 403  # type: ignore[union-attr]
    browser.log_in("admin")
    page = browser.open("/review/view")
    row = page.locator(f"#pending-{PAIRS[0].id}")
    assert "WAGENINGEN UNIVERSITEIT" in row.inner_text() and "pic:999981634" in row.inner_text()
    assert "organisations.csv:1301" in row.inner_text() and "90.9" in row.inner_text()
    page.screenshot(path=str(screenshot_dir / "review.png"), full_page=True)
    assert_png(screenshot_dir / "review.png", 1280)
    with page.expect_navigation():
        row.get_by_role("button", name="Same organisation").click()
    assert page.url.startswith(browser.url("/review/view"))
    assert page.locator(f"#pending-{PAIRS[0].id}").count() == 0
    decided = page.locator(f"#decided-{PAIRS[0].id}").inner_text()
    assert "Same organisation" in decided and "via page" in decided
    entry = review_entry(queue, PAIRS[0].id)
    assert (entry.status, entry.decided_by) == ("same", "page")
    assert review_entry(queue, PAIRS[1].id).status == "pending"
