"""Pyvis views (ego, path, cluster, overview) as self-contained offline HTML."""
