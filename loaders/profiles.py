"""The agency's profile table: one row per organisation, filled by staff (format: docs/profiles.md).

CSV (UTF-8, ``;`` or ``,``) or XLSX, English or German headers. List cells
(specialisation fields, technologies, networks, partners) hold items separated by
``;`` or line breaks. Each profile resolves to a node already in the graph when the
name matches one (so "Friedrich-Schiller-Universität Jena" lands on the node CORDIS
created); declared partners become ``COOPERATES_WITH {declared: true}``, and a partner
the graph does not know yet becomes a minimal organisation node.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, StringConstraints

from innograph.graph.records import LongText, Name, Organisation, ShortText
from innograph.graph.store import Store
from innograph.loaders.base import Country, Kind, LoadContext, LoadReport, Pic, RowModel, split_list
from innograph.loaders.regions import normalise_postcode, organisation_region
from innograph.loaders.resolve import country_code, org_slug, pic_id
from innograph.text import slug

_PIC_ITEM = re.compile(r"^pic[:\s]*(\d{5,12})$", re.IGNORECASE)


def _website(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(r"(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?", value.strip(), re.I):
        raise ValueError(f"{value[:60]!r} is not a web address (expected e.g. www.example.de)")
    return value


Postcode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z -]{3,10}$")]
Website = Annotated[ShortText | None, BeforeValidator(_website)]


class ProfileRow(RowModel):
    """One profile; only ``name`` and ``kind`` are required."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "name": ("Name", "Organisation", "Organisationsname"),
        "kind": ("Art", "Typ", "Type"),
        "street": ("Straße", "Strasse", "Adresse", "Address"),
        "postcode": ("PLZ", "Postleitzahl", "Postal code", "Zip"),
        "city": ("Ort", "Stadt", "Town"),
        "country": ("Land",),
        "website": ("Webseite", "Website", "Internet", "URL", "Homepage"),
        "fields": ("Technologiefelder", "Spezialisierungsfelder", "Felder", "Specialisation fields"),
        "technologies": ("Technologien", "Kompetenzen", "Technologies"),
        "clusters": ("Netzwerke", "Netzwerk", "Cluster", "Networks"),
        "partners": ("Partner", "Kooperationspartner", "Declared partners"),
        "pic": ("PIC", "EU PIC"),
        "description": ("Beschreibung",),
    }

    name: Name
    kind: Kind
    street: ShortText | None = None
    postcode: Postcode | None = None
    city: ShortText | None = None
    country: Country = None
    website: Website = None
    fields: LongText | None = None
    technologies: LongText | None = None
    clusters: LongText | None = None
    partners: LongText | None = None
    pic: Pic | None = None
    description: LongText | None = None


def _organisation(context: LoadContext, org_id: str, row: ProfileRow) -> Organisation:
    country = country_code(row.country) or "DE"
    postcode = normalise_postcode(row.postcode, country)
    region = organisation_region(country=country, nuts=None, city=row.city, postcode=postcode)
    return Organisation(
        id=org_id,
        kind=row.kind,
        name=row.name,
        street=row.street,
        postcode=postcode,
        city=row.city,
        country=country,
        region=region,
        website=row.website,
        description=row.description,
        sources=context.batch.sources,
    )


def _link_keywords(context: LoadContext, org_id: str, row: ProfileRow) -> None:
    """ACTIVE_IN fields, OFFERS technologies, MEMBER_OF networks (ids namespaced by kind)."""
    batch = context.batch
    for name in split_list(row.fields):
        if key := slug(name):
            batch.add_field(f"field:{key}", name)
            batch.link("ACTIVE_IN", org_id, f"field:{key}")
    for name in split_list(row.technologies):
        if key := slug(name):
            batch.add_technology(f"tech:{key}", name)
            batch.link("OFFERS", org_id, f"tech:{key}")
    for name in split_list(row.clusters):
        if key := slug(name):
            batch.add_cluster(f"cluster:{key}", name)
            batch.member(org_id, f"cluster:{key}")


def _partner_id(context: LoadContext, item: str, where: str) -> str:
    """A declared partner: 'pic:999868726' / 'PIC 999868726', or a name resolved like any other."""
    pic = _PIC_ITEM.match(item)
    if pic and context.resolver.known(pic_id(pic.group(1))):
        return pic_id(pic.group(1))
    return context.organisation_id(item, country=None, where=where)


def load_profiles(
    path: Path,
    store: Store | None,
    *,
    dry_run: bool = False,
    strict: bool = False,
    review_file: Path | None = None,
    progress: bool = False,
) -> LoadReport:
    """Load a profile table (CSV or XLSX); ``store`` may be None only for a dry run."""
    context = LoadContext.start(
        f"profiles {path}", [f"profiles:{path.name}"], store, dry_run=dry_run, strict=strict, progress=progress
    )
    profiles: list[tuple[str, str, ProfileRow]] = []
    for line, row in context.rows(path, ProfileRow):
        where = f"{line.file}:{line.line}"
        country = country_code(row.country) or "DE"
        org_id = pic_id(row.pic) if row.pic else context.match_id(row.name, country=country, where=where)
        org_id = org_id or org_slug(row.name)
        context.add_organisation(_organisation(context, org_id, row))
        _link_keywords(context, org_id, row)
        profiles.append((where, org_id, row))
    # Partners after every profile is known, so a partner listed before its own row resolves to it.
    for where, org_id, row in profiles:
        for item in split_list(row.partners):
            context.batch.declare(org_id, _partner_id(context, item, where))
    return context.finish(review_file)
