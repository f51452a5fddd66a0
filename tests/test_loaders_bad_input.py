"""The bad-input matrix: each broken file gives a clear error (file, row, field), a non-zero exit
under --strict, and leaves the graph exactly as it was.

The graph holds a small earlier load (two Thuringian H2020 projects) so "unchanged" is
checked against real content: counts plus every property except the load time.
"""

from __future__ import annotations

import base64
import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from innograph.cli import app
from innograph.errors import LoadError
from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.settings import Settings, get_settings

PROJECTS = ("193255", "193285")  # two H2020 projects of the slice, 18 participations


def snapshot(store: Store) -> tuple[Any, ...]:
    """Counts plus every node and relationship property except the load time."""
    graph = store.to_networkx()
    nodes = {n: {k: v for k, v in d.items() if k != "loaded_at"} for n, d in graph.nodes(data=True)}
    edges = sorted(
        (u, v, key, sorted((k, repr(x)) for k, x in d.items() if k != "loaded_at"))
        for u, v, key, d in graph.edges(keys=True, data=True)
    )
    return store.counts(), nodes, edges


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]], encoding: str = "utf-8") -> None:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def small_slice(source: Path, target: Path, projects: tuple[str, ...]) -> Path:
    """A copy of the H2020 slice restricted to some projects and their organisations."""
    target.mkdir()
    tables = {}
    for name in ("participations.csv", "organisations.csv", "projects.csv"):
        with (source / name).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            tables[name] = (list(reader.fieldnames or []), list(reader))
    parts = [r for r in tables["participations.csv"][1] if r["rcn"] in projects]
    pics = {r["pic"] for r in parts}
    write_rows(target / "participations.csv", tables["participations.csv"][0], parts)
    orgs = [r for r in tables["organisations.csv"][1] if r["organisationID"] in pics]
    write_rows(target / "organisations.csv", tables["organisations.csv"][0], orgs)
    projs = [r for r in tables["projects.csv"][1] if r["rcn"] in projects]
    write_rows(target / "projects.csv", tables["projects.csv"][0], projs)
    return target


@pytest.fixture
def loaded(store: Store, shared_data: Path, tmp_path: Path) -> tuple[Store, tuple[Any, ...]]:
    """A store holding one good load, and its snapshot."""
    load_cordis(small_slice(shared_data / "cordis_h2020_thuringia", tmp_path / "good", PROJECTS[:1]), store)
    return store, snapshot(store)


@pytest.fixture
def bad(shared_data: Path, tmp_path: Path) -> Path:
    """A fresh small slice (another project) for a test to break."""
    return small_slice(shared_data / "cordis_h2020_thuringia", tmp_path / "bad", PROJECTS[1:])


@pytest.fixture
def cli(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CliRunner]:
    """A CLI runner whose commands use the test server."""
    monkeypatch.setenv("INNOGRAPH_NEO4J_URI", neo4j_settings.effective_uri)
    monkeypatch.setenv("INNOGRAPH_NEO4J_PASSWORD", neo4j_settings.neo4j_password.get_secret_value())
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def assert_refused(
    cli: CliRunner, store: Store, before: tuple[Any, ...], folder: Path, *expected: str, strict: bool = True
) -> str:
    """The CLI exits 1 naming what is wrong, and the graph is unchanged."""
    args = ["load", "cordis", str(folder), *(["--strict"] if strict else [])]
    result = cli.invoke(app, args)
    output = result.output
    assert result.exit_code == 1, output
    for text in expected:
        assert text in output.replace("\n", ""), (text, output)
    assert snapshot(store) == before
    return output


def replace_cell(path: Path, column: str, row_index: int, value: str) -> int:
    """Set one cell; return the file line of that row (header = line 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    rows[row_index][column] = value
    write_rows(path, header, rows)
    return row_index + 2


def test_missing_required_column(loaded: tuple[Store, Any], bad: Path, cli: CliRunner) -> None:
    store, before = loaded
    path = bad / "participations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("".join(",".join(cells[:2] + cells[3:]) + "\n" for cells in (x.split(",") for x in lines)))
    with pytest.raises(LoadError, match=r"participations\.csv:1:pic: missing required column 'pic'"):
        load_cordis(bad, store)
    assert_refused(cli, store, before, bad, "participations.csv:1:pic", strict=False)


def test_malformed_row_is_rejected_and_strict_writes_nothing(
    loaded: tuple[Store, Any], bad: Path, cli: CliRunner
) -> None:
    store, before = loaded
    line = replace_cell(bad / "participations.csv", "pic", 3, "12ab")
    with (bad / "participations.csv").open("a", encoding="utf-8") as handle:
        handle.write("193285,participant,999\n")  # too few fields
    report = load_cordis(bad, store, strict=True)
    assert report.failed and not report.written
    texts = [str(r) for r in report.rejections]
    assert any(t.startswith(f"{bad / 'participations.csv'}:{line}:pic: String should match pattern") for t in texts)
    assert any(":*: the row has 3 fields but the header has 15" in t for t in texts)
    assert snapshot(store) == before
    assert_refused(cli, store, before, bad, f"participations.csv:{line}:pic", "nothing was written")
    # Without --strict the good rows land and the bad ones are reported.
    report = load_cordis(bad, store)
    assert report.written and report.rejected_rows == 2
    assert store.counts().labels["Project"] == 2


def test_latin1_file(loaded: tuple[Store, Any], bad: Path, cli: CliRunner) -> None:
    store, before = loaded
    path = bad / "organisations.csv"
    replace_cell(path, "name", 2, "Thüringer Straßenbau GmbH")
    data = path.read_text(encoding="utf-8").encode("latin-1", errors="replace")
    path.write_bytes(data)
    first = next(i for i, byte in enumerate(data) if byte > 127)
    line = data[:first].count(b"\n") + 1
    expected = f"organisations.csv:{line}: not UTF-8 (byte 0x{data[first]:02x} at byte offset {first})"
    with pytest.raises(LoadError) as error:
        load_cordis(bad, store)
    assert expected in str(error.value)
    assert_refused(cli, store, before, bad, f"organisations.csv:{line}", "save it as UTF-8", strict=False)


def test_empty_file(loaded: tuple[Store, Any], bad: Path, cli: CliRunner) -> None:
    store, before = loaded
    (bad / "organisations.csv").write_bytes(b"")
    with pytest.raises(LoadError, match=r"organisations\.csv: the file is empty"):
        load_cordis(bad, store)
    assert_refused(cli, store, before, bad, "organisations.csv", "empty")


def test_binary_garbage_file(loaded: tuple[Store, Any], bad: Path, cli: CliRunner) -> None:
    store, before = loaded
    (bad / "projects.csv").write_bytes(b"rcn,id\n" + bytes(range(256)) * 64)
    with pytest.raises(LoadError, match=r"projects\.csv:2: NUL byte at byte 7: this is a binary file"):
        load_cordis(bad, store)
    (bad / "projects.csv").unlink()  # optional file; now organisations.csv is read first
    (bad / "organisations.csv").write_bytes(b"PK\x03\x04" + os.urandom(4096))
    assert_refused(cli, store, before, bad, "organisations.csv:1: this is a ZIP archive")


def random_text(path: Path, megabytes: int, header: str = "") -> None:
    """``megabytes`` of random printable text in lines of 76 characters."""
    with path.open("wb") as handle:
        handle.write(header.encode())
        for _ in range(megabytes):
            handle.write(base64.encodebytes(os.urandom(768 * 1024)))


def test_50mb_of_random_text(loaded: tuple[Store, Any], bad: Path, cli: CliRunner) -> None:
    store, before = loaded
    random_text(bad / "organisations.csv", 50)
    assert (bad / "organisations.csv").stat().st_size > 50_000_000
    with pytest.raises(LoadError, match=r"organisations\.csv:1:organisationID: missing required column"):
        load_cordis(bad, store)
    assert_refused(cli, store, before, bad, "organisations.csv:1:organisationID: missing required column")


def test_50mb_of_random_rows_under_a_valid_header(loaded: tuple[Store, Any], bad: Path, cli: CliRunner) -> None:
    store, before = loaded
    path = bad / "participations.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0] + "\n"
    random_text(path, 50, header)
    with pytest.raises(LoadError, match=r"more than 1,000 rejected rows .* Nothing was written"):
        load_cordis(bad, store)
    assert_refused(cli, store, before, bad, "participations.csv", "more than 1,000 rejected rows", strict=False)


def test_100kb_name(loaded: tuple[Store, Any], bad: Path, cli: CliRunner) -> None:
    store, before = loaded
    line = replace_cell(bad / "organisations.csv", "name", 1, "Riesen" * 17_000)
    report = load_cordis(bad, store, strict=True)
    assert str(report.rejections[0]) == (
        f"{bad / 'organisations.csv'}:{line}:name: String should have at most 500 characters"
    )
    assert any(r.field == "pic" and "was rejected there" in r.reason for r in report.rejections)
    assert snapshot(store) == before
    assert_refused(cli, store, before, bad, f"organisations.csv:{line}:name: String should have at most 500")
