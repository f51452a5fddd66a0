"""The web pages in a real headless Chromium, against the real app (uvicorn, HTTP) on the real Neo4j.

A small hand-made ecosystem (with an organisation and a field named
``<script>alert(1)</script>``) is loaded through the store's step builders. The
tests log in through the form, open every page and view, fill and submit the path
form, count the nodes the path view draws, check roles, and take the README's
screenshots into the test's temporary folder (the README's come from the real slice, in
``tests/test_browser_real.py``). Every request
the browser makes (pages, iframes, scripts, fetches) is recorded: none may leave
127.0.0.1, and no dialog may open.

Chromium is Debian's ``/usr/bin/chromium`` (``.ci/run`` installs it); Playwright
never downloads a browser here. Without it the tests fail, they do not skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Frame, Page

from innograph.graph import records as r
from innograph.graph import steps as st
from innograph.graph.store import Store
from innograph.queries.tie_graph import build_tie_graph
from innograph.settings import Settings
from tests.helpers import (
    KEY,
    Browser,
    LiveServer,
    all_paths,
    api_settings,
    assert_png,
    chromium_browser,
    view_frames,
    wait_until_drawn,
)

HOSTILE = "<script>alert(1)</script>"
SRC = ["browser-test"]

# id: (kind, name, city, region)
ORGS: dict[str, tuple[str, str, str, str]] = {
    "uni-jena": ("University", "Friedrich-Schiller-Universität Jena", "Jena", "DEG03"),
    "saale-optics": ("Company", "Saale Optics GmbH", "Jena", "DEG03"),
    "ipj": ("ResearchInstitute", "Institut für Photonik Jena", "Jena", "DEG03"),
    "ilm-laser": ("Company", "Ilmenau Laser GmbH", "Ilmenau", "DEG0F"),
    "tu-ilmenau": ("University", "Technische Universität Ilmenau", "Ilmenau", "DEG0F"),
    "optonet": ("ClusterOrganisation", "OptoNet e.V.", "Jena", "DEG03"),
    "hostile": ("Company", HOSTILE, "Gera", "DEG02"),
    "erfurt-soft": ("Company", "Erfurt Software AG", "Erfurt", "DEG01"),
    "weimar-werk": ("Company", "Weimar Werkzeug AG", "Weimar", "DEG05"),
    "gera-textil": ("Company", "Gera Textil GmbH", "Gera", "DEG02"),
    "aufbaubank": ("PublicBody", "Thüringer Aufbaubank", "Erfurt", "DEG01"),
}
# project: (last year, partners)
PROJECTS: dict[str, tuple[int, tuple[str, ...]]] = {
    "P1": (2022, ("uni-jena", "saale-optics", "ipj")),
    "P2": (2023, ("saale-optics", "ilm-laser")),
    "P3": (2021, ("ipj", "tu-ilmenau", "ilm-laser", "hostile")),
    "P4": (2020, ("erfurt-soft", "hostile", "weimar-werk")),
    "P5": (2019, ("tu-ilmenau", "erfurt-soft")),
    "P6": (2018, ("gera-textil", "weimar-werk")),
    "P7": (2024, ("saale-optics", "hostile", "erfurt-soft")),
}
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "optics": ("Optics & Photonics", ("uni-jena", "saale-optics", "ipj", "ilm-laser")),
    "digital": ("Digital Technologies", ("erfurt-soft", "tu-ilmenau", "hostile")),
    "production": ("Industrial Production", ("weimar-werk", "gera-textil", "ilm-laser")),
    "hostile-field": (HOSTILE, ("hostile", "gera-textil")),
}
CLUSTER_MEMBERS = ("saale-optics", "ilm-laser", "ipj", "hostile")


def ecosystem_steps() -> list[st.Step]:
    """The hand-made ecosystem as store steps."""
    orgs = [
        r.Organisation(id=i, kind=kind, name=name, city=city, region=region, sources=SRC)
        for i, (kind, name, city, region) in ORGS.items()
    ]
    projects = [
        r.Project(id=p, acronym=f"ACR-{p}", start=date(year - 2, 1, 1), end=date(year, 12, 31), sources=SRC)
        for p, (year, _) in PROJECTS.items()
    ]
    participations = [
        r.Participation(org_id=o, project_id=p, sources=SRC) for p, (_, orgs_) in PROJECTS.items() for o in orgs_
    ]
    return [
        st.organisations(orgs),
        st.projects(projects),
        st.participations(participations),
        st.clusters([r.Cluster(id="photonics", name="Photonics Thuringia", sources=SRC)]),
        st.memberships(
            [r.Membership(org_id=o, cluster_id="photonics", since=2015, sources=SRC) for o in CLUSTER_MEMBERS]
        ),
        st.management([r.Management(org_id="optonet", cluster_id="photonics", sources=SRC)]),
        st.fields([r.SpecialisationField(id=f, name=name, sources=SRC) for f, (name, _) in FIELDS.items()]),
        st.field_links(
            [r.Link(from_id=o, to_id=f, sources=SRC) for f, (_, members) in FIELDS.items() for o in members]
        ),
        st.technologies([r.Technology(id="laser", name="Laser micro-machining", sources=SRC)]),
        st.technology_links([r.Link(from_id=o, to_id="laser", sources=SRC) for o in ("ilm-laser", "hostile")]),
        st.derive_cooperation(PROJECTS),
    ]


@pytest.fixture(scope="module")
def ecosystem(session_store: Store) -> Store:
    """The hand-made ecosystem, loaded once for this module."""
    session_store.clear()
    session_store.apply(ecosystem_steps())
    return session_store


@pytest.fixture(scope="module")
def app_server(neo4j_settings: Settings, ecosystem: Store) -> Iterator[LiveServer]:
    """The real app over HTTP, started for this module after the ecosystem is loaded.

    Not the session's ``live_api``: ``Store.clear`` restarts the graph version, so a
    server that cached another module's graph at the same version would serve it.
    """
    with LiveServer(api_settings(neo4j_settings)) as server:
        yield server


@pytest.fixture(scope="module")
def browser(app_server: LiveServer) -> Iterator[Browser]:
    """Debian's Chromium, headless, in a fresh profile; fails (not skips) when it is missing."""
    with chromium_browser(app_server) as browser:
        yield browser


@pytest.fixture(autouse=True)
def stays_local_and_quiet(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test: no request left 127.0.0.1 and no dialog fired."""
    yield
    if "browser" not in request.fixturenames:
        return
    browser: Browser = request.getfixturevalue("browser")
    away = [url for url in browser.requests if urlsplit(url).scheme not in ("data", "blob", "about")]
    away = [url for url in away if urlsplit(url).hostname != "127.0.0.1"]
    assert not away, f"requests left the machine: {away}"
    assert browser.requests, "no request was recorded"
    assert not browser.dialogs, f"a dialog fired: {browser.dialogs}"


def node_count(frame: Frame) -> int:
    return frame.evaluate("window.network.body.data.nodes.length")


def shown_text(page: Page) -> str:
    """Everything a person can read: each frame's text plus the network labels (drawn on the canvas)."""
    parts = []
    for frame in page.frames:
        parts.append(frame.evaluate("document.body ? document.body.innerText : ''"))
        if frame.evaluate("!!window.network"):
            parts.extend(frame.evaluate("window.network.body.data.nodes.get().map(n => n.label || '')"))
    return "\n".join(parts)


def runs_no_injected_script(page: Page) -> None:
    """No executable script in any frame contains the hostile code (data islands are JSON, not scripts)."""
    for frame in page.frames:
        injected = frame.evaluate(
            "[...document.scripts].filter(s => !s.type || s.type.includes('javascript'))"
            ".some(s => s.text.includes('alert('))"
        )
        assert not injected, f"{frame.url}: a script with alert( is in the page"


# --- the tests --------------------------------------------------------------------


def test_login_form_cookie_and_logout(browser: Browser) -> None:
    browser.log_in(None)
    page = browser.page
    page.goto(browser.url("/gaps/view?x=1"))
    assert urlsplit(page.url).path == "/login"
    assert "next=%2Fgaps%2Fview%3Fx%3D1" in page.url
    page.get_by_label("API key").fill("not-a-key")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("alert").inner_text().startswith("That API key is not valid")
    page.get_by_label("API key").fill(KEY["viewer"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    assert page.url == browser.url("/gaps/view?x=1")
    cookie = next(c for c in browser.context.cookies() if c["name"] == "innograph_key")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "Logged in as viewer" in page.inner_text("header")
    page.get_by_role("link", name="Log out").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/login"
    page.goto(browser.url("/org/saale-optics"))
    assert urlsplit(page.url).path == "/login"


EVERY_PAGE: list[tuple[str, bool]] = [  # (path, the hostile name is on it)
    ("/", True),
    ("/?q=alert", True),
    ("/org/hostile", True),
    ("/org/saale-optics", True),
    ("/path?a=saale-optics&b=weimar-werk", True),
    ("/path?a=saale-optics&b=aufbaubank", False),
    ("/partner-finder?source=saale-optics&keywords=laser", True),
    ("/gaps/view", True),
    ("/metrics/view", True),
    ("/metrics/view?sort=betweenness", True),
    ("/overview", True),
    ("/overview?of=communities", False),
    ("/overview?of=clusters", False),
    ("/overview?of=fields", True),
    ("/views/ego/hostile?hops=2", True),
    ("/views/ego/saale-optics?hops=3", True),
    ("/views/path?a=saale-optics&b=weimar-werk&k=3", True),
    ("/views/path?a=saale-optics&b=aufbaubank", False),
    ("/views/overview", True),
    ("/views/overview?of=fields", True),
    ("/views/overview?of=clusters", False),
    ("/views/group/cluster/photonics", True),
    ("/views/group/field/hostile-field", True),
    ("/login", False),
]


def test_every_page_and_view_shows_the_script_name_as_text(browser: Browser) -> None:
    browser.log_in("analyst")
    for path, named in EVERY_PAGE:
        page = browser.open(path)
        assert page.title(), path
        if named:
            assert HOSTILE in shown_text(page), f"{path}: the name is not shown as text"
        runs_no_injected_script(page)
    page = browser.open("/views/overview?of=communities")
    communities = page.eval_on_selector_all("a[href^='/views/group/community/']", "links => links.map(a => a.href)")
    assert communities
    shown = ""
    for url in communities:
        page = browser.open(urlsplit(url).path)
        assert node_count(view_frames(page)[0]) >= 1
        shown += shown_text(page)
        runs_no_injected_script(page)
    assert HOSTILE in shown
    assert node_count(view_frames(browser.open("/views/overview"))[0]) == len(ORGS)


def test_path_form_draws_the_answer(browser: Browser, ecosystem: Store, tmp_path: Path) -> None:
    browser.log_in("viewer")
    page = browser.open("/path")
    page.get_by_label("From (who needs the introduction)").fill("Saale")
    page.wait_for_selector("#a-options option", state="attached", timeout=10_000)
    assert page.eval_on_selector("#a-options option", "o => o.value") == "saale-optics"
    page.get_by_label("From (who needs the introduction)").fill("saale-optics")  # as picking the suggestion does
    page.get_by_label("To (who they want to meet)").fill("Weimar Werkzeug")  # a typed name works too
    page.get_by_text("Options").click()
    page.get_by_label("Paths to show").fill("3")
    page.get_by_label("Most hops per path").fill("4")
    page.get_by_role("button", name="Find paths").click()
    page.wait_for_load_state("load")
    (frame,) = view_frames(page)
    wait_until_drawn(frame)

    ties = build_tie_graph(ecosystem.to_networkx(), version=ecosystem.version())
    answer = all_paths(ties, "saale-optics", "weimar-werk", k=3, max_hops=4)
    on_paths = {node for path in answer.paths for hop in path.hops for node in (hop.from_id, hop.to_id)}
    assert len(answer.paths) == 3
    assert node_count(frame) == len(on_paths)
    assert page.get_by_role("heading", name="From Saale Optics GmbH to Weimar Werkzeug AG").is_visible()
    rows = page.locator("table:has(caption:text('Evidence for each hop')) tbody tr")
    assert rows.count() == sum(len(path.hops) for path in answer.paths)
    for hop in answer.paths[0].hops:
        assert page.get_by_text(hop.explanation).first.is_visible()
    assert HOSTILE in shown_text(page)
    page.screenshot(path=str(tmp_path / "path.png"))
    assert_png(tmp_path / "path.png", 1280)

    page = browser.open("/path?a=saale-optics&b=aufbaubank")
    assert "No path." in page.get_by_role("status").inner_text()
    page = browser.open("/path?a=saale-optics&b=nobody-at-all-xyz")
    assert "no organisation matches" in page.get_by_role("alert").inner_text()


def test_organisation_page_with_its_ego_view(browser: Browser, tmp_path: Path) -> None:
    browser.log_in("viewer")
    page = browser.open("/org/saale-optics")
    assert page.get_by_role("heading", name="Saale Optics GmbH", level=1).is_visible()
    (frame,) = view_frames(page)
    assert node_count(frame) == 1 + 5  # itself and its five project partners
    partners = page.locator("section[aria-labelledby=partners] tbody tr")
    assert partners.count() == 5
    assert page.get_by_role("link", name=HOSTILE).first.is_visible()
    figure = page.locator("figure.view").bounding_box()
    assert figure is not None
    bottom = figure["y"] + figure["height"] + 16
    page.screenshot(
        path=str(tmp_path / "ego.png"), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": bottom}
    )
    assert_png(tmp_path / "ego.png", 1280)
    missing = browser.page.goto(browser.url("/org/nope"))
    assert missing is not None and missing.status == 404
    assert "no organisation with id 'nope'" in page.get_by_role("alert").inner_text()


def test_roles_decide_the_download_buttons(browser: Browser) -> None:
    browser.log_in("viewer")
    page = browser.open("/metrics/view")
    assert page.get_by_role("link", name="CSV").count() == 0
    assert browser.context.request.get(browser.url("/metrics/export?format=csv")).status == 403
    browser.log_in("analyst")
    page = browser.open("/metrics/view")
    for label in ("CSV", "JSON", "GraphML", "GEXF"):
        assert page.get_by_role("link", name=label).is_visible()
    csv = browser.context.request.get(browser.url(page.get_by_role("link", name="CSV").get_attribute("href") or ""))
    assert csv.status == 200 and "Saale Optics GmbH" in csv.text()


def test_event_planner_lists_meetings_and_draws_both_sides(browser: Browser) -> None:
    browser.log_in("viewer")
    page = browser.open("/event-planner")
    page.get_by_label("Title of the event").fill("Light meets code")
    page.get_by_label("Name of the first side").fill("Photonics")
    page.get_by_label("Fields of the first side").fill("Optics & Photonics")
    page.get_by_label("Name of the second side").fill("Digital")
    page.get_by_label("Fields of the second side").fill("Digital Technologies")
    page.get_by_label("Invitees in all").fill("6")
    page.get_by_label("Meetings per organisation at most").fill("2")
    page.get_by_role("button", name="Plan the event").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Invite from Photonics").is_visible()
    assert page.locator("section[aria-labelledby=side-1] tbody tr").count() == 3
    assert page.locator("section[aria-labelledby=side-2] tbody tr").count() == 3  # the <script> company among them
    meetings = page.locator("section[aria-labelledby=meetings] tbody tr")
    assert 1 <= meetings.count() <= 6
    assert "hops" in meetings.first.inner_text() or "not connected" in meetings.first.inner_text()
    (frame,) = view_frames(page)
    wait_until_drawn(frame)
    assert node_count(frame) == 6
    assert HOSTILE in shown_text(page)
    runs_no_injected_script(page)
    page = browser.open("/event-planner?a_label=Photonics&a_fields=Optics&b_label=X&b_fields=nowhere-field")
    assert "sides.1.fields.0: unknown field 'nowhere-field'" in page.get_by_role("alert").inner_text()
