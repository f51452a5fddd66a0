"""What the templates draw: generic tables, the heat map, the pager, and how a value is shown in a cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from innograph.viz.views import shown_value


def _cell(value: Any) -> str:
    """A table value as text: lists joined, numbers with 4 significant digits, booleans as yes/no, None as —."""
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    return shown_value(value)


@dataclass(frozen=True)
class Column:
    """A column of a generic table: header, the row attribute shown, and optionally the attribute of an id to link."""

    header: str
    attr: str
    link: str | None = None
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table of pydantic rows, rendered by the ``data_table`` macro."""

    title: str
    intro: str
    columns: tuple[Column, ...]
    rows: list[Any]
    empty: str = "Nothing to report."
    """What the page says instead of an empty table (why it is empty, when known)."""


@dataclass(frozen=True)
class HeatCell:
    """One field pair of the heat map."""

    observed: int
    expected: float
    ratio: float
    level: int
    label: str


@dataclass(frozen=True)
class HeatMap:
    """Fields (largest first, capped) and the observed/expected ratio of ties between each pair."""

    fields: list[tuple[str, str]]
    cells: list[list[HeatCell | None]]
    total_fields: int


@dataclass(frozen=True)
class Pager:
    """Previous/next links of a paged table."""

    page: int
    pages: int
    previous: str | None
    next: str | None

    @classmethod
    def of(cls, request: Request, page: int, size: int, total: int) -> Pager:
        """The pager for ``page`` of ``total`` rows, keeping the request's other parameters."""
        pages = max(1, -(-total // size))
        params = {key: value for key, value in request.query_params.items() if key != "page"}

        def link(number: int) -> str | None:
            return f"{request.url.path}?{urlencode({**params, 'page': number})}" if 1 <= number <= pages else None

        return cls(page, pages, link(page - 1), link(page + 1))
