"""The timeline page, its year slider and the A-against-B page in real headless Chromium.

The real app over HTTP on the real Neo4j with the hand-made three-period ecosystem of
``tests.helpers.timeline_steps`` (home organisations in Thuringia, partners in Berlin, Lyon, Delft
and Milano, one undated H2020 project). Every figure a page or view shows is checked against the
JSON of ``GET /timeline`` and ``GET /changes``; the slider is moved with the keyboard and the play
button pressed; no request may leave 127.0.0.1 and no dialog may open. Screenshots go to the
test's temporary folder (the README's come from the real slices, ``tests/test_browser_timeline_real.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from innograph.graph.store import Store
from innograph.settings import Settings
from innograph.viz.changes import LOST_COLOUR, NEW_COLOUR
from innograph.viz.timeline import FADED
from tests.helpers import (
    Browser,
    LiveServer,
    api_get,
    api_settings,
    assert_png,
    chromium_browser,
    requests_off_the_machine,
    timeline_steps,
    view_frames,
)

YEARS = ["2018", "2019", "2020"]
HOME = "Thuringia"


@pytest.fixture(scope="module")
def server(neo4j_settings: Settings, session_store: Store) -> Iterator[LiveServer]:
    """The real app, started after the timeline ecosystem is loaded (see tests/test_browser.py's app_server)."""
    session_store.clear()
    session_store.apply(timeline_steps())
    with LiveServer(api_settings(neo4j_settings)) as live:
        yield live


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Browser]:
    """Debian's Chromium logged in as a viewer."""
    with chromium_browser(server) as browser:
        browser.log_in("viewer")
        yield browser


@pytest.fixture(autouse=True)
def stays_local_and_quiet(browser: Browser) -> Iterator[None]:
    """After every test: no request left 127.0.0.1 and no dialog fired."""
    yield
    assert browser.requests, "no request was recorded"
    assert not requests_off_the_machine(browser), requests_off_the_machine(browser)
    assert not browser.dialogs, f"a dialog fired: {browser.dialogs}"


def the_view(page: Page) -> Frame:
    (frame,) = view_frames(page)
    return frame


def period_text(frame: Frame) -> tuple[str, str, str]:
    """The label, the figures and the drawn line the timeline view shows for its period."""
    return tuple(frame.inner_text(f"#period-{part}") for part in ("label", "counts", "drawn"))  # type: ignore[return-value]


def shown_in_colour(frame: Frame) -> int:
    """Organisations of the view drawn in colour (the others are pale: not taking part in the period)."""
    return frame.evaluate(
        f"window.network.body.data.nodes.get().filter(n => !(n.color && n.color.background === '{FADED}')).length"
    )


def edge_count(frame: Frame, colour: str | None = None) -> int:
    colour_test = f".filter(e => e.color === '{colour}')" if colour else ""
    return frame.evaluate(f"window.network.body.data.edges.get(){colour_test}.length")


def expected_counts(summary: dict) -> str:
    return (
        f"In all: {summary['organisations']:,} organisations, {summary['ties']:,} ties. {HOME}: "
        f"{summary['home_organisations']:,} organisations"
    )


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / name), full_page=True)
    assert_png(folder / name, 1280)


def test_timeline_page_sparklines_table_and_slider(server: LiveServer, browser: Browser, tmp_path: Path) -> None:
    summaries = {p["period"]: p for p in api_get(server, "/timeline", period=YEARS).json()["periods"]}
    assert list(summaries) == YEARS
    page = browser.open("/timeline/view?periods=" + ",".join(YEARS))
    assert page.get_by_role("heading", name=f"{HOME}'s ecosystem over time", level=1).is_visible()
    assert "Projects of H2020 carry no dates" in page.locator(".notice").inner_text()

    rows = page.locator("table.timeline tbody tr")
    assert rows.count() == 3
    for row, year in zip(rows.all(), YEARS, strict=True):
        cells = [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        p = summaries[year]
        figures = ("projects", "organisations", "home_organisations", "ties", "home_ties", "density")
        assert cells[:7] == [year, *(f"{p[k]:,}" for k in figures[:-1]), f"{p['density']:.4f}"]
    sparklines = page.locator("figure.spark")
    assert sparklines.count() == 6
    titles = sparklines.first.locator("circle title").all_text_contents()
    assert titles == [f"{y}: {summaries[y]['organisations']} organisations" for y in YEARS]
    assert f"2018: {summaries['2018']['organisations']} organisations → 2020" in sparklines.first.inner_text()

    frame = the_view(page)
    label, counts, drawn = period_text(frame)
    assert label == "2020"  # the latest period with at least half the most ties in scope
    p = summaries["2020"]
    assert counts.startswith(expected_counts(p))
    assert f"{p['home_ties']:,} ties with an end in {HOME}" in counts
    assert drawn == f"Drawn: 6 of these 6 organisations, {p['home_ties']} of the {p['home_ties']} ties."
    assert shown_in_colour(frame) == 6  # Delft takes part in 2020, tied to Milano only: outside the home scope
    assert edge_count(frame) == p["home_ties"]
    assert frame.evaluate("window.network.body.data.nodes.length") == 8  # everyone in scope in some period
    shot(page, tmp_path, "timeline.png")

    slider = frame.locator("#period-slider")
    slider.focus()
    slider.press("ArrowLeft")
    label, counts, drawn = period_text(frame)
    p = summaries["2019"]
    assert label == "2019" and counts.startswith(expected_counts(p))
    assert drawn == f"Drawn: {p['organisations']} of these {p['organisations']} organisations, 5 of the 5 ties."
    assert shown_in_colour(frame) == p["organisations"] and edge_count(frame) == p["home_ties"]
    labels = frame.evaluate("window.network.body.data.nodes.get().map(n => n.label)")
    assert "Delft <Devices> & Co BV" in labels  # markup characters from the data drawn as text
    slider.press("Home")
    assert period_text(frame)[0] == "2018" and edge_count(frame) == summaries["2018"]["home_ties"]
    frame.get_by_role("button", name="Play").click()
    frame.wait_for_selector("#period-label:text-is('2019')", timeout=10_000)
    frame.wait_for_selector("#period-label:text-is('2020')", timeout=10_000)
    assert frame.get_by_role("button", name="Play").get_attribute("aria-pressed") == "false"  # stopped at the end
    assert period_text(frame)[1].startswith(expected_counts(summaries["2020"]))


def test_windows_and_the_compare_form(browser: Browser, server: LiveServer) -> None:
    page = browser.open("/timeline/view")
    default = api_get(server, "/timeline").json()["periods"]
    assert [p["period"] for p in default] == [str(y) for y in range(2014, 2021)]  # LEGACY runs 2014-2020
    assert page.locator("table.timeline tbody tr").count() == len(default)
    page.get_by_label("Period length").select_option("2")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("load")
    windows = [p["period"] for p in api_get(server, "/timeline", window=2).json()["periods"]]
    assert windows == ["2014-2015", "2016-2017", "2018-2019", "2020"]
    assert page.locator("table.timeline tbody th").all_inner_texts() == windows
    the_view(page).wait_for_selector("#period-label:text-is('2020')")
    page.get_by_label("Period A (earlier)").fill("2018")
    page.get_by_label("Period B (later)").fill("2020")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/changes/view?from=2018&to=2020")
    assert page.get_by_role("heading", name=f"{HOME}'s ecosystem: 2018 against 2020", level=1).is_visible()


def test_changes_page_and_view(server: LiveServer, browser: Browser, tmp_path: Path) -> None:
    report = api_get(server, "/changes", **{"from": "2018", "to": "2020"}).json()
    c = report["counts"]
    assert (c["new_ties"], c["lost_ties"], c["kept_ties"], c["entering"], c["leaving"], c["staying"]) == (
        7,
        4,
        1,
        3,
        1,
        4,
    )
    page = browser.open("/changes/view?from=2018&to=2020")
    for line in report["headlines"]:
        assert page.get_by_text(line, exact=True).is_visible()
    counts = dict(
        (row.locator("th").inner_text(), row.locator("td.num").inner_text())
        for row in page.locator("table.counts tbody tr").all()
    )
    assert counts["New ties"] == str(c["new_ties"]) and counts["Lost ties"] == str(c["lost_ties"])
    assert counts["Organisations entering"] == str(c["entering"]) and counts["Organisations leaving"] == str(
        c["leaving"]
    )
    new_rows = page.locator("section[aria-labelledby='New%20ties'] tbody td").all_inner_texts()
    assert new_rows == [row["sentence"] for row in report["new_ties"]]
    assert "Erfurt AI GmbH entered" in page.locator("section[aria-labelledby='Organisations%20entering']").inner_text()

    frame = the_view(page)
    notes = frame.locator("header p.note").all_inner_texts()
    assert f"New ties: {c['new_ties']} ties in all, 5 with an end in {HOME}, 5 drawn." in notes
    assert f"Lost ties: {c['lost_ties']} ties in all, 4 with an end in {HOME}, 4 drawn." in notes
    assert f"Kept ties: {c['kept_ties']} tie in all, 1 with an end in {HOME}, 1 drawn." in notes
    assert (
        f"Organisations: {c['entering']} entered, {c['leaving']} left, {c['staying']} in both (in all); "
        "drawn: 2 entering, 1 leaving, 4 in both." in notes
    )
    assert edge_count(frame, NEW_COLOUR) == 5 and edge_count(frame, LOST_COLOUR) == 4
    ringed = frame.evaluate("window.network.body.data.nodes.get().filter(n => n.borderWidth > 1).map(n => n.label)")
    assert sorted(ringed) == ["Erfurt AI GmbH", "Milano Meccanica SpA"]  # entered and in scope
    pale = frame.evaluate(f"window.network.body.data.nodes.get().filter(n => n.color === '{FADED}').map(n => n.label)")
    assert pale == ["Jena Optics GmbH"]
    shot(page, tmp_path, "changes.png")


def test_bad_periods_are_a_422_page(browser: Browser) -> None:
    for path, message in (
        ("/changes/view?from=20x&to=2020", "from: '20x' is not a year or a window of years"),
        ("/changes/view?from=2018&to=2020-2019", "to: "),
        ("/views/changes?from=2018&to=abc", "to: 'abc' is not a year"),
        ("/timeline/view?periods=2018,nope", "period: 'nope' is not a year"),
        ("/changes/view?from=2018", "to: Field required"),
    ):
        response = browser.page.goto(browser.url(path))
        assert response is not None and response.status == 422, path
        assert message in browser.page.get_by_role("alert").inner_text(), path
