"""Loaders: one module per source format, each turning a file into validated records for the store."""
