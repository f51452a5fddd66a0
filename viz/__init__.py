"""Pyvis views (ego, path, cluster, overview, timeline, A against B) as self-contained offline HTML.

Every view is a pure function from a NetworkX graph (or a path answer) to one
HTML document that needs nothing from the network: vis-network is inlined from
the installed pyvis package (or served by the app from :data:`viz.assets.FILES`
when ``assets_url`` is given). See ``docs/views.md``.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("a", name="Alpha GmbH", kind="Company", city="Jena")
>>> g.add_node("b", name="Uni Beta", kind="University", city="Ilmenau")
>>> g.add_edge("a", "b", collaboration_weight=0.5, shared_projects=2)
>>> html = ego_view(g, "a")
>>> html.startswith("<!DOCTYPE html>") and "Alpha GmbH" in html
True
"""

from innograph.viz.changes import change_view
from innograph.viz.groups import group_overview, members_by_group
from innograph.viz.layout import clear_cache as clear_layout_cache
from innograph.viz.paths import path_view
from innograph.viz.render import KIND_COLOURS, KIND_LABELS
from innograph.viz.timeline import TIMELINE_LIMIT, Slice, timeline_view
from innograph.viz.views import EGO_LIMIT, GROUP_LIMIT, LAYOUT_THRESHOLD, OVERVIEW_LIMIT, ego_view, group_view, overview

__all__ = [
    "EGO_LIMIT",
    "GROUP_LIMIT",
    "KIND_COLOURS",
    "KIND_LABELS",
    "LAYOUT_THRESHOLD",
    "OVERVIEW_LIMIT",
    "TIMELINE_LIMIT",
    "Slice",
    "change_view",
    "clear_layout_cache",
    "ego_view",
    "group_overview",
    "group_view",
    "members_by_group",
    "overview",
    "path_view",
    "timeline_view",
]
