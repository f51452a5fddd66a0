"""Benchmark: view generation time and page size, and time to first drawing in headless Chromium.

Graphs: synthetic ecosystems from ``loaders.synthetic.generate(orgs, seed)`` (fictional
organisations with kinds, cities, fields and heavy-tailed consortia), projected to the
cooperation graph exactly as the store derives it. For every size the bench times

* the overview with **all** organisations drawn (``limit=n``, the worst case), and the
  default capped overview (top ``OVERVIEW_LIMIT``),
* the field overview (fields as nodes, ties aggregated) and a 2-hop ego view of the
  biggest hub,

then opens the all-nodes overviews in headless Chromium (Debian's ``/usr/bin/chromium``
driven by Playwright; no browser is downloaded) via ``file://`` and measures the time
from navigation start until the page sets ``window.innographReady`` (drawn, layout final),
checking that no request went anywhere but the local file. Target: 5,000 organisations
drawn in under 5 s.

Usage: ``.venv/bin/python bench/views.py [--sizes 500 2000 5000 20000] [--browser-sizes 5000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from innograph.loaders.synthetic import generate
from innograph.queries.projection import cooperation_from_participations
from innograph.viz import OVERVIEW_LIMIT, clear_layout_cache, ego_view, group_overview, overview

CHROMIUM = "/usr/bin/chromium"
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


def ecosystem(orgs: int, seed: int = 7) -> tuple[nx.Graph, dict[str, list[str]], dict[str, str]]:
    """The cooperation graph of a synthetic ecosystem, its fields (field -> members) and field names."""
    eco = generate(orgs, seed)
    attributes = {
        o.id: {"name": o.name, "kind": o.kind.value, "city": o.city, "region": o.region} for o in eco.organisations
    }
    graph = cooperation_from_participations([(p.org_id, p.project_id) for p in eco.participations], attributes)
    fields: dict[str, list[str]] = {}
    for link in eco.field_links:
        fields.setdefault(link.to_id, []).append(link.from_id)
    names = {field.id: field.name for field in eco.fields}
    return graph, fields, names


def timed(make: Callable[[], str]) -> tuple[float, str]:
    """Seconds to build one page (layout cache cleared first, so every layout is computed), and the page."""
    clear_layout_cache()
    start = time.perf_counter()
    html = make()
    return time.perf_counter() - start, html


def _note_remote(url: str, seen: list[str]) -> None:
    """Keep ``url`` if the request would leave the local file system."""
    if not url.startswith("file:"):
        seen.append(url)


def drawn_in_chromium(pages: list[Path], runs: int) -> dict[Path, tuple[float, int, list[str]]]:
    """Median ms from navigation start to ``innographReady``, drawn node count and any non-file request, per page."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page_file in pages:
            times, outside, count = [], [], 0
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.on("request", lambda request, seen=outside: _note_remote(request.url, seen))
                page.goto(page_file.as_uri(), timeout=300_000)
                page.wait_for_function("window.innographReady === true", timeout=300_000)
                times.append(page.evaluate("window.innographReadyAt"))
                count = page.evaluate("window.network.body.data.nodes.length")
                page.close()
            results[page_file] = (statistics.median(times), count, outside)
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000, 20000])
    parser.add_argument("--browser-sizes", type=int, nargs="*", default=[500, 2000, 5000])
    parser.add_argument("--runs", type=int, default=3, help="browser loads per page (median)")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    out = Path(tempfile.mkdtemp(prefix="innograph-views-"))
    pages: dict[int, Path] = {}
    print("| organisations | ties | view | nodes drawn | seconds | HTML MB |")
    print("|---:|---:|---|---:|---:|---:|")
    for n in args.sizes:
        start = time.perf_counter()
        graph, fields, names = ecosystem(n)
        print(f"<!-- {n:,}: synthetic ecosystem + projection {time.perf_counter() - start:.1f} s -->")
        hub = max(graph.degree, key=lambda pair: pair[1])[0]
        views: dict[str, tuple[int, Callable[[], str]]] = {
            "overview, all nodes": (n, lambda g=graph, n=n: overview(g, limit=n)),
            f"overview, top {OVERVIEW_LIMIT:,}": (min(n, OVERVIEW_LIMIT), lambda g=graph: overview(g)),
            "fields as nodes": (len(fields), lambda g=graph, f=fields, m=names: group_overview(g, f, names=m)),
            "ego, 2 hops (top 300)": (300, lambda g=graph, h=hub: ego_view(g, h, hops=2)),
        }
        for name, (drawn, make) in views.items():
            seconds, html = timed(make)
            print(
                f"| {n:,} | {graph.number_of_edges():,} | {name} | {drawn:,} | {seconds:.2f} | {len(html) / 1e6:.1f} |"
            )
            if name == "overview, all nodes" and n in args.browser_sizes:
                pages[n] = out / f"overview-{n}.html"
                pages[n].write_text(html, encoding="utf-8")
    if pages:
        print(f"\nheadless Chromium ({CHROMIUM}), median of {args.runs} loads via file://")
        print("| organisations drawn | ms to innographReady | nodes on canvas | requests leaving the machine |")
        print("|---:|---:|---:|---:|")
        for n, (ms, count, outside) in zip(
            pages, drawn_in_chromium(list(pages.values()), args.runs).values(), strict=True
        ):
            print(f"| {n:,} | {ms:,.0f} | {count:,} | {len(outside)} {outside[:3] if outside else ''} |")
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; pages in {out}")


if __name__ == "__main__":
    main()
