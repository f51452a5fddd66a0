"""No wait after a load, and one build for all workers (issue #14), over real HTTP on the real Neo4j.

The signal is the build log of the path snapshots (``<data dir>/paths/builds.log``, one line per
build with its reason), never a wall-clock limit: a request that built would add a line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from innograph.graph.store import Store
from innograph.queries.path_snapshot import PathSnapshots, snapshot_folder
from innograph.settings import Settings
from tests.helpers import API_KEYS, KEY, REPO, LiveServer, api_get, free_port, upload_profiles


def org_id(server: LiveServer, name: str) -> str:
    hits = api_get(server, "/organisations", q=name, match="name").json()["items"]
    return next(hit["id"] for hit in hits if hit["name"] == name)


def test_after_a_load_through_the_api_the_next_paths_answer_reflects_it_without_a_build(
    live_api: LiveServer, store: Store, neo4j_settings: Settings
) -> None:
    builds = PathSnapshots(snapshot_folder(neo4j_settings.data_dir)).builds
    upload_profiles(
        live_api, ["Alpha Optik GmbH;Unternehmen;Jena;Beta Laser GmbH", "Beta Laser GmbH;Unternehmen;Erfurt;"]
    )
    a, b = org_id(live_api, "Alpha Optik GmbH"), org_id(live_api, "Beta Laser GmbH")
    after_load = builds()
    assert after_load[-1]["reason"] == "load of profiles through the API"
    version = api_get(live_api, "/health").json()["graph_version"]
    answer = api_get(live_api, "/paths", **{"from": a, "to": b}).json()
    assert answer["graph_version"] == version and answer["already_partners"]
    assert builds() == after_load  # the request mapped the load's snapshot: it built nothing

    def gamma_hits() -> int:
        return api_get(live_api, "/organisations", q="Gamma Sensorik", match="name").json()["total"]

    assert gamma_hits() == 0 and gamma_hits() == 0  # the second answer comes from the answer cache
    upload_profiles(live_api, ["Gamma Sensorik GmbH;Unternehmen;Ilmenau;Beta Laser GmbH"])
    assert gamma_hits() == 1  # the write moved the version: no cached answer of the old one is served
    c = org_id(live_api, "Gamma Sensorik GmbH")
    second_load = builds()
    assert len(second_load) == len(after_load) + 1 and second_load[-1]["version"] > after_load[-1]["version"]
    answer = api_get(live_api, "/paths", **{"from": a, "to": c}).json()
    assert answer["graph_version"] == api_get(live_api, "/health").json()["graph_version"] > version
    assert [hop["to_id"] for hop in answer["paths"][0]["hops"]] == [b, c]
    assert builds() == second_load
    tie = api_get(live_api, "/ties", **{"from": b, "to": c}).json()
    assert tie["kind"] == "declared" and tie["more_projects"] == 0
    assert api_get(live_api, "/ties", **{"from": a, "to": c}).status_code == 404


def _serve(settings: Settings, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """``innograph serve --workers 2`` on the test Neo4j, with its own data folder (so its own snapshots)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("INNOGRAPH_")}
    env |= {
        "INNOGRAPH_API_KEYS": json.dumps(API_KEYS),
        "INNOGRAPH_NEO4J_PORT": str(settings.neo4j_port),
        "INNOGRAPH_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "INNOGRAPH_DATA_DIR": str(data_dir),
    }
    command = [sys.executable, "-m", "innograph", "serve", "--workers", "2", "--port", str(port)]
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _workers(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]


def _maps(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` has the snapshot folder's arrays mapped."""
    return str(folder / "indices.npy") in Path(f"/proc/{pid}/maps").read_text()


def test_two_workers_serve_the_same_version_from_one_build(
    api_ecosystem: Store, neo4j_settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    server = _serve(neo4j_settings, tmp_path, port)
    url, headers = f"http://127.0.0.1:{port}", {"X-API-Key": KEY["viewer"]}
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "innograph serve did not start"
            time.sleep(0.3)
        version = api_ecosystem.versions().paths
        folder = snapshot_folder(tmp_path) / f"v{version}"
        workers = _workers(server.pid)
        assert len(workers) == 2
        answers = []
        while not all(_maps(pid, folder) for pid in workers):  # new connections land on either worker
            assert time.monotonic() < deadline + 60, "a worker never answered /paths"
            answers.append(httpx.get(url + "/paths", params={"from": "a", "to": "d"}, headers=headers, timeout=60))
        served = {(r.status_code, r.json()["graph_version"]) for r in answers}
        assert served == {(200, api_ecosystem.version())}
        builds = PathSnapshots(snapshot_folder(tmp_path)).builds()
        assert [b["version"] for b in builds] == [version]  # one build, by whichever worker came first
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
