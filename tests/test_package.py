"""The package as a whole: every module's docstring examples pass, every module imports on its own, the wheel works.

The modules are found by walking the package: ``innograph`` itself and each subpackage named in
``[tool.setuptools.package-dir]`` of pyproject.toml (they are mapped folders, so each one's
``__path__`` is walked with its own prefix). ``pytest --doctest-modules`` is not used on the folders:
it would import them under their bare names (``graph.store``), a second copy of every module.
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import REPO

SKIPPED = {"innograph.__main__"}  # running it is running the CLI


def package_roots() -> list[str]:
    """``innograph`` and its mapped subpackages, as pyproject.toml's package-dir names them."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["tool"]["setuptools"]["package-dir"])


def package_modules() -> list[str]:
    """Every module and package of the installed package, sorted, without ``SKIPPED``."""
    found: set[str] = set()
    for root in package_roots():
        package = importlib.import_module(root)
        found.add(root)
        # onerror: a subpackage that fails to import is kept, so its test fails instead of its modules vanishing
        walk = pkgutil.walk_packages(package.__path__, prefix=f"{root}.", onerror=found.add)
        found.update(info.name for info in walk)
    return sorted(found - SKIPPED)


MODULES = package_modules()


def test_the_walk_sees_every_folder_and_runs_examples() -> None:
    roots = package_roots()
    assert roots[0] == "innograph" and set(roots[1:]) >= {
        f"innograph.{f}" for f in ("graph", "loaders", "queries", "api", "viz")
    }
    for root in roots:
        assert any(name.startswith(f"{root}.") for name in MODULES), f"nothing found under {root}"
    assert any(name.count(".") >= 3 for name in MODULES), "nested subpackages are not walked"
    assert "innograph.queries.tie_graph" in MODULES and "innograph.graph.store" in MODULES
    attempted = sum(doctest.testmod(importlib.import_module(name), report=False).attempted for name in MODULES)
    assert attempted > 0


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name} (output above)"


def _import_alone(name: str, cwd: Path) -> tuple[str, int, str]:
    proc = subprocess.run(
        [sys.executable, "-c", f"import {name}"], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    return name, proc.returncode, proc.stderr


@pytest.mark.slow
def test_every_module_imports_on_its_own(tmp_path: Path) -> None:
    """Each module in a fresh interpreter, outside the repository (so only the installed package is seen)."""
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda name: _import_alone(name, tmp_path), MODULES))
    failed = [f"--- import {name} (exit {code})\n{stderr[-3000:]}" for name, code, stderr in results if code]
    assert not failed, "\n".join(failed)


# --- the wheel ----------------------------------------------------------------------


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


SIDE_BY_SIDE = """
import json, sys
import queries
import innograph
import innograph.queries.metrics
print(json.dumps({
    "queries": queries.__file__,
    "innograph": innograph.__file__,
    "metrics": innograph.queries.metrics.__file__,
    "editable_finder": any("editable" in str(getattr(f, "__module__", "")) for f in sys.meta_path),
    "prefix": sys.prefix,
}))
"""


@pytest.mark.slow
def test_the_wheel_installs_innograph_only_beside_pypis_queries(tmp_path: Path) -> None:
    """The wheel's one top-level name is ``innograph``, with its data files; PyPI's ``queries`` can sit beside it."""
    import json

    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, REPO, cwd=tmp_path)
    (wheel,) = wheels.glob("innograph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        assert archive.read(top_level).decode().split() == ["innograph"]
    assert "innograph/graph/launcher/pom.xml" in names
    assert any(n.startswith("innograph/api/templates/") and n.endswith(".html") for n in names)
    assert any(n.startswith("innograph/viz/templates/") and n.endswith(".html") for n in names)
    assert {n.split("/")[0] for n in names if not n.startswith("innograph-")} == {"innograph"}

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    pip = (python, "-m", "pip", "install", "-q", "--disable-pip-version-check")
    _run(*pip, "--no-deps", wheel, cwd=tmp_path)
    # PyPI's queries (the PostgreSQL client) needs psycopg2, which comes as source only: its binary build
    # provides the same module without a compiler or libpq headers.
    _run(*pip, "--no-deps", "queries", cwd=tmp_path)
    _run(*pip, "psycopg2-binary", cwd=tmp_path)
    # innograph's dependencies come from the running environment through a path line (a .pth in the
    # fresh site-packages); .pth files of that added folder are not processed, so the editable finder of
    # the development install stays off and innograph can only come from the wheel.
    fresh_site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).stdout.strip()
    )
    (fresh_site / "innograph-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    script = tmp_path / "side_by_side.py"
    script.write_text(SIDE_BY_SIDE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    proc = subprocess.run(
        [str(python), str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not seen["editable_finder"]
    for key in ("queries", "innograph", "metrics"):
        assert Path(seen[key]).is_relative_to(fresh_site), (key, seen[key])
    assert Path(seen["queries"]).parent.name == "queries"
    assert not Path(seen["queries"]).is_relative_to(fresh_site / "innograph")
    assert Path(seen["metrics"]) == fresh_site / "innograph" / "queries" / "metrics.py"
