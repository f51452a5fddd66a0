"""Answer quality for the agency's staff on real data: main before this round against the code here.

    .venv/bin/python bench/quality.py [--data ../shared/data/cordis_h2020_thuringia] [--before 559016d]

One run, one graph: the slice is loaded once (by this checkout's loader, which stores the home
flags) into the benchmark's own Neo4j, and both versions answer over their own FastAPI app
(``TestClient``, in a subprocess each: the old version imports its bare ``api``/``queries``
packages from a ``git archive`` of ``--before``). Printed, before and after:

* **direct ties first** — of the pairs of home organisations that share a project, the share whose
  ``/paths?k=1`` answer is that direct tie;
* **home brokers** — of the intermediaries on the top path between home organisations that are not
  tied, the share that are home organisations (staff can call them);
* **home candidates per need** — for each need word, ``/partners?for=<the most active home
  organisation>&keywords=<need>&region=<home prefix>``: how many home organisations are found.

Both versions get the same pairs, needs and source, chosen here from the loaded graph.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from innograph.graph import local_server  # noqa: E402
from innograph.graph.store import Store  # noqa: E402
from innograph.loaders.cordis import load_cordis  # noqa: E402
from innograph.queries.tie_graph import build_tie_graph  # noqa: E402
from innograph.settings import Settings  # noqa: E402

NEEDS = (
    "photonics",
    "Photonik",
    "laser",
    "optics",
    "microfluidic",
    "semiconductor",
    "Halbleiter",
    "battery",
    "hydrogen",
    "sensor",
    "medical",
    "quantum",
)

# Run inside each version's own interpreter: ``app_module`` is "innograph.api.app" or "api.app".
CLIENT = """
import importlib, json, sys
from fastapi.testclient import TestClient
from innograph.settings import Role, Settings
job = json.loads(sys.stdin.read())
settings = Settings(neo4j_port=job["port"], data_dir=job["data_dir"], api_keys={"bench-key": Role.ADMIN})
headers = {"X-API-Key": "bench-key"}
with TestClient(importlib.import_module(job["app_module"]).create_app(settings)) as client:
    def path(a, b):
        answer = client.get("/paths", params={"from": a, "to": b, "k": 1}, headers=headers).json()
        return [hop["to_id"] for hop in answer["paths"][0]["hops"]] if answer.get("paths") else None
    result = {"direct": [path(*pair) for pair in job["direct"]], "other": [path(*pair) for pair in job["other"]]}
    result["needs"] = {}
    for need in job["needs"]:
        params = {"for": job["source"], "keywords": need, "region": job["region"], "limit": 200}
        answer = client.get("/partners", params=params, headers=headers).json()
        result["needs"][need] = [c["organisation"]["id"] for c in answer.get("candidates", [])]
print(json.dumps(result))
"""


def run_version(job: dict, app_module: str, root: Path | None) -> dict:
    """Answers of one version; ``root`` is prepended to ``sys.path`` (the old checkout)."""
    prelude = f"import sys; sys.path.insert(0, {str(root)!r})\n" if root else ""
    command = [sys.executable, "-c", prelude + CLIENT]
    done = subprocess.run(
        command, input=json.dumps({**job, "app_module": app_module}), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{app_module} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def old_checkout(ref: str, into: Path) -> Path:
    """The repository at ``ref`` as files (``git archive``), for the "before" answers."""
    archive = into / "before.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), ref], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "before", filter="data")
    return into / "before"


def share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({100 * hits / total:.0f} %)" if total else "0/0"


def summary(result: dict, job: dict, home: set[str]) -> dict[str, str]:
    """The figures of one version's answers."""
    direct = sum(route == [b] for route, (_, b) in zip(result["direct"], job["direct"], strict=True))
    brokers = [node for route in result["other"] if route for node in route[:-1]]
    figures = {
        "direct ties answered first": share(direct, len(job["direct"])),
        "top-path intermediaries at home": share(sum(node in home for node in brokers), len(brokers)),
    }
    for need, found in result["needs"].items():
        figures[f"home candidates: {need}"] = str(sum(org in home for org in found))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "cordis_h2020_thuringia")
    parser.add_argument("--before", default="559016d", help="git ref of the version to compare against")
    parser.add_argument("--home", default="DEG", help="home NUTS prefix")
    parser.add_argument("--port", type=int, default=17697)
    args = parser.parse_args()
    settings = Settings(
        neo4j_port=args.port, data_dir=REPO / ".innograph-bench" / "quality", home_regions=args.home
    )
    local_server.start(settings)
    with Store.connect(settings) as store:
        store.clear()
        load_cordis(args.data, store)
        ties = build_tie_graph(store.to_networkx())
    home = {node for node in ties.ids if ties.graph.nodes[node].get("home")}
    pairs = list(itertools.combinations(sorted(home), 2))
    direct = [(a, b) for a, b in pairs if ties.graph.has_edge(a, b) and ties.graph.edges[a, b]["projects"]]
    other = [(a, b) for a, b in pairs if not ties.graph.has_edge(a, b)]
    source = max(home, key=lambda node: (ties.graph.nodes[node].get("projects", 0), node))
    job = {
        "port": args.port,
        "data_dir": str(settings.data_dir),
        "direct": direct,
        "other": other,
        "needs": list(NEEDS),
        "source": source,
        "region": args.home,
    }
    with tempfile.TemporaryDirectory() as tmp:
        before = summary(run_version(job, "api.app", old_checkout(args.before, Path(tmp))), job, home)
    after = summary(run_version(job, "innograph.api.app", None), job, home)
    print(f"{args.data.name}: {len(ties.ids):,} organisations, {len(home)} home ({args.home}); "
          f"partner source {ties.graph.nodes[source]['name']} ({source})")  # fmt: skip
    width = max(map(len, before))
    print(f"{'':<{width}}  {'before (' + args.before + ')':>22}  {'after':>22}")
    for name in before:
        print(f"{name:<{width}}  {before[name]:>22}  {after[name]:>22}")


if __name__ == "__main__":
    main()
