"""The timeline and the A-against-B page on the real FP7 and H2020 Thuringia slices, in headless Chromium.

Both slices loaded (FP7 projects carry no dates: they run 2007-2013), the real app over HTTP: the
year slider's figures and the 2007-2013 against 2014-2020 view are checked against ``GET /timeline``
and ``GET /changes``, names are shown (never raw ``pic:`` ids), no request leaves 127.0.0.1.
Screenshots ``timeline-real.png`` and ``changes-real.png`` go to the test's temporary folder
(``docs/screenshots/`` with ``--screenshots``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.settings import Settings
from innograph.viz.timeline import TIMELINE_LIMIT
from tests.helpers import (
    Browser,
    LiveServer,
    api_get,
    api_settings,
    assert_png,
    chromium_browser,
    requests_off_the_machine,
    view_frames,
)

pytestmark = pytest.mark.slow  # two real slices and one analysis per year (20 periods)

SLOW_MS = 300_000  # the first timeline request analyses every period


@pytest.fixture(scope="module")
def server(neo4j_settings: Settings, session_store: Store, shared_data: Path) -> Iterator[LiveServer]:
    """The real app on both slices, started after they are loaded (see tests/test_browser.py's app_server)."""
    session_store.clear()
    load_cordis(shared_data / "cordis_fp7_thuringia", session_store)
    load_cordis(shared_data / "cordis_h2020_thuringia", session_store)
    with LiveServer(api_settings(neo4j_settings)) as live:
        yield live


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Browser]:
    with chromium_browser(server) as browser:
        browser.page.set_default_timeout(SLOW_MS)
        browser.log_in("viewer")
        yield browser


def test_timeline_and_changes_on_the_real_slices(server: LiveServer, browser: Browser, screenshot_dir: Path) -> None:
    timeline = api_get(server, "/timeline", timeout=SLOW_MS / 1000).json()
    periods = {p["period"]: p for p in timeline["periods"]}
    assert "FP7" in timeline["approximate"] and periods["2010"]["home_organisations"] > 50

    page = browser.open("/timeline/view")
    assert timeline["note"] in page.locator(".notice").inner_text()
    assert page.locator("table.timeline tbody tr").count() == len(periods)
    assert "pic:" not in page.locator("main").inner_text()
    (frame,) = view_frames(page)
    label = frame.inner_text("#period-label")
    p = periods[label]
    counts = frame.inner_text("#period-counts")
    assert counts.startswith(f"In all: {p['organisations']:,} organisations, {p['ties']:,} ties. Thuringia: ")
    assert f"{p['home_organisations']:,} organisations" in counts
    assert f"{p['home_ties']:,} ties with an end in Thuringia" in counts
    assert frame.evaluate("window.network.body.data.nodes.length") <= TIMELINE_LIMIT
    assert 0 < frame.evaluate("window.network.body.data.edges.length") <= p["home_ties"]
    page.screenshot(path=str(screenshot_dir / "timeline-real.png"), full_page=True)
    assert_png(screenshot_dir / "timeline-real.png", 1280)
    frame.locator("#period-slider").focus()
    frame.locator("#period-slider").press("Home")
    assert frame.inner_text("#period-label") == "2007"
    assert frame.inner_text("#period-counts").startswith(f"In all: {periods['2007']['organisations']:,} organisations")

    report = api_get(server, "/changes", timeout=SLOW_MS / 1000, **{"from": "2007-2013", "to": "2014-2020"}).json()
    c = report["counts"]
    page = browser.open("/changes/view?from=2007-2013&to=2014-2020")
    assert "pic:" not in page.locator("main").inner_text()
    (frame,) = view_frames(page)
    notes = "\n".join(frame.locator("header p.note").all_inner_texts())
    assert f"New ties: {c['new_ties']:,} ties in all" in notes
    assert f"Lost ties: {c['lost_ties']:,} ties in all" in notes
    assert f"{c['entering']:,} entered, {c['leaving']:,} left, {c['staying']:,} in both (in all)" in notes
    page.screenshot(path=str(screenshot_dir / "changes-real.png"), full_page=True, clip={
        "x": 0, "y": 0, "width": 1280, "height": 2400})  # fmt: skip
    assert_png(screenshot_dir / "changes-real.png", 1280)
    assert not requests_off_the_machine(browser) and not browser.dialogs
