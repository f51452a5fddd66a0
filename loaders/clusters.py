"""Cluster and network member lists: one row per (cluster, member), with since and role.

CSV or XLSX, English or German headers (Cluster/Netzwerk, Mitglied, seit, Rolle). A
member whose role is management ("management", "Clustermanagement", ...) is the
organisation that runs the cluster: it gets ``MANAGES`` besides ``MEMBER_OF`` — the
hop through which the path finder makes introductions. Members resolve to nodes
already in the graph by name; an unknown member becomes a minimal organisation node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import Field

from innograph.graph.records import Name, OrganisationKind, ShortText
from innograph.graph.store import Store
from innograph.loaders.base import Kind, LoadContext, LoadReport, Pic, RowModel, Year
from innograph.loaders.resolve import pic_id
from innograph.loaders.tables import header_key
from innograph.text import slug

MANAGEMENT_ROLES = frozenset(
    header_key(role)
    for role in (
        "management",
        "cluster management",
        "Clustermanagement",
        "Netzwerkmanagement",
        "manager",
        "Geschäftsstelle",
    )
)


class MemberRow(RowModel):
    """One membership; ``cluster`` and ``member`` are required."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "cluster": ("Cluster", "Netzwerk", "Network"),
        "member": ("Mitglied", "Organisation", "Member", "Name"),
        "since": ("seit", "Mitglied seit", "Member since", "Beitritt"),
        "role": ("Rolle", "Funktion"),
        "kind": ("Art", "Typ", "Type"),
        "city": ("Ort", "Stadt"),
        "pic": ("PIC",),
    }

    cluster: Name
    member: Name
    since: Annotated[Year, Field(ge=1900, le=2100)] = None
    role: ShortText | None = None
    kind: Kind = None
    city: ShortText | None = None
    pic: Pic | None = None


def load_clusters(
    path: Path,
    store: Store | None,
    *,
    dry_run: bool = False,
    strict: bool = False,
    review_file: Path | None = None,
    progress: bool = False,
) -> LoadReport:
    """Load a cluster member list; ``store`` may be None only for a dry run."""
    context = LoadContext.start(
        f"clusters {path}", [f"clusters:{path.name}"], store, dry_run=dry_run, strict=strict, progress=progress
    )
    batch = context.batch
    for line, row in context.rows(path, MemberRow):
        cluster_id = f"cluster:{slug(row.cluster)}"
        batch.add_cluster(cluster_id, row.cluster)
        manages = header_key(row.role or "") in MANAGEMENT_ROLES
        kind = row.kind or (OrganisationKind.CLUSTER_ORGANISATION if manages else OrganisationKind.OTHER)
        if row.pic and context.resolver.known(pic_id(row.pic)):
            org_id = pic_id(row.pic)
        else:
            org_id = context.organisation_id(
                row.member, country=None, where=f"{line.file}:{line.line}", kind=kind, city=row.city
            )
        batch.member(org_id, cluster_id, row.since, "management" if manages else row.role)
        if manages:
            batch.manage(org_id, cluster_id)
    return context.finish(review_file)
