"""The records the store writes: pydantic models, validated before any Cypher runs.

Loaders turn files into these; the store turns them into parameter rows. Ids are
the stable keys of DESIGN.md (CORDIS PIC, NUTS code, or a deterministic slug).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]


class OrganisationKind(StrEnum):
    """The kind labels an :Organisation carries (exactly one of them)."""

    COMPANY = "Company"
    UNIVERSITY = "University"
    RESEARCH_INSTITUTE = "ResearchInstitute"
    CLUSTER_ORGANISATION = "ClusterOrganisation"
    PUBLIC_BODY = "PublicBody"
    OTHER = "OtherOrganisation"


class Record(BaseModel):
    """Common shape: strict fields, and the sources that vouch for the record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: list[ShortText] = Field(min_length=1)

    def row(self) -> dict[str, Any]:
        """The parameter row handed to Cypher (dates as ISO strings)."""
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in self.model_dump(mode="python").items()
        }


class Organisation(Record):
    """An actor: company, university, institute, cluster organisation, public body."""

    id: Id
    kind: OrganisationKind
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    city: ShortText | None = None
    postcode: ShortText | None = None
    street: ShortText | None = None
    country: ShortText | None = None
    region: ShortText | None = Field(default=None, description="NUTS-3 code")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    website: ShortText | None = None
    size_class: ShortText | None = None
    founded: int | None = Field(default=None, ge=1000, le=2100)
    description: LongText | None = None


class Cluster(Record):
    """A cluster or network, optionally managed by an organisation."""

    id: Id
    name: Name
    description: LongText | None = None
    field: ShortText | None = None


class Project(Record):
    """A cooperation project; acronym, title, objective and topics are what the competence search reads."""

    id: Id
    acronym: ShortText | None = None
    title: LongText | None = None
    objective: LongText | None = Field(default=None, description="the project's summary (CORDIS objective)")
    topics: LongText | None = Field(default=None, description="the call topics it was funded under (CORDIS topics)")
    programme: ShortText | None = None
    start: date | None = None
    end: date | None = None
    funding: float | None = Field(default=None, ge=0)

    def row(self) -> dict[str, Any]:
        """Adds start/end years, which cooperation derivation and path recency use."""
        row = super().row()
        row["start_year"] = self.start.year if self.start else None
        row["end_year"] = self.end.year if self.end else None
        return row


class SpecialisationField(Record):
    """A specialisation field of the regional innovation strategy."""

    id: Id
    name: Name


class Technology(Record):
    """A competence or technology keyword, normalised."""

    id: Id
    name: Name


class Region(Record):
    """A NUTS region (level 0 country, 2 state, 3 district)."""

    id: Id
    name: Name | None = None
    level: int = Field(ge=0, le=3)


class Membership(Record):
    """(:Organisation)-[:MEMBER_OF]->(:Cluster)."""

    org_id: Id
    cluster_id: Id
    since: int | None = Field(default=None, ge=1900, le=2100)
    role: ShortText | None = None


class Management(Record):
    """(:Organisation)-[:MANAGES]->(:Cluster): who can make introductions in a cluster."""

    org_id: Id
    cluster_id: Id


class Participation(Record):
    """(:Organisation)-[:PARTICIPATES_IN]->(:Project)."""

    org_id: Id
    project_id: Id
    role: ShortText | None = None
    contribution: float | None = None


class DeclaredCooperation(Record):
    """A cooperation a source declares directly (not derived from projects)."""

    org_id: Id
    partner_id: Id


class Link(Record):
    """A plain link by ids: ACTIVE_IN, OFFERS, LOCATED_IN, Region PART_OF, Organisation PART_OF."""

    from_id: Id
    to_id: Id
