"""CORDIS (EU framework-programme participations, CC BY 4.0): the richest source of cooperation edges.

:func:`load_cordis` reads a folder in one of three layouts, recognised from its files:

* ``official`` — the CORDIS bulk download: ``organization.csv`` (one row per
  participation, organisation details repeated) and optionally ``project.csv``;
  ``;``-separated with every field quoted, or ``,``; decimal commas; quoted line breaks;
* ``h2020-slice`` — ``participations.csv`` (rcn, pic, role, contribution, ...),
  ``organisations.csv`` (CORDIS organisation columns + ``x_region``) and ``projects.csv``;
* ``fp7-slice`` — ``participations.csv`` (projectRcn, new_org_id) and ``organisations.csv``
  whose 32-hex surrogate ids are mapped to the PIC in ``x_pic_by_name`` or resolved by name.

Projects keep acronym, title, objective (official layout) and topics, which the competence
search reads through the ``project_texts`` full-text index.

Ids: organisations ``pic:<PIC>``; projects ``cordis:<grant agreement id>`` where the
grant id is certain, else ``cordis:rcn:<record number>``. ``activityType`` gives the
kind (PRC Company, HES University, REC ResearchInstitute, PUB PublicBody, OTH
OtherOrganisation). Cooperation (COOPERATES_WITH) is re-derived for the loaded
projects in the same transaction as everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints

from innograph.errors import LoadError
from innograph.graph.records import Id, LongText, Name, Organisation, OrganisationKind, Project, ShortText
from innograph.graph.store import Store
from innograph.loaders.base import Country, Day, LoadContext, LoadReport, Number, Pic, RowModel, upper
from innograph.loaders.regions import NUTS_CODE, normalise_postcode, organisation_region, state_of
from innograph.loaders.resolve import country_code, org_slug, pic_id
from innograph.loaders.tables import header_key, read_header

ACTIVITY_KINDS: dict[str, OrganisationKind] = {
    "PRC": OrganisationKind.COMPANY,
    "HES": OrganisationKind.UNIVERSITY,
    "REC": OrganisationKind.RESEARCH_INSTITUTE,
    "PUB": OrganisationKind.PUBLIC_BODY,
    "OTH": OrganisationKind.OTHER,
}


def _activity(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    code = value.strip().upper()
    if code not in ACTIVITY_KINDS:
        raise ValueError(f"unknown activity type {value[:40]!r} (expected one of {', '.join(ACTIVITY_KINDS)})")
    return ACTIVITY_KINDS[code]


def _geolocation(value: Any) -> Any:
    """CORDIS writes 'lat,lon' in one cell."""
    if not isinstance(value, str):
        return value
    parts = value.split(",")
    if len(parts) != 2:
        raise ValueError("expected 'latitude,longitude'")
    lat, lon = (float(p) for p in parts)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("latitude/longitude out of range")
    return (lat, lon)


RecordNumber = Annotated[str, StringConstraints(pattern=r"^\d{1,12}$")]
Fp7OrgId = Annotated[str, StringConstraints(pattern=r"^(\d{5,12}|[0-9a-f]{32})$")]
Activity = Annotated[OrganisationKind | None, BeforeValidator(_activity)]
Nuts = Annotated[Annotated[str, StringConstraints(pattern=NUTS_CODE.pattern)] | None, BeforeValidator(upper)]
GeoPoint = Annotated[tuple[float, float] | None, BeforeValidator(_geolocation)]
Funding = Annotated[Number, Field(ge=0)]


# --- row models: the columns each file must / may have ------------------------------


class OrganisationColumns(RowModel):
    """The organisation columns of CORDIS ``organization.csv`` (and of the H2020 slice)."""

    organisationID: Pic
    name: Name | None = None
    shortName: ShortText | None = None
    activityType: Activity = None
    street: ShortText | None = None
    postCode: ShortText | None = None
    city: ShortText | None = None
    country: Country = None
    nutsCode: Nuts = None
    geolocation: GeoPoint = None
    organizationURL: ShortText | None = None


class OfficialParticipationRow(OrganisationColumns):
    """A row of the official ``organization.csv``: one organisation in one project."""

    projectID: RecordNumber
    projectAcronym: ShortText | None = None
    role: ShortText | None = None
    ecContribution: Number = None


class ProjectRow(RowModel):
    """A row of ``project.csv`` (official) or ``projects.csv`` (H2020 slice)."""

    id: RecordNumber | None = None
    rcn: RecordNumber | None = None
    acronym: ShortText | None = None
    title: LongText | None = None
    objective: LongText | None = None
    topics: LongText | None = None
    startDate: Day = None
    endDate: Day = None
    ecMaxContribution: Funding = None
    frameworkProgramme: ShortText | None = None
    x_match_method: ShortText | None = None


class SliceOrganisationRow(OrganisationColumns):
    """A row of the H2020 slice's ``organisations.csv``."""

    x_region: ShortText | None = None


class SliceProjectRow(ProjectRow):
    """The H2020 slice keys projects by record number."""

    rcn: RecordNumber


class SliceParticipationRow(RowModel):
    """A row of the H2020 slice's ``participations.csv``."""

    rcn: RecordNumber
    pic: Pic
    role: ShortText | None = None
    type: Activity = None
    contribution: Number = None
    start_date: Day = None
    end_date: Day = None
    max_contribution: Funding = None


class Fp7OrganisationRow(RowModel):
    """A row of the FP7 slice's ``organisations.csv``."""

    new_org_id: Fp7OrgId
    name: Name
    shortName: ShortText | None = None
    organizationUrl: ShortText | None = None
    REGION_Level_NUTS_3: Nuts = None
    country: Country = None
    street: ShortText | None = None
    city: ShortText | None = None
    postCode: ShortText | None = None
    x_region: ShortText | None = None
    x_pic_by_name: Pic | None = None


class Fp7ParticipationRow(RowModel):
    """A row of the FP7 slice's ``participations.csv``."""

    projectRcn: RecordNumber
    new_org_id: Fp7OrgId


# --- building records ----------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where an organisation is, as a source gives it."""

    street: str | None
    postcode: str | None
    city: str | None
    country: str | None
    nuts: str | None
    state: str | None
    point: tuple[float, float] | None = None


def _organisation(
    context: LoadContext,
    org_id: Id,
    name: str,
    short_name: str | None,
    kind: OrganisationKind,
    place: Place,
    url: str | None,
) -> Organisation:
    """An Organisation record with its most specific NUTS region (the batch derives LOCATED_IN from it)."""
    country = country_code(place.country)
    postcode = normalise_postcode(place.postcode, country)
    region = organisation_region(
        country=country, nuts=place.nuts, city=place.city, postcode=postcode, state=place.state
    )
    return Organisation(
        id=org_id,
        kind=kind,
        name=name,
        aliases=[short_name] if short_name and short_name != name else [],
        street=place.street,
        postcode=postcode,
        city=place.city,
        country=country,
        region=region,
        lat=place.point[0] if place.point else None,
        lon=place.point[1] if place.point else None,
        website=url,
        sources=context.batch.sources,
    )


def _cordis_organisation(context: LoadContext, row: OrganisationColumns, state: str | None) -> Organisation:
    org_id = pic_id(row.organisationID)
    name = row.name or context.known_name(org_id) or row.shortName or f"PIC {row.organisationID}"
    place = Place(row.street, row.postCode, row.city, row.country, row.nutsCode, state, row.geolocation)
    kind = row.activityType or OrganisationKind.OTHER
    return _organisation(context, org_id, name, row.shortName, kind, place, row.organizationURL)


def _project(context: LoadContext, row: ProjectRow, project_id: str, programme: str | None) -> Project:
    return Project(
        id=project_id,
        acronym=row.acronym,
        title=row.title,
        objective=row.objective,
        topics=row.topics,
        programme=row.frameworkProgramme or programme,
        start=row.startDate,
        end=row.endDate,
        funding=row.ecMaxContribution,
        sources=context.batch.sources,
    )


# --- the three layouts --------------------------------------------------------------


def _load_official(folder: Path, context: LoadContext) -> None:
    project_file = folder / "project.csv"
    if project_file.is_file():
        for _, project in context.rows(project_file, ProjectRow):
            if project.id is None:
                continue
            context.batch.add_project(_project(context, project, f"cordis:{project.id}", None))
    for _, row in context.rows(folder / "organization.csv", OfficialParticipationRow):
        org = _cordis_organisation(context, row, state=None)
        context.add_organisation(org)
        project_id = f"cordis:{row.projectID}"
        context.batch.add_project(Project(id=project_id, acronym=row.projectAcronym, sources=context.batch.sources))
        context.batch.participate(org.id, project_id, _role(row.role), row.ecContribution)


def _load_h2020_slice(folder: Path, context: LoadContext) -> None:
    by_rcn: dict[str, Project] = {}
    project_file = folder / "projects.csv"
    if project_file.is_file():
        for _, row in context.rows(project_file, SliceProjectRow):
            certain = row.id and (row.x_match_method or "exact").startswith("exact")
            project_id = f"cordis:{row.id}" if certain else f"cordis:rcn:{row.rcn}"
            by_rcn[row.rcn] = _project(context, row, project_id, "H2020")
    pics: set[str] = set()
    for _, row in context.rows(folder / "organisations.csv", SliceOrganisationRow):
        context.add_organisation(_cordis_organisation(context, row, state_of(row.x_region)))
        pics.add(row.organisationID)
    for line, part in context.rows(folder / "participations.csv", SliceParticipationRow):
        if part.pic not in pics:
            context.reject(line, "pic", f"organisation {part.pic} is not in organisations.csv (or was rejected there)")
            continue
        project = by_rcn.get(part.rcn) or Project(
            id=f"cordis:rcn:{part.rcn}",
            programme="H2020",
            start=part.start_date,
            end=part.end_date,
            funding=part.max_contribution,
            sources=context.batch.sources,
        )
        context.batch.add_project(project)
        context.batch.participate(pic_id(part.pic), project.id, _role(part.role), part.contribution)


def _load_fp7_slice(folder: Path, context: LoadContext) -> None:
    node_of: dict[str, str] = {}
    by_name: list[tuple[str, Fp7OrganisationRow]] = []
    for line, row in context.rows(folder / "organisations.csv", Fp7OrganisationRow):
        pic = row.new_org_id if row.new_org_id.isdigit() else row.x_pic_by_name
        if pic is None:
            by_name.append((f"{line.file}:{line.line}", row))
            continue
        node_of[row.new_org_id] = pic_id(pic)
        context.add_organisation(_fp7_organisation(context, pic_id(pic), row))
    # Surrogate ids without a PIC resolve by name, against the store and the PIC rows above.
    for where, row in by_name:
        org_id = context.match_id(row.name, country=row.country, where=where) or org_slug(row.name)
        node_of[row.new_org_id] = org_id
        context.add_organisation(_fp7_organisation(context, org_id, row))
    for line, part in context.rows(folder / "participations.csv", Fp7ParticipationRow):
        org_id = node_of.get(part.new_org_id)
        if org_id is None:
            context.reject(line, "new_org_id", f"organisation {part.new_org_id} is not in organisations.csv")
            continue
        project_id = f"cordis:rcn:{part.projectRcn}"
        context.batch.add_project(Project(id=project_id, programme="FP7", sources=context.batch.sources))
        context.batch.participate(org_id, project_id, None, None)


def _fp7_organisation(context: LoadContext, org_id: str, row: Fp7OrganisationRow) -> Organisation:
    place = Place(row.street, row.postCode, row.city, row.country, row.REGION_Level_NUTS_3, state_of(row.x_region))
    # The FP7 slice has no activity type: OtherOrganisation, which never overrides a known kind.
    return _organisation(context, org_id, row.name, row.shortName, OrganisationKind.OTHER, place, row.organizationUrl)


def _role(role: str | None) -> str | None:
    return role.lower() if role else None


# --- layout detection and the entry point ---------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A folder layout: how to recognise it and how to load it."""

    name: str
    source: str
    load: Callable[[Path, LoadContext], None]


OFFICIAL = Layout("official", "cordis", _load_official)
H2020_SLICE = Layout("h2020-slice", "cordis:h2020", _load_h2020_slice)
FP7_SLICE = Layout("fp7-slice", "cordis:fp7", _load_fp7_slice)


def detect_layout(folder: Path) -> Layout:
    """Which layout a folder has, from its file names and the participation table's header."""
    if not folder.is_dir():
        raise LoadError(f"{folder}: not a folder (expected a folder of CORDIS CSV files)")
    if (folder / "organization.csv").is_file():
        return OFFICIAL
    participations = folder / "participations.csv"
    if participations.is_file() and (folder / "organisations.csv").is_file():
        header = {header_key(h) for h in read_header(participations)}
        if "projectrcn" in header:
            return FP7_SLICE
        if "rcn" in header:
            return H2020_SLICE
        raise LoadError(
            f"{participations}:1: unknown participation layout: expected a column rcn (H2020 slice) "
            "or projectRcn (FP7 slice)"
        )
    raise LoadError(
        f"{folder}: not a CORDIS folder: expected organization.csv (+ project.csv) from the CORDIS bulk download, "
        "or participations.csv + organisations.csv (+ projects.csv)"
    )


def load_cordis(
    folder: Path,
    store: Store | None,
    *,
    dry_run: bool = False,
    strict: bool = False,
    review_file: Path | None = None,
    progress: bool = False,
) -> LoadReport:
    """Load a CORDIS folder; see the module docstring. ``store`` may be None only for a dry run."""
    layout = detect_layout(folder)
    context = LoadContext.start(
        f"cordis {layout.name} {folder}", [layout.source], store, dry_run=dry_run, strict=strict, progress=progress
    )
    layout.load(folder, context)
    return context.finish(review_file)
