"""``bench/paths.py --throughput``: wrk against the real app over HTTP on the real Neo4j.

What the throughput figures rest on: the Lua script the benchmark writes sends the API key and cycles
through every request path (a mix of answered and unknown pairs gives both 2xx and 404 answers), wrk's
``done()`` summary is parsed into counts and percentiles, a run with a non-2xx answer is marked failed,
a missing wrk exits 2 saying how to install it, and the memory figure reads ``smaps_rollup``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from innograph.graph.store import Store
from tests.helpers import KEY, LiveServer

BENCH = Path(__file__).resolve().parent.parent / "bench" / "paths.py"
WRK = shutil.which("wrk")
needs_wrk = pytest.mark.skipif(WRK is None, reason="wrk is not installed (Debian: apt-get install wrk)")


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    """The benchmark script as a module (``bench/`` is not a package; its dataclasses need it in sys.modules)."""
    spec = importlib.util.spec_from_file_location("bench_paths", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def this_process() -> list[int]:
    """The live API runs in a thread of the test process: its CPU is this process's."""
    return [os.getpid()]


@needs_wrk
def test_wrk_run_cycles_the_paths_with_the_key(bench: ModuleType, live_api: LiveServer, api_ecosystem: Store) -> None:
    paths = [bench.paths_request("a", "d", 3), bench.paths_request("d", "b", 1), "/health"]
    run = bench.run_wrk(WRK, live_api.url, KEY["viewer"], "/paths mix", paths, 2, 1.0, this_process)
    assert run.requests > 0 and run.non_2xx == 0 and run.socket_errors == 0 and not run.failed
    assert 0 < run.p50_ms <= run.p99_ms
    assert run.response_bytes > 200  # JSON answers with their headers
    assert run.server_cpu_ms > 0 and run.wrk_cores >= 0
    assert run.rps == pytest.approx(run.requests / run.seconds)


@needs_wrk
def test_non_2xx_answers_mark_the_run_failed(bench: ModuleType, live_api: LiveServer, api_ecosystem: Store) -> None:
    known, unknown = bench.paths_request("a", "d", 1), bench.paths_request("a", "no such organisation", 1)
    run = bench.run_wrk(WRK, live_api.url, KEY["viewer"], "/paths 404", [known, unknown], 1, 1.0, this_process)
    # one connection alternates the two paths: about half the answers are 404s, and no more than that
    assert 0 < run.non_2xx < run.requests and abs(2 * run.non_2xx - run.requests) <= 2
    assert run.failed


@needs_wrk
def test_wrong_key_fails_every_request(bench: ModuleType, live_api: LiveServer, api_ecosystem: Store) -> None:
    known = [bench.paths_request("a", "d", 1)]
    run = bench.run_wrk(WRK, live_api.url, "not-a-key", "/paths", known, 1, 1.0, this_process)
    assert run.requests > 0 and run.non_2xx == run.requests and run.failed


def test_missing_wrk_exits_2_with_how_to_install(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no wrk on the PATH
    with pytest.raises(SystemExit) as exited:
        bench.wrk_binary()
    assert exited.value.code == 2
    assert "apt-get install wrk" in capsys.readouterr().err


def test_memory_of_a_process(bench: ModuleType) -> None:
    pss, rss = bench.memory_mb(this_process())
    assert 0 < pss <= rss
    assert bench.memory_mb([]) == (0, 0)
