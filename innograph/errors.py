"""The one exception tree of innograph.

Every error the project raises on purpose is an :class:`InnographError`, so the
CLI and the API can turn it into one clear line or one JSON shape. Driver and
library errors are wrapped at the boundary where they occur (``raise ... from e``)
and never swallowed into a status flag.
"""


class InnographError(Exception):
    """Base of every error innograph raises on purpose."""


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


class InvalidRequestError(InnographError, ValueError):
    """What a user got wrong: an unknown kind, a bad year, contradictory parameters.

    The API answers 422, the CLI one line. It is a :class:`ValueError` too, so code
    that validates arguments the standard way keeps catching it; but only this class,
    never a bare ``ValueError`` from inside, is taken for the user's mistake.
    """
