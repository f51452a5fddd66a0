"""Download the official CORDIS bulk files from the EU open-data portal (for users who are online).

CORDIS publishes one ZIP per framework programme at
``https://cordis.europa.eu/data/cordis-<programme>projects-csv.zip`` (also listed on
data.europa.eu). :func:`fetch_cordis` downloads it (streamed, to a temporary file
beside the target), and unpacks ``project.csv`` and ``organization.csv`` — wherever
they sit inside the archive — into the target folder, ready for
``innograph load cordis``. Nothing is left half-downloaded: files are renamed into
place only when complete.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from innograph.console import errors
from innograph.errors import LoadError

DEFAULT_BASE_URL = "https://cordis.europa.eu/data/"
PROGRAMMES: dict[str, str] = {
    "h2020": "cordis-h2020projects-csv.zip",
    "horizon-europe": "cordis-HORIZONprojects-csv.zip",
    "fp7": "cordis-fp7projects-csv.zip",
}
WANTED = ("project.csv", "organization.csv")
CHUNK = 1 << 16


def archive_url(programme: str, base_url: str | None = None) -> str:
    """The download address of a programme's bulk ZIP."""
    if programme not in PROGRAMMES:
        raise LoadError(f"unknown programme {programme!r}: expected one of {', '.join(PROGRAMMES)}")
    return (base_url or DEFAULT_BASE_URL).rstrip("/") + "/" + PROGRAMMES[programme]


def fetch_cordis(
    programme: str, out: Path, *, base_url: str | None = None, timeout: float = 60.0, progress: bool = False
) -> list[Path]:
    """Download a programme's ZIP and unpack project.csv and organization.csv into ``out``."""
    url = archive_url(programme, base_url)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".fetch-") as tmp:
        archive = Path(tmp) / PROGRAMMES[programme]
        _download(url, archive, timeout, progress)
        return _unpack(url, archive, out, Path(tmp))


def _download(url: str, target: Path, timeout: float, progress: bool) -> None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, target.open("wb") as handle:
            total = int(response.headers.get("Content-Length") or 0)
            columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
            with Progress(*columns, console=errors, transient=True, disable=not progress) as bar:
                task = bar.add_task(f"downloading {PurePosixPath(url).name}", total=total or None)
                while chunk := response.read(CHUNK):
                    handle.write(chunk)
                    bar.advance(task, len(chunk))
    except urllib.error.HTTPError as e:
        raise LoadError(f"download failed: {url}: HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise LoadError(f"download failed: {url}: {e} (no internet? try --base-url with a mirror)") from e


def _unpack(url: str, archive: Path, out: Path, staging: Path) -> list[Path]:
    """Extract the wanted CSV files by base name (never trusting paths inside the archive)."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = {PurePosixPath(info.filename).name.lower(): info for info in bundle.infolist()}
            missing = [name for name in WANTED if name not in members]
            if missing:
                listed = ", ".join(sorted(members)[:20])
                raise LoadError(f"{url}: the archive has no {', '.join(missing)} (it holds: {listed})")
            staged = []
            for name in WANTED:
                target = staging / name
                with bundle.open(members[name]) as source, target.open("wb") as handle:
                    shutil.copyfileobj(source, handle)
                staged.append(target)
    except zipfile.BadZipFile as e:
        raise LoadError(f"{url}: the download is not a valid ZIP archive ({e})") from e
    return [Path(shutil.move(str(path), out / path.name)) for path in staged]
