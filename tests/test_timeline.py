"""The ecosystem over time on a hand-made three-year ecosystem: periods, the change report, exports.

Years 2010, 2011, 2012; every project runs one year. Two five-partner groups {A, B, C, D, I} and
{E, F, G, H, J} (cliques of five, four projects each a year, so that Louvain finds them without doubt):

* 2010: the two groups, the bridge D-E, and K tied to A only;
* 2011: the groups again, the bridge moves to B-H, K is gone and N arrives, tied to B only;
* 2012: the groups re-form as {A, B, I, E, F} and {C, D, G, H, J}; N is gone.

The numbers asserted below are worked out by hand in the comments (betweenness as pair counts).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from innograph.queries.analysis import AnalysisParameters
from innograph.queries.changes import compare
from innograph.queries.export import ExportFormat, export_timeline
from innograph.queries.periods import Period, period_source, project_years, year_span, yearly
from innograph.queries.timeline import PeriodResult, analyse_period, timeline

GROUP_PROJECTS = 4  # each group works in four projects a year: its ties weigh as much as a two-partner bridge
YEARS: dict[int, tuple[str, ...]] = {  # year -> the groups (several projects each) and the two-partner projects
    2010: ("ABCDI", "EFGHJ", "DE", "AK"),
    2011: ("ABCDI", "EFGHJ", "BH", "BN"),
    2012: ("ABIEF", "CDGHJ"),
}
PROJECTS = {
    f"p{year}-{members}-{i}": (year, members)
    for year, teams in YEARS.items()
    for members in teams
    for i in range(1, (GROUP_PROJECTS if len(members) > 2 else 1) + 1)
}
PHOTONICS = "ABEF"  # members of the field "Photonics"
PARAMS = AnalysisParameters(home_prefixes=("DEG",), ecosystem_name="Thuringia")


def snapshot() -> nx.MultiDiGraph:
    """The store's snapshot (as ``Store.to_networkx`` gives it) of the three-year ecosystem."""
    graph = nx.MultiDiGraph()
    for letter in "ABCDEFGHIJKN":
        graph.add_node(
            letter, labels=["Company", "Organisation"], name=f"Org {letter}", kind="Company", region="DEG03", home=True
        )
    graph.add_node("field:photonics", labels=["Field"], name="Photonics")
    for letter in PHOTONICS:
        graph.add_edge(letter, "field:photonics", key="ACTIVE_IN", type="ACTIVE_IN")
    for project, (year, members) in PROJECTS.items():
        graph.add_node(project, labels=["Project"], acronym=project.upper(), start_year=year, end_year=year)
        for letter in members:
            graph.add_edge(letter, project, key="PARTICIPATES_IN", type="PARTICIPATES_IN")
    return graph


@pytest.fixture(scope="module")
def years() -> dict[int, PeriodResult]:
    source = snapshot()
    return {year: analyse_period(source, Period(since=year, until=year), 1, PARAMS) for year in (2010, 2011, 2012)}


def test_project_years_and_periods() -> None:
    assert project_years({"start_year": 2019, "end_year": 2016}) == (2016, 2019, False)
    assert project_years({"programme": "H2020"}) == (2014, 2020, True)
    assert year_span(snapshot()) == (2010, 2012)
    assert [p.label for p in yearly((2010, 2012))] == ["2010", "2011", "2012"]
    with pytest.raises(ValueError, match="before since"):
        Period(since=2012, until=2010)
    with pytest.raises(ValueError, match="not a year"):
        Period.parse("2010-2011-2012")


def test_period_source_keeps_running_projects_and_their_ties() -> None:
    cut = period_source(snapshot(), Period(since=2010, until=2010))
    organisations = {n for n, d in cut.nodes(data=True) if "Organisation" in d["labels"]}
    assert organisations == set("ABCDEFGHIJK")
    ties = {frozenset((u, v)) for u, v, k in cut.edges(keys=True) if k == "COOPERATES_WITH"}
    assert len(ties) == 22  # two 5-cliques (10 + 10), D-E, A-K
    de = cut.get_edge_data("D", "E", "COOPERATES_WITH") or cut.get_edge_data("E", "D", "COOPERATES_WITH")
    assert de["shared_projects"] == 1 and de["collaboration_weight"] == 1.0 and de["projects"] == ["p2010-DE-1"]
    assert de["first_year"] == de["last_year"] == 2010
    both = period_source(snapshot(), Period(since=2010, until=2011))
    ab = both.get_edge_data("A", "B", "COOPERATES_WITH") or both.get_edge_data("B", "A", "COOPERATES_WITH")
    assert ab["shared_projects"] == 8 and ab["first_year"] == 2010 and ab["last_year"] == 2011
    assert ab["collaboration_weight"] == pytest.approx(2.0)  # eight 5-partner projects: 1/4 each


def test_timeline_figures() -> None:
    line, _ = timeline(snapshot(), yearly((2010, 2012)), 7, PARAMS)
    figures = {
        p.period: (p.projects, p.organisations, p.home_organisations, p.ties, p.components) for p in line.periods
    }
    assert figures == {"2010": (10, 11, 11, 22, 1), "2011": (10, 11, 11, 22, 1), "2012": (8, 10, 10, 20, 2)}
    assert line.periods[2].density == pytest.approx(20 / 45, abs=1e-6)
    assert line.periods[2].communities == 2 and line.periods[2].modularity == pytest.approx(0.5)
    assert line.graph_version == 7 and line.note is None


def test_change_report_2010_to_2011(years: dict[int, PeriodResult]) -> None:
    report = compare(years[2010], years[2011])
    c = report.counts
    # ties: 2010 has 22, 2011 has 22; new B-H and B-N, lost D-E and A-K, the 20 clique ties kept
    assert (c.new_ties, c.lost_ties, c.kept_ties) == (2, 2, 20)
    assert {frozenset((t.a.id, t.b.id)) for t in report.new_ties} == {frozenset("BH"), frozenset("BN")}
    assert {frozenset((t.a.id, t.b.id)) for t in report.lost_ties} == {frozenset("DE"), frozenset("AK")}
    assert (c.entering, c.leaving, c.staying) == (1, 1, 10)
    assert [o.organisation.id for o in report.entering] == ["N"]
    assert [o.organisation.id for o in report.leaving] == ["K"]
    assert report.entering[0].sentence == "Org N entered: 1 project (P2011-BN-1) in 2011, none in 2010."
    # Betweenness as pair counts. 2010: D 25 ({A,B,C,I,K} x {E,F,G,H,J}), E 24, A 9 (K to the 9 others), the
    # rest 0: among the 10 present in both years D #1, E #2, A #3, the rest #4. 2011: B 29 (N to 9 others +
    # {A,C,D,I} x {E,F,G,H,J}), H 24, the rest 0: B #1, H #2, the rest #3. Only B moves 3 or more places (#4 -> #1).
    assert [(b.organisation.id, b.rank_from, b.rank_to) for b in report.rising_brokers] == [("B", 4, 1)]
    assert report.declining_brokers == [] and (c.rising_brokers, c.declining_brokers) == (1, 0)
    assert report.rising_brokers[0].sentence.startswith("Org B rose from #4 in 2010 to #1 in 2011 by betweenness")
    assert [(row.status, row.size_from, row.stayed, row.overlap) for row in report.communities] == [
        ("continues", 6, 5, 1.0),  # {A,B,C,D,I,K}: K gone, the 5 others together again (with N)
        ("continues", 5, 5, 1.0),
    ]
    assert [t.sentence for t in report.new_ties if {t.a.id, t.b.id} == set("BH")] == [
        "Org B and Org H are tied in 2011, not in 2010: 1 shared project (P2011-BH-1)."
    ]


def test_change_report_2011_to_2012_community_drift_and_field_density(years: dict[int, PeriodResult]) -> None:
    report = compare(years[2011], years[2012])
    c = report.counts
    # 2011: cliques ABCDI, EFGHJ, B-H, B-N (22 ties); 2012: cliques ABIEF, CDGHJ (20); kept: the pairs inside
    # {A,B,I}, {C,D}, {E,F}, {G,H,J}: 3 + 1 + 1 + 3 = 8
    assert (c.new_ties, c.lost_ties, c.kept_ties) == (12, 14, 8)
    assert (c.entering, c.leaving, c.staying) == (0, 1, 10)
    # {A,B,C,D,I,N} of 2011 without N (gone): A, B, I stay together in {A,B,I,E,F}; C, D moved; E, F joined:
    # Jaccard 3/7 (drifted); the other group likewise with G, H, J staying
    rows = [(r.status, r.size_from, r.size_to, r.stayed, r.left, r.joined, r.overlap) for r in report.communities]
    assert rows == [("drifted", 6, 5, 3, 2, 2, 0.429), ("drifted", 5, 5, 3, 2, 2, 0.429)]
    row = report.communities[0]
    assert "drifted" in row.sentence and "3 stayed together, 2 moved to other communities" in row.sentence
    [field] = report.fields
    # Photonics = A, B, E, F: 2011 ties among them A-B, E-F (2 of 6); 2012 all 6
    assert (field.members_from, field.members_to, field.ties_from, field.ties_to) == (4, 4, 2, 6)
    assert (field.density_from, field.density_to) == (0.3333, 1.0)
    assert field.sentence.startswith("Photonics: 4 → 4 organisations present, 2 → 6 ties among them")
    assert "clusters" in report.empty


def test_dynamic_gexf_read_back_with_spells(years: dict[int, PeriodResult], tmp_path: Path) -> None:
    results = [years[2010], years[2011], years[2012]]
    line, _ = timeline(snapshot(), [r.period for r in results], 1, PARAMS)
    out = tmp_path / "timeline.gexf"
    sidecar = export_timeline(line, results, ExportFormat.GEXF, out, scope="all")
    graph = nx.read_gexf(out)
    assert graph.graph["mode"] == "dynamic"
    assert graph.nodes["K"]["spells"] == [("2010-01-01", "2010-12-31")]
    assert graph.nodes["N"]["spells"] == [("2011-01-01", "2011-12-31")]
    assert graph.nodes["A"]["spells"] == [("2010-01-01", "2012-12-31")]  # consecutive years merged
    assert graph.nodes["A"]["label"] == "Org A"
    assert graph.edges["A", "B"]["spells"] == [("2010-01-01", "2012-12-31")]
    assert graph.edges["D", "E"]["spells"] == [("2010-01-01", "2010-12-31")]
    assert graph.edges["A", "E"]["spells"] == [("2012-01-01", "2012-12-31")]
    assert graph.number_of_nodes() == 12 and graph.number_of_edges() == 22 + 2 + 12  # every tie of any year once
    betweenness = {start: value for value, start, _ in graph.nodes["B"]["betweenness"]}
    assert betweenness["2010-01-01"] == 0.0 and betweenness["2011-01-01"] > 0
    assert sidecar.is_file()
    with pytest.raises(Exception, match="GraphML has no time"):
        export_timeline(line, results, ExportFormat.GRAPHML, tmp_path / "t.graphml")


def test_per_period_csv_rows(years: dict[int, PeriodResult], tmp_path: Path) -> None:
    results = [years[2010], years[2011], years[2012]]
    line, _ = timeline(snapshot(), [r.period for r in results], 1, PARAMS)
    out = tmp_path / "timeline.csv"
    export_timeline(line, results, ExportFormat.CSV, out)
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("period,since,until,id,")
    assert len(rows) == 1 + 11 + 11 + 10  # one row per organisation present, per year
