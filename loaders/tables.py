"""Reading tabular input (CSV or XLSX) robustly, with file-level errors that say what to fix.

Every loader reads its files through :func:`read_table`. What it guarantees:

* UTF-8 only (a BOM is fine). A Latin-1/Windows-1252 file is refused with the line
  and byte where decoding failed, instead of loading mangled umlauts;
* the delimiter (``;``, ``,`` or tab) is sniffed from the header line, so the official
  CORDIS files (``;``, every field quoted) and re-publications (``,``) both read;
  quoted fields may span lines;
* binary input (NUL bytes, a ZIP/XLSX renamed to .csv), empty files, absurdly long lines
  and missing required columns are :class:`LoadError` naming the file (and line/column);
* a row whose number of fields differs from the header is not an error of the file:
  it is yielded with ``problem`` set, so the loader rejects that row and goes on.

Column names are matched case-, accent- and punctuation-insensitively against the
spellings a :class:`Column` accepts, so ``Straße``, ``strasse`` and ``Street`` can all
mean ``street``. Rows come out keyed by the canonical column name, blank cells as None.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from innograph.errors import LoadError
from innograph.text import fold_words

CHUNK_BYTES = 1 << 20
MAX_LINE_CHARS = 1 << 20
"""A physical line (and a field) longer than this is not a table any human filled in."""

NEWLINE = b"\n"
ProgressCallback = Callable[[int], None]
"""Called with the number of bytes (CSV) or rows (XLSX) read since the last call."""

_MAGIC = ((b"PK\x03\x04", "a ZIP archive (or an .xlsx workbook)"), (b"\x1f\x8b", "a gzip archive"), (b"%PDF", "a PDF"))


@dataclass(frozen=True)
class Column:
    """A column a loader understands: its canonical name and every header spelling it accepts."""

    name: str
    headers: tuple[str, ...] = ()
    required: bool = False

    def spellings(self) -> set[str]:
        """Normalised header keys that mean this column (the canonical name always does)."""
        return {header_key(h) for h in (self.name, *self.headers)}


@dataclass(frozen=True)
class TableRow:
    """One data row: where it is (``file``, 1-based ``line`` of its first physical line) and its cells."""

    file: str
    line: int
    values: Mapping[str, str | None]
    problem: str | None = None


@dataclass
class Table:
    """An opened table: its display name, header and the rows still to read."""

    file: str
    header: list[str]
    rows: Iterator[TableRow] = field(repr=False)


def header_key(text: str) -> str:
    """A header compared loosely: its folded words (:func:`innograph.text.fold_words`) run together."""
    return "".join(fold_words(text))


def read_table(path: Path, columns: Sequence[Column], *, progress: ProgressCallback | None = None) -> Table:
    """Open a CSV or XLSX file, check its header against ``columns`` and return its rows lazily.

    File-level problems raise :class:`LoadError` here (header) or while iterating (a
    decoding error or NUL byte further down); loaders read every row before writing,
    so such an error never leaves anything half-written.
    """
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise LoadError(f"{path}: the file is empty (0 bytes); expected a header row with {_expected(columns)}")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_table(path, columns, progress)
    if suffix == ".xls":
        raise LoadError(f"{path}: old Excel .xls files are not supported; save it as .xlsx or as 'CSV UTF-8'")
    return _csv_table(path, columns, progress)


def read_header(path: Path) -> list[str]:
    """Only the header of a CSV file (used to recognise a folder's layout)."""
    return _csv_table(path, (), None).header


def _expected(columns: Sequence[Column]) -> str:
    required = [c.name for c in columns if c.required]
    return "the columns " + ", ".join(required) if required else "column names"


def _match_header(file: str, header: list[str], columns: Sequence[Column]) -> dict[int, str]:
    """Map header positions to canonical column names; raise when a required one is missing."""
    positions: dict[int, str] = {}
    for column in columns:
        spellings = column.spellings()
        found = next((i for i, h in enumerate(header) if header_key(h) in spellings and i not in positions), None)
        if found is not None:
            positions[found] = column.name
        elif column.required:
            accepted = ", ".join(dict.fromkeys((column.name, *column.headers)))
            shown = ", ".join(h[:40] for h in header[:30]) + (", ..." if len(header) > 30 else "")
            raise LoadError(
                f"{file}:1:{column.name}: missing required column '{column.name}' "
                f"(accepted headers: {accepted}; the file has: {shown or 'no columns'})"
            )
    return positions


def _cells(file: str, line: int, raw: Sequence[str], header: list[str], positions: dict[int, str]) -> TableRow:
    values: dict[str, str | None] = dict.fromkeys(positions.values())
    for i, name in positions.items():
        cell = raw[i].strip() if i < len(raw) else ""
        values[name] = cell or None
    problem = None
    if len(raw) != len(header):
        problem = f"the row has {len(raw)} fields but the header has {len(header)} (a stray delimiter or quote?)"
    return TableRow(file, line, values, problem)


# --- CSV ---------------------------------------------------------------------


def _csv_table(path: Path, columns: Sequence[Column], progress: ProgressCallback | None) -> Table:
    file = str(path)
    lines = _decoded_lines(path, progress)
    first = next(lines, None)
    if first is None or not first.strip():
        raise LoadError(f"{file}:1: the first line is blank; expected a header row with {_expected(columns)}")
    delimiter = _sniff_delimiter(first)
    csv.field_size_limit(MAX_LINE_CHARS)
    reader = csv.reader(_chain(first, lines), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        raise LoadError(f"{file}:1: the header row is not valid CSV: {e}") from e
    positions = _match_header(file, header, columns)

    def rows() -> Iterator[TableRow]:
        previous = reader.line_num
        while True:
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise LoadError(f"{file}:{previous + 1}: not valid CSV: {e} (an unclosed quote?)") from e
            start, previous = previous + 1, reader.line_num
            if raw and any(cell.strip() for cell in raw):
                yield _cells(file, start, raw, header, positions)

    return Table(file, header, rows())


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most fields, outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decoded_lines(path: Path, progress: ProgressCallback | None) -> Iterator[str]:
    """Physical lines of a strictly UTF-8 file, with errors that name the line and byte."""
    file = str(path)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    consumed = 0  # bytes read before the current chunk
    line = 1  # line number at the start of the current chunk
    pending = ""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            if consumed == 0:
                _refuse_binary(file, chunk)
            nul = chunk.find(b"\x00")
            if nul >= 0:
                at = line + chunk[:nul].count(NEWLINE)
                raise LoadError(
                    f"{file}:{at}: NUL byte at byte {consumed + nul}: this is a binary file, not a UTF-8 CSV table"
                )
            buffered = decoder.getstate()[0]
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                at = line + chunk[: max(0, e.start - len(buffered))].count(NEWLINE)
                bad = (buffered + chunk)[e.start]
                raise LoadError(
                    f"{file}:{at}: not UTF-8 (byte 0x{bad:02x} at byte offset "
                    f"{consumed - len(buffered) + e.start}); the file is probably Latin-1/Windows-1252 — "
                    "save it as UTF-8 (in Excel: 'CSV UTF-8') and load it again"
                ) from e
            if consumed == 0 and text.startswith("\ufeff"):
                text = text[1:]
            consumed += len(chunk)
            line += chunk.count(NEWLINE)
            if progress and chunk:
                progress(len(chunk))
            pending += text
            *complete, pending = pending.split("\n")
            for part in complete:
                yield part + "\n"
            if len(pending) > MAX_LINE_CHARS:
                raise LoadError(
                    f"{file}:{line}: a line longer than {MAX_LINE_CHARS:,} characters: this is not a CSV table"
                )
            if not chunk:
                break
    if pending:
        yield pending


def _refuse_binary(file: str, head: bytes) -> None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise LoadError(f"{file}:1: this is {what}, not a CSV table (an Excel workbook must be named .xlsx)")


# --- XLSX --------------------------------------------------------------------


def _xlsx_table(path: Path, columns: Sequence[Column], progress: ProgressCallback | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    file = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as e:
        raise LoadError(
            f"{file}: not a readable .xlsx workbook ({e}); save it again from Excel or as 'CSV UTF-8'"
        ) from e
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header: list[str] = []
    header_line = 0
    for header_line, raw in enumerate(cells, start=1):  # noqa: B007 (the line is used after the loop)
        header = [_xlsx_text(v) for v in raw]
        if any(header):
            break
    while header and not header[-1]:
        header.pop()
    if not header:
        workbook.close()
        raise LoadError(f"{file}: the first sheet has no header row; expected {_expected(columns)}")
    positions = _match_header(file, header, columns)

    def rows() -> Iterator[TableRow]:
        try:
            for line, raw in enumerate(cells, start=header_line + 1):
                texts = [_xlsx_text(v) for v in raw]
                while len(texts) > len(header) and not texts[-1]:
                    texts.pop()
                if progress:
                    progress(1)
                if any(texts):
                    yield _cells(file, line, texts, header, positions)
        finally:
            workbook.close()

    return Table(file, header, rows())


def _xlsx_text(value: object) -> str:
    """A cell as the text a person sees: whole numbers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
