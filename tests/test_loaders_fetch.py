"""`innograph fetch cordis` against a local HTTP server serving a small ZIP (never the internet)."""

from __future__ import annotations

import functools
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from innograph.cli import app
from innograph.errors import LoadError
from innograph.loaders.cordis import detect_layout
from innograph.loaders.fetch import archive_url, fetch_cordis


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """No request logging in test output."""


@pytest.fixture
def mirror(tmp_path: Path, shared_data: Path) -> Iterator[str]:
    """A local mirror of cordis.europa.eu/data with a small H2020 archive (CSV files in a subfolder)."""
    root = tmp_path / "mirror"
    root.mkdir()
    sample = shared_data / "cordis_format_sample"
    with zipfile.ZipFile(root / "cordis-h2020projects-csv.zip", "w") as bundle:
        bundle.write(sample / "project.csv", "csv/project.csv")
        bundle.write(sample / "organization.csv", "csv/organization.csv")
        bundle.writestr("csv/topics.csv", "topic;title\n")
    (root / "cordis-fp7projects-csv.zip").write_bytes(b"this is not a zip")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_fetch_downloads_and_unpacks_a_loadable_folder(mirror: str, tmp_path: Path, shared_data: Path) -> None:
    out = tmp_path / "h2020"
    files = fetch_cordis("h2020", out, base_url=mirror)
    assert sorted(p.name for p in files) == ["organization.csv", "project.csv"]
    assert (out / "organization.csv").read_bytes() == (
        shared_data / "cordis_format_sample/organization.csv"
    ).read_bytes()
    assert sorted(p.name for p in out.iterdir()) == ["organization.csv", "project.csv"], "no temporary files left"
    assert detect_layout(out).name == "official"


def test_fetch_errors_are_clear(mirror: str, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="not a valid ZIP"):
        fetch_cordis("fp7", tmp_path / "fp7", base_url=mirror)
    with pytest.raises(LoadError, match="HTTP 404"):
        fetch_cordis("horizon-europe", tmp_path / "he", base_url=mirror)
    with pytest.raises(LoadError, match="unknown programme"):
        fetch_cordis("fp6", tmp_path / "fp6", base_url=mirror)
    assert archive_url("horizon-europe") == "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip"


def test_fetch_command(mirror: str, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app, ["fetch", "cordis", "--programme", "h2020", "--out", str(out), "--base-url", mirror]
    )
    assert result.exit_code == 0, result.output
    assert (out / "project.csv").is_file()
    result = CliRunner().invoke(app, ["fetch", "cordis", "--programme", "fp7", "--out", str(out), "--base-url", mirror])
    assert result.exit_code == 1 and "not a valid ZIP" in result.output
