"""schemathesis against the running app's own OpenAPI schema: no 5xx, no response that breaks the schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from innograph.graph.store import Store
from tests.helpers import KEY, LiveServer

ADMIN = KEY["admin"]


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors_or_schema_violations(
    live_api: LiveServer,
    api_ecosystem: Store,
    tmp_path: Path,
) -> None:
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis is missing: pip install -e '.[dev]'"
    proc = subprocess.run(
        [
            st,
            "run",
            f"{live_api.url}/openapi.json",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--header",
            f"X-API-Key: {ADMIN}",
            "--max-examples",
            "5",
            "--max-time",
            "90",
            "--seed",
            "7",
            "--workers",
            "1",
            "--request-timeout",
            "60",
            "--phases",
            "examples,coverage,fuzzing",
            "--exclude-path",
            "/loads/{source}",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    assert "passed" in output.lower()
