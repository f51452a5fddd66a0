"""The pages on the real H2020 Thuringia slice in headless Chromium, and the README's screenshots.

The README shows what the agency's staff see on real data: Leibniz-IPHT's page, an introduction
from GRINTECH to microfluidic ChipShop (two Jena companies) through Leibniz-IPHT, and the gaps of
the home ecosystem. The screenshots go to ``docs/screenshots/`` only with ``--screenshots`` (or
``INNOGRAPH_SCREENSHOTS=1``), else into the test's temporary folder; the hand-made ecosystem with
``<script>`` names stays in ``tests/test_browser.py`` for the escaping tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.settings import Settings
from tests.helpers import Browser, LiveServer, api_settings, assert_png, chromium_browser, view_frames

IPHT = "pic:999619048"  # LEIBNIZ-INSTITUT FUER PHOTONISCHE TECHNOLOGIEN E.V., Jena
GRINTECH = "pic:949203104"  # GRINTECH GMBH, Jena
CHIPSHOP = "pic:999691895"  # MICROFLUIDIC CHIPSHOP GMBH, Jena


@pytest.fixture(scope="module")
def browser(neo4j_settings: Settings, session_store: Store, shared_data: Path) -> Iterator[Browser]:
    """Chromium on the real app, started after the slice is loaded (see tests/test_browser.py's app_server)."""
    session_store.clear()
    load_cordis(shared_data / "cordis_h2020_thuringia", session_store)
    with LiveServer(api_settings(neo4j_settings)) as server, chromium_browser(server) as browser:
        browser.log_in("analyst")
        yield browser


def shot(page, folder: Path, name: str, height: int = 2000) -> None:
    """A screenshot of the page down to the end of its main content (at most ``height`` px), 1280 px wide."""
    bottom = page.evaluate("document.querySelector('main').getBoundingClientRect().bottom + window.scrollY")
    bottom = min(bottom, height)
    page.screenshot(path=str(folder / name), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": bottom})
    assert_png(folder / name, 1280)


def test_organisation_page_of_leibniz_ipht(browser: Browser, screenshot_dir: Path) -> None:
    page = browser.open(f"/org/{IPHT}")
    assert page.get_by_role("heading", name="LEIBNIZ-INSTITUT FUER PHOTONISCHE TECHNOLOGIEN E.V.", level=1).is_visible()
    partners = page.locator("section[aria-labelledby=partners] tbody tr")
    assert partners.count() >= 10
    assert "Jena (DEG03), home ecosystem" in partners.all_inner_texts().__str__()  # GRINTECH, a Jena partner
    (frame,) = view_frames(page)
    assert frame.evaluate("window.network.body.data.nodes.length") > 10
    shot(page, screenshot_dir, "ego.png")


def test_introduction_through_a_home_broker(browser: Browser, screenshot_dir: Path) -> None:
    page = browser.open(f"/path?a={GRINTECH}&b={CHIPSHOP}&k=3")
    assert page.get_by_role("heading", name="From GRINTECH GMBH to MICROFLUIDIC CHIPSHOP GMBH").is_visible()
    first = page.locator("table:has(caption:text('Evidence for each hop of path 1')) tbody tr")
    assert first.count() == 2
    assert "LEIBNIZ-INSTITUT FUER PHOTONISCHE TECHNOLOGIEN" in first.nth(0).inner_text()
    assert "home ecosystem" in first.nth(0).inner_text()  # where the broker is
    assert "pic:" not in page.locator("main").inner_text()  # the form shows the names it resolved
    shot(page, screenshot_dir, "path.png")


def test_gaps_of_the_home_ecosystem(browser: Browser, screenshot_dir: Path) -> None:
    page = browser.open("/gaps/view")
    text = page.locator("main").inner_text()
    assert "Thuringia" in text
    assert "Jena" in text  # a home district
    assert "pic:" not in text  # names, never raw ids (unnamed organisations read "PIC 123456789")
    assert page.evaluate("document.body.scrollHeight") < 10_000  # long lists are counted, not spelled out
    shot(page, screenshot_dir, "gaps.png")
