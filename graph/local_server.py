"""Run a real Neo4j Community server on this machine for laptops, tests and CI.

The server is the small Java launcher under ``graph/launcher`` (Neo4j's
embedded API with only the Bolt connector, on 127.0.0.1, authentication on).
It is built with Maven on first use into ``<data_dir>/launcher`` — every jar is
copied there, so later starts need no network — and runs detached from the
command that started it; its pid lives in ``<data_dir>/neo4j.pid`` and its
output in ``<data_dir>/neo4j.log``.

Every failure a user can meet (Java missing or too old, Maven missing, port in
use, data folder locked) is raised as one clear :class:`LocalServerError` line.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from innograph.errors import LocalServerError
from innograph.settings import Settings

LAUNCHER_SOURCE = Path(__file__).parent / "launcher"
MAIN_CLASS = "org.innograph.launcher.Main"
MIN_JAVA = 17
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class ServerStatus:
    """What ``innograph neo4j status`` reports."""

    running: bool
    pid: int | None
    uri: str
    reachable: bool


def _paths(settings: Settings) -> tuple[Path, Path, Path, Path]:
    """(build dir, database dir, pid file, log file) under the data folder."""
    base = settings.data_dir.resolve()
    return base / "launcher", base / "neo4j", base / "neo4j.pid", base / "neo4j.log"


def java_major_version(java: str = "java") -> int:
    """The major version of ``java`` on the PATH; raises when Java is missing."""
    exe = shutil.which(java)
    if exe is None:
        raise LocalServerError(f"Java not found: install Java {MIN_JAVA} or newer (e.g. openjdk-17-jdk)")
    out = subprocess.run([exe, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if match is None:
        raise LocalServerError(f"cannot read the Java version from: {out.strip()[:200]}")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _source_digest() -> str:
    """A hash of the launcher's pom and sources: a change triggers a rebuild."""
    digest = hashlib.sha256()
    for path in sorted(LAUNCHER_SOURCE.rglob("*")):
        if path.is_file() and "target" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_built(settings: Settings) -> Path:
    """Build the launcher with Maven unless an up-to-date build exists; return the build dir."""
    build_dir, _, _, _ = _paths(settings)
    stamp = build_dir / "source.sha256"
    digest = _source_digest()
    if stamp.exists() and stamp.read_text() == digest and (build_dir / "lib").is_dir():
        return build_dir
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalServerError("Maven not found: install Maven (e.g. apt install maven) to build the Neo4j launcher")
    build_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(LAUNCHER_SOURCE / "pom.xml"),
            f"-Dlauncher.buildDir={build_dir}",
            "-DskipTests",
            "package",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "ERROR" in ln]
        detail = lines[0] if lines else (proc.stdout + proc.stderr).strip()[-300:]
        raise LocalServerError(f"Maven could not build the Neo4j launcher: {detail}")
    stamp.write_text(digest)
    return build_dir


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _read_pid(pid_file: Path) -> int | None:
    """The pid from the pid file if that process is alive and is our launcher."""
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if MAIN_CLASS.encode() in cmdline else None


def _reachable(settings: Settings, timeout: float = 2.0) -> bool:
    """True when Bolt answers and accepts the configured credentials."""
    driver = GraphDatabase.driver(
        settings.effective_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        connection_timeout=timeout,
    )
    try:
        driver.verify_connectivity()
        return True
    except (ServiceUnavailable, Neo4jError, OSError):
        return False
    finally:
        driver.close()


def status(settings: Settings) -> ServerStatus:
    """Whether the local server runs (pid alive) and answers on Bolt."""
    _, _, pid_file, _ = _paths(settings)
    pid = _read_pid(pid_file)
    return ServerStatus(
        running=pid is not None,
        pid=pid,
        uri=settings.effective_uri,
        reachable=pid is not None and _reachable(settings),
    )


def _launcher_error(log_file: Path, data_dir: Path, port: int) -> str:
    """One clear line from the launcher's ``ERROR:`` output."""
    text = log_file.read_text(errors="replace") if log_file.exists() else ""
    errors = [ln[len("ERROR: ") :] for ln in text.splitlines() if ln.startswith("ERROR: ")]
    detail = errors[-1] if errors else (text.strip().splitlines() or ["no output"])[-1]
    if "lock" in detail.lower():
        return f"data folder {data_dir} is locked by another Neo4j server ({detail[:200]})"
    if "address already in use" in detail.lower() or "bind" in detail.lower():
        return f"port {port} is already in use"
    return f"the Neo4j launcher failed: {detail[:500]} (see {log_file})"


def start(settings: Settings) -> tuple[ServerStatus, bool]:
    """Start the local server and wait until Bolt answers.

    Returns the status and whether this call started it (False = already running).
    """
    current = status(settings)
    if current.running:
        return current, False
    port = settings.neo4j_port
    if port_in_use(port):
        raise LocalServerError(f"port {port} is already in use (set INNOGRAPH_NEO4J_PORT to another port)")
    java_version = java_major_version()
    if java_version < MIN_JAVA:
        raise LocalServerError(f"Java {java_version} found, Neo4j 5.26 needs Java {MIN_JAVA} or newer")
    build_dir = ensure_built(settings)
    _, db_dir, pid_file, log_file = _paths(settings)
    db_dir.mkdir(parents=True, exist_ok=True)
    password = settings.neo4j_password.get_secret_value()
    if len(password) < 8:
        raise LocalServerError("INNOGRAPH_NEO4J_PASSWORD must have at least 8 characters for the local server")
    classpath = f"{next(build_dir.glob('*.jar'))}{os.pathsep}{build_dir / 'lib'}/*"
    command = [
        "java",
        f"-Xmx{settings.neo4j_heap_mb}m",
        "-XX:+UseG1GC",
        "-cp",
        classpath,
        MAIN_CLASS,
        str(db_dir),
        str(port),
        str(settings.neo4j_page_cache_mb),
    ]
    env = {**os.environ, "INNOGRAPH_NEO4J_PASSWORD": password}
    with log_file.open("w") as log:
        proc = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    pid_file.write_text(str(proc.pid))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pid_file.unlink(missing_ok=True)
            raise LocalServerError(_launcher_error(log_file, db_dir, port))
        if "READY" in log_file.read_text(errors="replace") and _reachable(settings):
            return status(settings), True
        time.sleep(0.3)
    proc.terminate()
    pid_file.unlink(missing_ok=True)
    raise LocalServerError(f"Neo4j did not answer on {settings.effective_uri} within {START_TIMEOUT_S:.0f} s")


def stop(settings: Settings) -> bool:
    """Shut the local server down cleanly; returns False when it was not running."""
    _, _, pid_file, _ = _paths(settings)
    pid = _read_pid(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)  # the launcher's shutdown hook closes the databases
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        _reap(pid)
        time.sleep(0.2)
    if Path(f"/proc/{pid}").exists():
        raise LocalServerError(f"Neo4j (pid {pid}) did not stop within {STOP_TIMEOUT_S:.0f} s")
    pid_file.unlink(missing_ok=True)
    while port_in_use(settings.neo4j_port) and time.monotonic() < deadline:
        time.sleep(0.1)
    return True


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child (so it leaves no zombie)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
