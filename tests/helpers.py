"""What several test modules share: ports, the live HTTP server and its keys, and the hand-made ecosystems.

Test modules import from here (``from tests.helpers import ...``), never from one another; the
fixtures that hand these out (``live_api``, ``api_ecosystem``, ...) are in ``tests/conftest.py``.

Two small deterministic ecosystems are defined once here and loaded by several files:

* ``CONSORTIA`` (``load_consortia``): four projects over organisations a-g plus h without projects.
  Two consortia share "d" and a chain runs on to "g": "d" and "e" are articulation points, "h" is
  isolated (no constraint, no effective size); 8 organisations, 10 cooperation ties.
* ``api_ecosystem_steps``: the graph behind the HTTP tests, answers worked out by hand:
  a-b and b-d share two-partner projects in 2022/2023 (strongest ties); a-c and c-d share only
  ten-partner projects from 2015 (weak ties); a and d are both members of the optics cluster,
  which m manages (a hop through m). So the best path from a to d is a→b→d; a→m→d and a→c→d are
  the alternatives. 21 organisations; c ties to a, d and 16 fillers.
"""

from __future__ import annotations

import csv
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import BrowserContext, Dialog, Frame, Page, Request, sync_playwright

from innograph.graph import records as r
from innograph.graph import steps as st
from innograph.graph.store import Store
from innograph.queries.path_snapshot import PathSnapshot
from innograph.queries.paths import PathAnswer, find_paths
from innograph.queries.tie_graph import TieGraph
from innograph.settings import Role, Settings

REPO = Path(__file__).resolve().parent.parent
"""The repository root (the checkout these tests belong to)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the API over real HTTP ----------------------------------------------------------

API_KEYS = {"viewer-key-0123456789": "viewer", "analyst-key-0123456789": "analyst", "admin-key-0123456789": "admin"}
KEY = {role: key for key, role in API_KEYS.items()}
"""role -> its API key."""


def api_settings(base: Settings) -> Settings:
    """The test server's settings plus one API key per role."""
    return base.model_copy(update={"api_keys": {key: Role(role) for key, role in API_KEYS.items()}})


class LiveServer:
    """The real app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, settings: Settings) -> None:
        import threading

        import uvicorn

        from innograph.api.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def upload_profiles(server: LiveServer, rows: list[str]) -> dict:
    """Load profile rows (``Name;Art;Ort;Partner``) through ``POST /loads/profiles`` as the admin; the report."""
    body = ("Name;Art;Ort;Partner\n" + "\n".join(rows) + "\n").encode()
    response = httpx.post(
        server.url + "/loads/profiles",
        headers={"X-API-Key": KEY["admin"]},
        files={"file": ("profiles.csv", body, "text/csv")},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return response.json()


def api_get(
    server: LiveServer, path: str, role: str | None = "viewer", *, timeout: float = 60, **params: object
) -> httpx.Response:
    """GET ``path`` with ``params`` as the given role (``None``: no key)."""
    headers = {"X-API-Key": KEY[role]} if role else {}
    return httpx.get(server.url + path, params=params, headers=headers, timeout=timeout)


# --- the consortia ecosystem (analytics through Neo4j and the CLI) ---------------------

CONSORTIA = {"P1": ["a", "b", "c", "d"], "P2": ["a", "b"], "P3": ["d", "e"], "P4": ["e", "f", "g"]}
CONSORTIA_ORGANISATIONS = "abcdefgh"
CONSORTIA_KINDS = {"a": r.OrganisationKind.UNIVERSITY, "e": r.OrganisationKind.RESEARCH_INSTITUTE}
"""Kinds that are not Company."""
CONSORTIA_SOURCE = ["test:consortia"]


def consortia_steps() -> list[st.Step]:
    """The ``CONSORTIA`` ecosystem as store steps."""
    orgs = [
        r.Organisation(
            id=o, kind=CONSORTIA_KINDS.get(o, r.OrganisationKind.COMPANY), name=f"Org {o}", sources=CONSORTIA_SOURCE
        )
        for o in CONSORTIA_ORGANISATIONS
    ]
    projects = [r.Project(id=p, acronym=p, sources=CONSORTIA_SOURCE) for p in CONSORTIA]
    links = [
        r.Participation(org_id=o, project_id=p, sources=CONSORTIA_SOURCE) for p, os in CONSORTIA.items() for o in os
    ]
    return [st.organisations(orgs), st.projects(projects), st.participations(links), st.derive_cooperation(CONSORTIA)]


def load_consortia(store: Store) -> Store:
    """Write the ``CONSORTIA`` ecosystem (again: the load is idempotent but bumps the graph version)."""
    store.apply(consortia_steps())
    return store


# --- the API ecosystem (paths, partners, metrics, gaps, groups over HTTP) ---------------

API_SOURCE = ["test:paths"]


def api_org(org_id: str, kind: str, name: str) -> r.Organisation:
    return r.Organisation(id=org_id, kind=kind, name=name, city="Jena", region="DEG03", sources=API_SOURCE)


def api_ecosystem_steps() -> list[st.Step]:
    """The hand-made graph of the HTTP tests (see the module docstring) as store steps."""
    orgs = [
        api_org("a", "Company", "Alpha Optics GmbH"),
        api_org("b", "University", "Universität Beta"),
        api_org("c", "Company", "Gamma Laser AG"),
        api_org("d", "ResearchInstitute", "Delta Institut für Photonik"),
        api_org("m", "ClusterOrganisation", "OptoNet Clustermanagement e.V."),
        *(api_org(f"f{i}", "Company", f"Filler F{i} GmbH") for i in range(8)),
        *(api_org(f"g{i}", "Company", f"Filler G{i} GmbH") for i in range(8)),
    ]
    projects = {
        "p-ab": (2023, ["a", "b"]),
        "p-bd": (2022, ["b", "d"]),
        "p-big1": (2015, ["a", "c", *(f"f{i}" for i in range(8))]),
        "p-big2": (2015, ["c", "d", *(f"g{i}" for i in range(8))]),
    }
    src = API_SOURCE
    return [
        st.organisations(orgs),
        st.projects(
            r.Project(
                id=pid,
                acronym=pid.upper(),
                title=f"Project {pid}",
                start=date(year, 1, 1),
                end=date(year, 12, 31),
                sources=src,
            )
            for pid, (year, _) in projects.items()
        ),
        st.participations(
            r.Participation(org_id=o, project_id=pid, sources=src)
            for pid, (_, members) in projects.items()
            for o in members
        ),
        st.clusters([r.Cluster(id="cluster:optics", name="OptoNet Thüringen", sources=src)]),
        st.memberships(r.Membership(org_id=o, cluster_id="cluster:optics", since=2018, sources=src) for o in "ad"),
        st.management([r.Management(org_id="m", cluster_id="cluster:optics", sources=src)]),
        st.derive_cooperation(projects),
    ]


# --- the timeline ecosystem (three periods, home and elsewhere) -------------------------

TIMELINE_SOURCE = ["test:timeline"]
TIMELINE_ORGS: dict[str, tuple[str, str, str, str]] = {  # id: (kind, name, city, NUTS region)
    "jena-uni": ("University", "Universität Jena", "Jena", "DEG03"),
    "jena-optics": ("Company", "Jena Optics GmbH", "Jena", "DEG03"),
    "erfurt-ai": ("Company", "Erfurt AI GmbH", "Erfurt", "DEG01"),
    "ilmenau-tu": ("University", "TU Ilmenau", "Ilmenau", "DEG0F"),
    "berlin-inst": ("ResearchInstitute", "Berliner Institut für Optik", "Berlin", "DE300"),
    "lyon-lab": ("ResearchInstitute", "Laboratoire de Lyon", "Lyon", "FRK26"),
    "delft-co": ("Company", "Delft <Devices> & Co BV", "Delft", "NL333"),  # markup characters, shown as text
    "milan-co": ("Company", "Milano Meccanica SpA", "Milano", "ITC4C"),
}
TIMELINE_PROJECTS: dict[str, tuple[int | None, tuple[str, ...]]] = {  # id: (year, partners); None: undated H2020
    "LUX": (2018, ("jena-uni", "jena-optics", "berlin-inst")),
    "ORBIT": (2018, ("ilmenau-tu", "lyon-lab")),  # runs 2018-2019
    "PRISM": (2019, ("jena-optics", "erfurt-ai", "delft-co")),
    "QUANT": (2020, ("erfurt-ai", "ilmenau-tu", "milan-co", "berlin-inst")),
    "OUTER": (2020, ("delft-co", "milan-co")),  # a tie without a home end
    "LEGACY": (None, ("jena-uni", "lyon-lab")),  # H2020 without dates: runs 2014-2020
}


def timeline_steps() -> list[st.Step]:
    """The timeline ecosystem as store steps, home flags (``DEG``) included.

    Worked out by hand, per year (organisations / home / ties / ties with a home end):
    2018: 5 / 3 / 5 / 5; 2019: 6 / 4 / 5 / 5; 2020: 7 / 3 / 8 / 6 (Delft is present in 2020 but
    tied only to Milano, so it is outside the home scope). From 2018 to 2020: 7 new ties (5 with a
    home end), 4 lost (all 4), 1 kept (LEGACY's); Erfurt, Milano and Delft enter, Jena Optics leaves,
    4 stay. Every year 2014-2017 has LEGACY alone (2 organisations, 1 tie).
    """
    src = TIMELINE_SOURCE
    orgs = [
        r.Organisation(id=o, kind=kind, name=name, city=city, region=region, sources=src)
        for o, (kind, name, city, region) in TIMELINE_ORGS.items()
    ]
    projects = [
        r.Project(id=p, acronym=p, title=f"Project {p}", programme="H2020", sources=src)
        if year is None
        else r.Project(
            id=p, acronym=p, title=f"Project {p}", programme="H2020", start=date(year, 1, 1),
            end=date(year + (p == "ORBIT"), 12, 31), sources=src,
        )
        for p, (year, _) in TIMELINE_PROJECTS.items()
    ]  # fmt: skip
    taking_part = [(o, p) for p, (_, members) in TIMELINE_PROJECTS.items() for o in members]
    links = [r.Participation(org_id=o, project_id=p, sources=src) for o, p in taking_part]
    return [
        st.organisations(orgs),
        st.projects(projects),
        st.participations(links),
        st.derive_cooperation(TIMELINE_PROJECTS),
        st.home_flags(("DEG",)),
    ]


# --- the real CORDIS slice ------------------------------------------------------------

CORDIS_KINDS = {"PRC": "Company", "HES": "University", "REC": "ResearchInstitute", "PUB": "PublicBody"}
"""CORDIS ``activityType`` -> organisation kind (anything else is OtherOrganisation)."""


def csv_rows(path: Path) -> list[dict[str, str]]:
    """Every row of a UTF-8 CSV file with a header line."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- the browser tests: Debian's Chromium through Playwright (never a downloaded browser) ---

READY_MS = 30_000  # how long a view may take to draw
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Browser:
    """One Chromium profile (fresh user-data dir) with every request and dialog recorded."""

    def __init__(self, context: BrowserContext, server: LiveServer) -> None:
        self.context = context
        self.server = server
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        context.on("request", self._request)
        context.on("dialog", self._dialog)
        context.on("page", lambda page: page.on("dialog", self._dialog))
        self.page = context.pages[0] if context.pages else context.new_page()
        self.page.on("dialog", self._dialog)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def url(self, path: str) -> str:
        return self.server.url + path

    def open(self, path: str) -> Page:
        """Go to ``path``, wait for the page and every embedded view to finish drawing."""
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None
        for frame in view_frames(self.page):
            wait_until_drawn(frame)
        return self.page

    def log_in(self, role: str | None) -> None:
        """Log out, then (for a role) log in through the form."""
        self.context.clear_cookies()
        if role is None:
            return
        self.page.goto(self.url("/login"))
        self.page.get_by_label("API key").fill(KEY[role])
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_load_state("load")


@contextmanager
def chromium_browser(server: LiveServer) -> Iterator[Browser]:
    """Debian's Chromium, headless, in a fresh profile, on ``server``; fails (not skips) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does) to run the browser tests")
    with tempfile.TemporaryDirectory(prefix="innograph-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1100},
        )
        try:
            yield Browser(context, server)
        finally:
            context.close()


def view_frames(page: Page) -> list[Frame]:
    """The frames (the page itself or iframes) showing a network view."""
    return [frame for frame in page.frames if "/views/" in urlsplit(frame.url).path]


def wait_until_drawn(frame: Frame) -> None:
    """Wait for ``window.innographReady`` (mirrored as ``<html data-ready="true">``, which needs no eval under CSP)."""
    frame.wait_for_selector("html[data-ready=true]", state="attached", timeout=READY_MS)
    assert frame.evaluate("window.innographReady === true")


def requests_off_the_machine(browser: Browser) -> list[str]:
    """The URLs the browser asked for that are not on 127.0.0.1 (``data:``, ``blob:``, ``about:`` stay local)."""
    away = [url for url in browser.requests if urlsplit(url).scheme not in ("data", "blob", "about")]
    return [url for url in away if urlsplit(url).hostname != "127.0.0.1"]


def assert_png(path: Path, width: int) -> None:
    """``path`` is a PNG image ``width`` pixels wide."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == width, path


def all_paths(ties: TieGraph, source: str, target: str, **kwargs: object) -> PathAnswer:
    """``find_paths`` on the snapshot of ``ties`` with every project of every hop listed (the evidence cap raised).

    The path tests were written before the cap (issue #14): they check whole evidence lists.
    """
    return find_paths(PathSnapshot.of(ties), source, target, evidence=None, **kwargs)  # type: ignore[arg-type]
