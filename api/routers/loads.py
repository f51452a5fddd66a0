"""Admin uploads: run the same loaders as ``innograph load`` on an uploaded file and return the same report."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path, PurePath
from typing import Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import admin
from innograph.api.state import ServiceState, get_state
from innograph.errors import LoadError
from innograph.loaders.base import LoadReport
from innograph.loaders.clusters import load_clusters
from innograph.loaders.cordis import load_cordis
from innograph.loaders.profiles import load_profiles

router = APIRouter(tags=["loads"], dependencies=[Depends(admin)])

Source = Literal["profiles", "clusters", "cordis"]
UPLOAD_SUFFIXES = {".csv", ".xlsx", ".zip"}
MAX_UNZIPPED_BYTES = 1024**3  # a zip bomb stops here


class RejectionOut(BaseModel):
    """One rejected row: ``file:row:field: reason``."""

    file: str
    row: int
    field: str
    reason: str


class LoadReportOut(BaseModel):
    """The load report, as the CLI prints it."""

    source: str
    dry_run: bool
    strict: bool
    written: bool
    failed: bool
    rows_read: dict[str, int]
    rejected_rows: int
    rejections: list[RejectionOut]
    nodes: dict[str, int]
    relationships: dict[str, int]
    nodes_created: int
    nodes_updated: int
    relationships_created: int
    review_pairs: int
    seconds: float
    summary: str

    @classmethod
    def of(cls, report: LoadReport) -> LoadReportOut:
        """Convert the loaders' report."""
        return cls(
            source=report.source,
            dry_run=report.dry_run,
            strict=report.strict,
            written=report.written,
            failed=report.failed,
            rows_read={PurePath(f).name: n for f, n in report.rows_read.items()},
            rejected_rows=report.rejected_rows,
            rejections=[
                RejectionOut(file=PurePath(r.file).name, row=r.row, field=r.field, reason=r.reason)
                for r in report.rejections[:1000]
            ],
            nodes=report.nodes,
            relationships=report.relationships,
            nodes_created=report.nodes_created,
            nodes_updated=report.nodes_updated,
            relationships_created=report.relationships_created,
            review_pairs=report.review_pairs,
            seconds=report.seconds,
            summary=report.summary(),
        )


def _safe_name(filename: str | None) -> str:
    name = PurePath(filename or "upload").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise LoadError(f"{name}: upload a .csv, .xlsx or (for cordis) a .zip of the CORDIS files")
    return name


def _unzip(archive: Path, into: Path) -> Path:
    """Extract only plain file names (no paths): a zip cannot write outside ``into``."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            if sum(member.file_size for member in zipped.infolist()) > MAX_UNZIPPED_BYTES:
                raise LoadError(f"{archive.name}: unpacks to more than {MAX_UNZIPPED_BYTES:,} bytes")
            for member in zipped.infolist():
                name = PurePath(member.filename).name
                if member.is_dir() or not name.lower().endswith(".csv"):
                    continue
                (into / name).write_bytes(zipped.read(member))
    except zipfile.BadZipFile as e:
        raise LoadError(f"{archive.name}: not a valid zip archive") from e
    return into


@router.post("/loads/{source}", response_model=LoadReportOut, summary="Load an uploaded file (admin)")
async def upload(
    source: Source,
    file: UploadFile = File(description="profiles/clusters: CSV or XLSX; cordis: a zip of the CSV files"),
    dry_run: bool = Query(False, description="validate and report, write nothing"),
    strict: bool = Query(False, description="write nothing if any row is rejected"),
    state: ServiceState = Depends(get_state),
) -> LoadReportOut:
    """The same validation, resolution and one-transaction write as the CLI.

    A load that wrote builds the path snapshot of the new graph version before it answers, so the
    next ``/paths`` (in any worker) answers from it at once.
    """
    name = _safe_name(file.filename)
    with tempfile.TemporaryDirectory(prefix="innograph-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(await file.read())
        review = state.settings.data_dir / "review" / f"upload-{source}-{path.stem}.csv"
        if source == "cordis":
            if path.suffix.lower() != ".zip":
                raise LoadError(f"{name}: a CORDIS upload is a .zip of organization.csv/project.csv or a slice")
            (Path(folder) / "cordis").mkdir()
            target = _unzip(path, Path(folder) / "cordis")
            loader, target_path = load_cordis, target
        else:
            loader, target_path = (load_profiles if source == "profiles" else load_clusters), path
        report = await run_in_threadpool(
            loader, target_path, state.store, dry_run=dry_run, strict=strict, review_file=review
        )
    if report.written:
        await run_in_threadpool(state.publish_paths, f"load of {source} through the API")
    return LoadReportOut.of(report)
