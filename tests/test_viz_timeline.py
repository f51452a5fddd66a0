"""The timeline and change views as pure functions: what is drawn, the caps and their notes, no home ecosystem."""

from __future__ import annotations

import json
import re

import networkx as nx

from innograph.viz.changes import change_view
from innograph.viz.timeline import Slice, busy_period, scope_of, timeline_view


def period(edges: list[tuple[str, str]], home: set[str]) -> nx.Graph:
    graph = nx.Graph()
    for u, v in edges:
        graph.add_edge(u, v, collaboration_weight=1.0, shared_projects=1)
    for node in graph:
        graph.nodes[node].update(name=f"Org {node}", kind="Company", home=node in home)
    return graph


def periods_of(html: str) -> list[dict]:
    return json.loads(re.search(r'id="innograph-periods">(.*?)</script>', html, re.S).group(1))["periods"]


def notes_of(html: str) -> list[str]:
    return re.findall(r'<p class="note">([^<]*)</p>', html)


A = period([("h1", "p1"), ("h1", "p2"), ("p1", "p2"), ("x", "y")], {"h1"})
B = period([("h1", "p3"), ("h2", "p3"), ("h2", "p1")], {"h1", "h2"})


def test_scope_draws_home_first_then_partners_by_home_partners_and_says_the_cap() -> None:
    scope = scope_of([A.copy(), B.copy()], "Thuringia", limit=3)
    assert scope.drawn == ["h1", "h2", "p1"]  # p1 and p3 have two home partners each; p1 < p3 by id
    assert scope.candidates == 5  # x and y are tied to nobody at home
    html = timeline_view([Slice("2019", A), Slice("2020", B)], ecosystem_name="Thuringia", limit=3)
    assert any("showing 3 of 5 organisations (Thuringia&#39;s first" in note for note in notes_of(html))
    first = periods_of(html)[0]
    assert first["counts"] == (
        "In all: 5 organisations, 4 ties. Thuringia: 1 organisation, 2 partners elsewhere, 2 ties with an end in "
        "Thuringia."
    )
    assert first["drawn"] == "Drawn: 2 of these 3 organisations, 1 of the 2 ties."  # p2 is beyond the cap


def test_without_home_organisations_everyone_is_drawn() -> None:
    plain = [Slice("2019", period([("a", "b")], set())), Slice("2020", period([("b", "c")], set()))]
    html = timeline_view(plain, ecosystem_name="Thuringia")
    assert "No organisation is in Thuringia&#39;s home ecosystem: drawing everyone." in notes_of(html)
    assert [p["counts"] for p in periods_of(html)] == ["In all: 2 organisations, 1 tie."] * 2
    assert "Black ring" not in html


def test_the_view_opens_on_the_latest_busy_period() -> None:
    assert busy_period([([], 10), ([], 6), ([], 2)]) == 1
    assert busy_period([]) == 0


def test_change_view_counts_everyone_and_the_home_scope() -> None:
    html = change_view(Slice("2019", A), Slice("2020", B), ecosystem_name="Thuringia")
    notes = notes_of(html)
    assert "New ties: 3 ties in all, 3 with an end in Thuringia, 3 drawn." in notes
    assert "Lost ties: 4 ties in all, 2 with an end in Thuringia, 2 drawn." in notes  # p1-p2 and x-y have no home end
    assert "Organisations: 2 entered, 3 left, 2 in both (in all); drawn: 2 entering, 1 leaving, 2 in both." in notes
