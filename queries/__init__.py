"""The read side: NetworkX projections of the store, metrics, communities, gaps, paths."""
