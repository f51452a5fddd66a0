"""The one exception tree of innograph.

Every error the project raises on purpose is an :class:`InnographError`, so the
CLI and the API can turn it into one clear line or one JSON shape. Driver and
library errors are wrapped at the boundary where they occur (``raise ... from e``)
and never swallowed into a status flag.
"""


class InnographError(Exception):
    """Base of every error innograph raises on purpose."""


class ConfigError(InnographError):
    """Settings are missing or contradict each other."""


class LocalServerError(InnographError):
    """The local Neo4j server could not be built, started, stopped or reached."""


class StoreError(InnographError):
    """A read or write against Neo4j failed."""


class StoreUnavailableError(StoreError):
    """Neo4j cannot be reached at all (down, wrong address, wrong credentials)."""


class NotFoundError(InnographError):
    """A requested node (organisation, cluster, ...) does not exist."""


class LoadError(InnographError):
    """An input file cannot be loaded; the message names file, row and field."""
