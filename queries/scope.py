"""Home ecosystem and context: which organisations a table, page or export lists (``scope=home|all``).

Every organisation carries a stored, explained ``home`` flag (``Organisation.home``, set by
each load from ``INNOGRAPH_HOME_REGIONS``; see the glossary). Metrics and gaps are computed on
the whole graph — a home organisation's centrality depends on its partners abroad — and the
scope only decides what is *listed*: ``home`` the home ecosystem, ``all`` everyone, the
partners elsewhere being context. A graph without any home organisation (nothing loaded
under a home region, no profile database) falls back to everyone, and says so.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import networkx as nx
from pydantic import BaseModel, Field

Scope = Literal["home", "all"]
SCOPE_DESCRIPTION = (
    "home (default): only organisations of the home ecosystem (INNOGRAPH_HOME_REGIONS, or named by the agency's "
    "own sources); all: also the partners elsewhere (context). Metrics are always computed on the whole graph; "
    "ranks are within the listed scope. A graph without home organisations lists everyone under home and says so."
)


class HomeScope(BaseModel):
    """What a listing covers: the scope asked for, the one applied, and the home/context head counts."""

    ecosystem_name: str = Field(description="the home ecosystem's display name (INNOGRAPH_ECOSYSTEM_NAME)")
    requested: Scope
    applied: Scope = Field(description="'all' when home was asked for but the graph has no home organisations")
    home_organisations: int
    partners_elsewhere: int = Field(description="organisations outside the home ecosystem (context)")
    listed: int = Field(description="organisations in the listed scope")
    note: str = Field(description="one line for people: what is listed and why")

    @property
    def fallback(self) -> bool:
        """True when ``home`` was asked for and everyone is listed because no organisation is home."""
        return self.requested == "home" and self.applied == "all"


def home_nodes(graph: nx.Graph) -> frozenset[Hashable]:
    """The organisations whose stored ``home`` flag is true.

    >>> g = nx.Graph([("a", "b")]); g.nodes["a"]["home"] = True
    >>> sorted(home_nodes(g))
    ['a']
    """
    return frozenset(node for node, flag in graph.nodes(data="home") if flag)


def home_or_everyone(graph: nx.Graph) -> frozenset[Hashable]:
    """The home organisations, or every node when none is home (then the whole graph is the ecosystem)."""
    return home_nodes(graph) or frozenset(graph.nodes)


def home_scope(graph: nx.Graph, scope: Scope, ecosystem_name: str) -> tuple[HomeScope, frozenset[Hashable]]:
    """The scope's description and the organisations it lists.

    >>> g = nx.Graph([("a", "b"), ("b", "c")]); g.nodes["a"]["home"] = True
    >>> info, listed = home_scope(g, "home", "Thuringia")
    >>> sorted(listed), info.partners_elsewhere
    (['a'], 2)
    >>> home_scope(nx.Graph([("a", "b")]), "home", "Thuringia")[0].fallback
    True
    """
    home = home_nodes(graph)
    total = graph.number_of_nodes()
    applied: Scope = "home" if scope == "home" and home else "all"
    listed = home if applied == "home" else frozenset(graph.nodes)
    if applied == "home":
        note = (
            f"{ecosystem_name}'s innovation ecosystem: {len(home):,} organisations listed; "
            f"{total - len(home):,} partners elsewhere left out (scope=all shows them)."
        )
    elif scope == "home":
        note = (
            f"No organisation is marked as part of {ecosystem_name}'s home ecosystem (INNOGRAPH_HOME_REGIONS; "
            f"innograph init recomputes the flags), so all {total:,} organisations are listed."
        )
    else:
        note = (
            f"All {total:,} organisations: {len(home):,} in {ecosystem_name}'s ecosystem and "
            f"{total - len(home):,} partners elsewhere."
        )
    info = HomeScope(
        ecosystem_name=ecosystem_name,
        requested=scope,
        applied=applied,
        home_organisations=len(home),
        partners_elsewhere=total - len(home),
        listed=len(listed),
        note=note,
    )
    return info, listed
