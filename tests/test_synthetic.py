"""The synthetic ecosystem: deterministic, fictional, shaped like a regional ecosystem, and loadable.

Shape checks use thresholds a broken generator would miss (e.g. uniform consortia, companies as hubs,
organisations spread evenly over the districts); the load tests run against the real Neo4j.
"""

from __future__ import annotations

import statistics
from collections import Counter
from itertools import combinations
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from innograph import settings as settings_module
from innograph.cli import app
from innograph.graph.records import OrganisationKind as Kind
from innograph.graph.store import Store
from innograph.loaders import synthetic
from innograph.loaders.synthetic import SyntheticEcosystem, generate
from innograph.settings import Settings

REAL_NAMES = ("Jenoptik", "Zeiss", "Fraunhofer", "Schott", "Bosch", "Siemens", "Leibniz", "Max Planck",
              "Helmholtz", "Friedrich-Schiller", "Ernst-Abbe", "Bauhaus", "OptoNet", "medways", "PolymerMat",
              "Jena", "Erfurt", "Ilmenau", "Weimar")  # fmt: skip


@pytest.fixture(scope="module")
def eco() -> SyntheticEcosystem:
    """A mid-sized ecosystem, large enough for its shape to show."""
    return generate(2000, seed=7)


def participations_per_org(eco: SyntheticEcosystem) -> Counter[str]:
    return Counter(p.org_id for p in eco.participations)


def consortium_sizes(eco: SyntheticEcosystem) -> list[int]:
    return list(Counter(p.project_id for p in eco.participations).values())


def test_same_seed_gives_identical_records_and_another_seed_does_not() -> None:
    first, again, other = generate(300, seed=1), generate(300, seed=1), generate(300, seed=2)
    assert first == again
    assert first.organisations != other.organisations
    assert first.participations != other.participations


def test_too_few_organisations_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(synthetic.MIN_ORGS - 1, seed=1)


def test_ids_are_unique_and_namespaced_per_kind(eco: SyntheticEcosystem) -> None:
    prefixes = {
        "syn:org:": eco.organisations,
        "syn:project:": eco.projects,
        "cluster:": eco.clusters,
        "field:": eco.fields,
        "tech:": eco.technologies,
    }
    all_ids = [r.id for r in eco.regions]
    for prefix, items in prefixes.items():
        ids = [item.id for item in items]
        assert all(i.startswith(prefix) for i in ids), prefix
        all_ids += ids
    assert len(all_ids) == len(set(all_ids))
    assert len({o.name for o in eco.organisations}) == len(eco.organisations)


def test_kinds_come_in_sensible_proportions(eco: SyntheticEcosystem) -> None:
    kinds = Counter(o.kind for o in eco.organisations)
    assert set(kinds) == set(Kind)
    assert kinds[Kind.COMPANY] / len(eco.organisations) > 0.8
    assert 2 <= kinds[Kind.UNIVERSITY] < kinds[Kind.RESEARCH_INSTITUTE] < kinds[Kind.COMPANY] / 20
    assert kinds[Kind.CLUSTER_ORGANISATION] == len(eco.clusters)


def test_about_ten_participations_per_organisation_and_no_duplicates(eco: SyntheticEcosystem) -> None:
    pairs = [(p.org_id, p.project_id) for p in eco.participations]
    assert len(pairs) == len(set(pairs))
    assert 9.5 <= len(pairs) / len(eco.organisations) <= 10.5


def test_consortium_sizes_are_heavy_tailed(eco: SyntheticEcosystem) -> None:
    sizes = consortium_sizes(eco)
    median = statistics.median(sizes)
    assert min(sizes) >= 2
    assert median <= 6
    assert max(sizes) >= 15 * median
    assert sum(2 <= s <= 6 for s in sizes) / len(sizes) > 0.8


def test_hubs_are_universities_and_institutes(eco: SyntheticEcosystem) -> None:
    kind = {o.id: o.kind for o in eco.organisations}
    counts = participations_per_org(eco)
    top = [kind[org_id] for org_id, _ in counts.most_common(10)]
    assert all(k in (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE) for k in top), top
    company_median = statistics.median(n for org_id, n in counts.items() if kind[org_id] is Kind.COMPANY)
    assert counts.most_common(1)[0][1] > 20 * company_median


def test_organisations_concentrate_in_a_few_districts(eco: SyntheticEcosystem) -> None:
    districts = Counter(link.to_id for link in eco.location_links)
    top3 = sum(n for _, n in districts.most_common(3))
    assert top3 / len(eco.organisations) > 0.5
    assert len(districts) >= 15  # concentrated, yet the whole state is covered
    assert all(
        o.region == d for o, d in zip(eco.organisations, (link.to_id for link in eco.location_links), strict=True)
    )


def test_regions_form_the_nuts_hierarchy(eco: SyntheticEcosystem) -> None:
    parent = {link.from_id: link.to_id for link in eco.region_parents}
    levels = {r.id: r.level for r in eco.regions}
    assert parent[synthetic.STATE[0]] == synthetic.COUNTRY[0]
    districts = [r.id for r in eco.regions if r.level == 3]
    assert districts and all(d.startswith("DEG0") and parent[d] == "DEG" for d in districts)
    assert levels["DEG"] == 1 and levels["DE"] == 0


def test_every_cluster_is_managed_by_one_cluster_organisation_of_its_field(eco: SyntheticEcosystem) -> None:
    managers = Counter(m.cluster_id for m in eco.management)
    assert managers == Counter(c.id for c in eco.clusters)
    kind = {o.id: o.kind for o in eco.organisations}
    assert all(kind[m.org_id] is Kind.CLUSTER_ORGANISATION for m in eco.management)
    field_ids = {f.id for f in eco.fields}
    assert all(c.field in field_ids for c in eco.clusters)
    assert {c.field for c in eco.clusters} == field_ids


def test_memberships_have_since_and_role(eco: SyntheticEcosystem) -> None:
    assert len(eco.memberships) > len(eco.organisations) / 10
    assert all(m.since and 2000 <= m.since <= 2025 and m.role for m in eco.memberships)
    roles = Counter(m.role for m in eco.memberships)
    assert roles["member"] > roles["board member"] > 0
    pairs = [(m.org_id, m.cluster_id) for m in eco.memberships]
    assert len(pairs) == len(set(pairs))


def test_every_link_points_at_generated_nodes(eco: SyntheticEcosystem) -> None:
    orgs, projects, clusters = (
        {o.id for o in eco.organisations},
        {p.id for p in eco.projects},
        {c.id for c in eco.clusters},
    )
    links = {
        "participations": ([(p.org_id, p.project_id) for p in eco.participations], orgs, projects),
        "memberships": ([(m.org_id, m.cluster_id) for m in eco.memberships], orgs, clusters),
        "management": ([(m.org_id, m.cluster_id) for m in eco.management], orgs, clusters),
        "fields": ([(x.from_id, x.to_id) for x in eco.field_links], orgs, {f.id for f in eco.fields}),
        "technologies": ([(x.from_id, x.to_id) for x in eco.technology_links], orgs, {t.id for t in eco.technologies}),
        "locations": ([(x.from_id, x.to_id) for x in eco.location_links], orgs, {r.id for r in eco.regions}),
        "regions": ([(x.from_id, x.to_id) for x in eco.region_parents], {r.id for r in eco.regions}, {"DE", "DEG"}),
    }
    for name, (pairs, sources, targets) in links.items():
        assert {a for a, _ in pairs} <= sources, name
        assert {b for _, b in pairs} <= targets, name
        assert len(set(pairs)) == len(pairs), f"duplicate {name}"
    assert {p.project_id for p in eco.participations} == projects  # no project without partners


def test_names_are_fictional(eco: SyntheticEcosystem) -> None:
    names = [o.name for o in eco.organisations] + [c.name for c in eco.clusters] + [p.title for p in eco.projects]
    names += [o.city for o in eco.organisations if o.city]
    for real in REAL_NAMES:
        assert not [n for n in names if real.lower() in n.lower()], real
    assert all(o.website and o.website.endswith(".example") for o in eco.organisations)


def test_steps_write_nodes_before_links_and_derive_cooperation_last(eco: SyntheticEcosystem) -> None:
    names = [step.name for step in synthetic.steps(eco)]
    assert names[-1] == "cooperation"
    first_link = names.index("region_parents")
    assert {"regions", "organisations", "projects", "clusters"} <= set(names[:first_link])
    assert len(synthetic.steps(eco)[-1].rows) == len(eco.projects)


def cooperation_pairs(eco: SyntheticEcosystem) -> int:
    """Distinct organisation pairs sharing a project, worked out here rather than taken from the store."""
    partners: dict[str, list[str]] = {}
    for p in eco.participations:
        partners.setdefault(p.project_id, []).append(p.org_id)
    return len({tuple(sorted(pair)) for members in partners.values() for pair in combinations(members, 2)})


@pytest.mark.slow
def test_a_load_reads_back_the_generated_counts_and_a_second_load_changes_nothing(store: Store) -> None:
    eco = generate(500, seed=3)
    steps = synthetic.steps(eco)
    store.apply(steps, atomic=False)
    expected = eco.expected_counts()
    counts = store.counts()
    assert counts.labels == expected.labels
    assert counts.relationships == {**expected.relationships, "COOPERATES_WITH": cooperation_pairs(eco)}
    before = without_load_times(store.to_networkx())
    store.apply(synthetic.steps(eco), atomic=False)
    assert store.counts() == counts
    assert without_load_times(store.to_networkx()) == before


def without_load_times(graph: nx.MultiDiGraph) -> tuple[dict[str, dict[str, Any]], list[tuple[Any, ...]]]:
    """Nodes and edges with their properties, except ``loaded_at`` (every load stamps it anew)."""

    def plain(data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k != "loaded_at"}

    nodes = {n: plain(data) for n, data in graph.nodes(data=True)}
    edges = sorted((a, b, k, sorted(plain(data).items())) for a, b, k, data in graph.edges(keys=True, data=True))
    return nodes, edges


def test_demo_data_command_loads_and_checks_the_read_back(
    store: Store, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOGRAPH_NEO4J_URI", neo4j_settings.effective_uri)
    monkeypatch.setenv("INNOGRAPH_NEO4J_PASSWORD", neo4j_settings.neo4j_password.get_secret_value())
    settings_module.get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["demo-data", "--orgs", "150", "--seed", "5", "--strict"])
    finally:
        settings_module.get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "read back from Neo4j" in result.output
    assert store.counts().labels == generate(150, seed=5).expected_counts().labels


def test_demo_data_dry_run_writes_nothing(store: Store) -> None:
    result = CliRunner().invoke(app, ["demo-data", "--orgs", "120", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output
    assert store.counts().labels == {}
