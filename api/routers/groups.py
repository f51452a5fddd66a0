"""Clusters and specialisation fields with their members."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from innograph.api.auth import viewer
from innograph.api.state import ServiceState, get_state
from innograph.errors import NotFoundError
from innograph.queries.projection import Projection
from innograph.viz import members_by_group

router = APIRouter(tags=["clusters and fields"], dependencies=[Depends(viewer)])


class Member(BaseModel):
    """An organisation in a group."""

    id: str
    name: str
    kind: str | None
    role: str


class Group(BaseModel):
    """A cluster or field with its member count (and the cluster's managing organisations)."""

    id: str
    name: str
    members: int
    managers: list[Member] = []


class GroupDetail(Group):
    """A group with all its members."""

    member_list: list[Member]


def _member(projection: Projection, org: str, role: str) -> Member:
    data = projection.membership.nodes[org] if org in projection.membership else {}
    return Member(id=org, name=data.get("name", org), kind=data.get("kind"), role=role)


def _managers(projection: Projection, cluster: str) -> list[Member]:
    graph = projection.membership
    if cluster not in graph:
        return []
    return [
        _member(projection, org, "management") for org, edge in graph[cluster].items() if edge.get("type") == "MANAGES"
    ]


def _groups(projection: Projection, groups: Mapping[str, tuple[str, ...]], clusters: bool) -> list[Group]:
    members = members_by_group(groups)
    return sorted(
        (
            Group(
                id=g,
                name=projection.names.get(g, g),
                members=len(orgs),
                managers=_managers(projection, g) if clusters else [],
            )
            for g, orgs in members.items()
        ),
        key=lambda group: (-group.members, group.name),
    )


def _detail(
    projection: Projection, groups: Mapping[str, tuple[str, ...]], group_id: str, clusters: bool, what: str
) -> GroupDetail:
    members = members_by_group(groups).get(group_id)
    if members is None:
        raise NotFoundError(f"no {what} with id {group_id!r} (or it has no members)")
    return GroupDetail(
        id=group_id,
        name=projection.names.get(group_id, group_id),
        members=len(members),
        managers=_managers(projection, group_id) if clusters else [],
        member_list=sorted((_member(projection, org, "member") for org in members), key=lambda m: m.name),
    )


@router.get("/clusters", response_model=list[Group], summary="Clusters and networks by size")
def clusters(state: ServiceState = Depends(get_state)) -> list[Group]:
    """Every cluster with its member count and managing organisation."""
    projection = state.cache.projection()
    return _groups(projection, projection.clusters, clusters=True)


@router.get("/clusters/{cluster_id}", response_model=GroupDetail, summary="One cluster with its members")
def cluster(cluster_id: str, state: ServiceState = Depends(get_state)) -> GroupDetail:
    """404 when the cluster is unknown."""
    projection = state.cache.projection()
    return _detail(projection, projection.clusters, cluster_id, clusters=True, what="cluster")


@router.get("/fields", response_model=list[Group], summary="Specialisation fields by size")
def fields(state: ServiceState = Depends(get_state)) -> list[Group]:
    """Every field with the number of organisations active in it."""
    projection = state.cache.projection()
    return _groups(projection, projection.fields, clusters=False)


@router.get("/fields/{field_id}", response_model=GroupDetail, summary="One field with its organisations")
def field(field_id: str, state: ServiceState = Depends(get_state)) -> GroupDetail:
    """404 when the field is unknown."""
    projection = state.cache.projection()
    return _detail(projection, projection.fields, field_id, clusters=False, what="field")
