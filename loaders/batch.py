"""GraphBatch: the records one load resolved, de-duplicated by id, turned into store steps.

Loaders add records as they validate rows; two records with one id are merged here
(organisations via :func:`loaders.resolve.merge_organisations`, everything else keeps
the first), so the store receives each node and relationship once. :meth:`steps`
orders them so every link finds its endpoints inside the same transaction: nodes
first, then links, then the derived cooperation of the loaded projects.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from innograph.graph import records
from innograph.graph import steps as st
from innograph.graph.steps import Step
from innograph.loaders.regions import NAMES, NUTS_CODE, chain
from innograph.loaders.resolve import merge_organisations

_LINK_STEPS = {
    "ACTIVE_IN": st.field_links,
    "OFFERS": st.technology_links,
    "PART_OF (organisation)": st.organisation_parents,
}


@dataclass(frozen=True)
class _Locations:
    regions: dict[str, records.Region]
    parents: dict[tuple[str, str], records.Link]
    located: dict[tuple[str, str], records.Link]


@dataclass
class GraphBatch:
    """Everything one load will write, keyed so that nothing is written twice."""

    sources: list[str]
    organisations: dict[str, records.Organisation] = field(default_factory=dict)
    projects: dict[str, records.Project] = field(default_factory=dict)
    clusters: dict[str, records.Cluster] = field(default_factory=dict)
    fields: dict[str, records.SpecialisationField] = field(default_factory=dict)
    technologies: dict[str, records.Technology] = field(default_factory=dict)
    participations: dict[tuple[str, str], records.Participation] = field(default_factory=dict)
    memberships: dict[tuple[str, str], records.Membership] = field(default_factory=dict)
    management: dict[tuple[str, str], records.Management] = field(default_factory=dict)
    declared: dict[tuple[str, str], records.DeclaredCooperation] = field(default_factory=dict)
    links: dict[str, dict[tuple[str, str], records.Link]] = field(
        default_factory=lambda: {name: {} for name in _LINK_STEPS}
    )

    # -- nodes --

    def add_organisation(self, org: records.Organisation) -> None:
        """Add or merge an organisation (same id = same node)."""
        current = self.organisations.get(org.id)
        self.organisations[org.id] = merge_organisations(current, org) if current else org

    def add_project(self, project: records.Project) -> None:
        """Add a project; a later record with the same id only fills what the first left empty."""
        current = self.projects.get(project.id)
        if current is None:
            self.projects[project.id] = project
            return
        fill = {k: v for k, v in project.model_dump(exclude={"id", "sources"}).items() if getattr(current, k) is None}
        self.projects[project.id] = current.model_copy(update=fill)

    def add_cluster(self, cluster_id: str, name: str) -> None:
        """A cluster or network by id (first spelling wins)."""
        self.clusters.setdefault(cluster_id, records.Cluster(id=cluster_id, name=name, sources=self.sources))

    def add_field(self, field_id: str, name: str) -> None:
        """A specialisation field by id (first spelling wins)."""
        self.fields.setdefault(field_id, records.SpecialisationField(id=field_id, name=name, sources=self.sources))

    def add_technology(self, tech_id: str, name: str) -> None:
        """A technology keyword by id (first spelling wins)."""
        self.technologies.setdefault(tech_id, records.Technology(id=tech_id, name=name, sources=self.sources))

    def _locations(self) -> _Locations:
        """Regions, their PART_OF parents and LOCATED_IN links, from the organisations' region or country.

        Derived after merging, so an organisation known under several ids is located once.
        """
        found = _Locations({}, {}, {})
        for org in self.organisations.values():
            code = org.region or org.country
            if not code or not NUTS_CODE.match(code):
                continue
            codes = chain(code)
            for child, parent in itertools.pairwise(codes):
                found.parents.setdefault((child, parent), self._link(child, parent))
            for region in codes:
                level = min(len(region) - 2, 3)
                found.regions.setdefault(
                    region, records.Region(id=region, name=NAMES.get(region), level=level, sources=self.sources)
                )
            found.located[(org.id, code)] = self._link(org.id, code)
        return found

    def _link(self, from_id: str, to_id: str) -> records.Link:
        return records.Link(from_id=from_id, to_id=to_id, sources=self.sources)

    # -- relationships --

    def link(self, kind: str, from_id: str, to_id: str) -> None:
        """A plain link (see ``_LINK_STEPS`` for the kinds)."""
        self.links[kind].setdefault((from_id, to_id), self._link(from_id, to_id))

    def participate(self, org_id: str, project_id: str, role: str | None, contribution: float | None) -> None:
        """Organisation PARTICIPATES_IN project (the first row of a pair wins)."""
        self.participations.setdefault(
            (org_id, project_id),
            records.Participation(
                org_id=org_id, project_id=project_id, role=role, contribution=contribution, sources=self.sources
            ),
        )

    def member(self, org_id: str, cluster_id: str, since: int | None = None, role: str | None = None) -> None:
        """Organisation MEMBER_OF cluster."""
        self.memberships.setdefault(
            (org_id, cluster_id),
            records.Membership(org_id=org_id, cluster_id=cluster_id, since=since, role=role, sources=self.sources),
        )

    def manage(self, org_id: str, cluster_id: str) -> None:
        """Organisation MANAGES cluster."""
        self.management.setdefault(
            (org_id, cluster_id), records.Management(org_id=org_id, cluster_id=cluster_id, sources=self.sources)
        )

    def declare(self, org_id: str, partner_id: str) -> None:
        """A cooperation the source declares (undirected: one record per pair)."""
        if org_id == partner_id:
            return
        pair = (min(org_id, partner_id), max(org_id, partner_id))
        self.declared.setdefault(
            pair, records.DeclaredCooperation(org_id=pair[0], partner_id=pair[1], sources=self.sources)
        )

    # -- output --

    def steps(self) -> list[Step]:
        """Store steps in dependency order; cooperation is re-derived for the loaded projects."""
        places = self._locations()
        steps = [
            st.organisations(self.organisations.values()),
            st.projects(self.projects.values()),
            st.clusters(self.clusters.values()),
            st.fields(self.fields.values()),
            st.technologies(self.technologies.values()),
            st.regions(places.regions.values()),
            st.participations(self.participations.values()),
            st.memberships(self.memberships.values()),
            st.management(self.management.values()),
            st.declared_cooperations(self.declared.values()),
            st.location_links(places.located.values()),
            st.region_parents(places.parents.values()),
            *(build(self.links[name].values()) for name, build in _LINK_STEPS.items()),
        ]
        if self.projects:
            steps.append(st.derive_cooperation(sorted(self.projects)))
        return [step for step in steps if step.rows]

    def node_counts(self) -> dict[str, int]:
        """Resolved nodes per label."""
        counts = {
            "Organisation": len(self.organisations),
            "Project": len(self.projects),
            "Cluster": len(self.clusters),
            "Field": len(self.fields),
            "Technology": len(self.technologies),
            "Region": len(self._locations().regions),
        }
        return {label: n for label, n in counts.items() if n}

    def relationship_counts(self) -> dict[str, int]:
        """Resolved relationships per type (derived cooperation is counted by Neo4j, not here)."""
        places = self._locations()
        counts = {
            "PARTICIPATES_IN": len(self.participations),
            "MEMBER_OF": len(self.memberships),
            "MANAGES": len(self.management),
            "COOPERATES_WITH (declared)": len(self.declared),
            "LOCATED_IN": len(places.located),
            "PART_OF (region)": len(places.parents),
            **{name: len(links) for name, links in self.links.items()},
        }
        return {kind: n for kind, n in counts.items() if n}
