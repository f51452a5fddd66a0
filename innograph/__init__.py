"""innograph: a knowledge graph of a regional innovation ecosystem.

The one import package. Its own modules are the bottom layer (settings, the error tree, the console)
and the top (the CLI); the subpackages graph, loaders, queries, api and viz live in folders of the same
names at the repository root and install as ``innograph.<folder>``.
"""

__version__ = "0.1.0"
