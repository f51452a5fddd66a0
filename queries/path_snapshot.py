"""The path graph as flat arrays in files: built once per graph version per machine, mapped by every worker.

A :class:`~innograph.queries.tie_graph.TieGraph` is a NetworkX graph with pydantic evidence on
every edge: seconds to build (a minute on the 5k synthetic graph) and hundreds of megabytes per
process. Everything a path answer needs is kept here instead as NumPy arrays, one ``.npy`` file
each, in a folder per *paths version* under ``<data dir>/paths/``:

* the search arrays (compressed sparse rows of the ties, routing costs per entry for the default
  query, broker costs, components, node kinds);
* the nodes' names and places, the projects, declarations and cluster memberships behind every
  tie (strings as one UTF-8 array plus offsets, :class:`Strings`);
* the nodes' searchable profile texts (place, text, folded text), which the topic search of
  ``GET /organisations?q=`` reads (:func:`innograph.queries.competence.topics_from_store`).

Workers open the folder with ``mmap``: the operating system shares the pages between them, opening
takes milliseconds and nothing is parsed. :class:`PathSnapshots` builds a folder at most once per
version on the machine (a file lock; the loser of a race opens the winner's folder) and appends a
line to ``builds.log`` for each build, which is how tests count builds.

The *paths version* is the graph version of the last write that changed the path graph's input
(:data:`innograph.graph.cypher.BUMP_VERSION`): writing metrics or saving an event does not make a
new snapshot.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any, get_args

import numpy as np

from innograph.errors import NotFoundError
from innograph.graph.store import Store
from innograph.queries.tie_graph import (
    UNDATED,
    ClusterEvidence,
    DeclaredEvidence,
    Evidence,
    ProfilePlace,
    ProjectEvidence,
    TieGraph,
    build_tie_graph,
    strength_of,
)

FORMAT = 2
"""Version of the folder layout; a folder of another format is rebuilt, never read."""
KEEP = 3
"""Snapshot folders kept per data folder (the newest); workers still mapping an older one keep their mapping."""
COST_MEMO = 8
"""Routing-cost arrays per process for other queries than the default ones (``since`` years)."""
NONE = -1
"""Integer columns: no value (a year, a cluster membership's start, a missing manager)."""
PROFILE_PLACES: tuple[ProfilePlace, ...] = get_args(ProfilePlace)
"""``profile_place`` codes: the index of the place in this tuple."""
Profile = tuple[tuple[ProfilePlace, str, str], ...]
"""A node's searchable texts: ``(place, text, folded text)`` as :class:`TieGraph` nodes keep them in ``profile``."""
_log = logging.getLogger("innograph.paths")


class Strings:
    """A column of optional strings as one UTF-8 byte array and offsets (``""`` reads back as ``None``)."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray) -> None:
        self.data = data
        self.offsets = offsets

    @classmethod
    def of(cls, values: Sequence[str | None]) -> Strings:
        """Pack ``values``.

        >>> column = Strings.of(["Jena", None, "Erfurt"])
        >>> column[0], column[1], column[2], len(column)
        ('Jena', None, 'Erfurt', 3)
        """
        encoded = [(value or "").encode() for value in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(item) for item in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str | None:
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.data[start:end].tobytes().decode() if end > start else None

    def all(self) -> list[str | None]:
        """Every value, decoding the column once."""
        text, offsets = self.data.tobytes(), self.offsets.tolist()
        return [text[a:b].decode() if b > a else None for a, b in pairwise(offsets)]


ARRAYS = (
    "indptr", "indices", "entry_edge", "kind_code", "home", "broker_costs", "component",
    "base_x", "pair_factor", "edge_project_ptr", "edge_projects", "edge_declared", "edge_cluster_ptr",
    "project_w", "project_year", "project_start", "project_end", "project_size",
    "cluster_member", "cluster_manager", "cluster_since", "costs_brokers", "costs_plain",
    "profile_ptr", "profile_place",
)  # fmt: skip
STRINGS = (
    "node_id", "node_name", "node_city", "node_region", "node_country",
    "project_id", "project_acronym", "project_title", "declared_sources", "cluster_id", "cluster_name",
    "profile_text", "profile_folded",
)  # fmt: skip
SOURCE_SEPARATOR = "\x1f"
"""Between the sources of one declared partnership in ``declared_sources``."""


def _year(value: int | None) -> int:
    return NONE if value is None else int(value)


def _or_none(value: Any) -> int | None:
    return None if int(value) == NONE else int(value)


class PathSnapshot:
    """Everything a path answer reads, as arrays; build with :meth:`of`, map a written folder with :meth:`open`.

    It answers to the same names as :class:`TieGraph` where the search reads them (``ids``,
    ``index``, ``kinds``, ``indptr``, ``indices``, ``degree``, ``nonempty_rows``,
    :meth:`entry_costs`, ``broker_costs``), and gives node attributes (:meth:`node`) and a tie's
    strength and evidence (:meth:`tie`) from the arrays.
    """

    def __init__(self, meta: dict[str, Any], arrays: dict[str, np.ndarray], strings: dict[str, Strings]) -> None:
        self.meta = meta
        self.version: int = meta["version"]
        self.arrays = arrays
        self.strings = strings
        self.ids: list[str] = [node or "" for node in strings["node_id"].all()]
        self.index: dict[str, int] = {node: i for i, node in enumerate(self.ids)}
        self.kinds = np.array(meta["kinds"], dtype=object)[arrays["kind_code"]] if self.ids else np.zeros(0, object)
        self.indptr, self.indices = arrays["indptr"], arrays["indices"]
        self.broker_costs = arrays["broker_costs"]
        self._costs: OrderedDict[tuple[int, bool], np.ndarray] = OrderedDict()
        self._costs_lock = threading.Lock()

    # -- building, writing, opening --

    @classmethod
    def of(cls, ties: TieGraph, version: int | None = None) -> PathSnapshot:
        """The snapshot of a tie graph (in memory; :meth:`write` puts it in a folder)."""
        graph, ids = ties.graph, ties.ids
        kinds = sorted(set(ties.kinds.tolist()))
        edges = [(ids[a], ids[b]) for a, b in _edge_ends(ties)]
        projects = sorted(ties.project_weight)
        project_index = {pid: i for i, pid in enumerate(projects)}
        details: dict[str, ProjectEvidence] = {}
        edge_projects: list[int] = []
        project_ptr, cluster_ptr, declared = [0], [0], []
        sources: list[str] = []
        cluster_rows: list[ClusterEvidence] = []
        for u, v in edges:
            data = graph.edges[u, v]
            for project in data["projects"]:
                details.setdefault(project.id, project)
                edge_projects.append(project_index[project.id])
            project_ptr.append(len(edge_projects))
            if data["declared"] is not None:
                declared.append(len(sources))
                sources.append(SOURCE_SEPARATOR.join(data["declared"].sources))
            else:
                declared.append(NONE)
            cluster_rows.extend(data["clusters"])
            cluster_ptr.append(len(cluster_rows))
        shown = [details.get(pid) for pid in projects]
        nodes = [graph.nodes[node] for node in ids]
        profiles: list[Profile] = [data.get("profile", ()) for data in nodes]  # cluster nodes have none
        texts = [entry for profile in profiles for entry in profile]
        component = ties.component
        arrays = {
            "indptr": ties.indptr.astype(np.int64),
            "indices": ties.indices.astype(np.int64),
            "entry_edge": ties.entry_edge.astype(np.int64),
            "kind_code": np.searchsorted(np.array(kinds, dtype=object), ties.kinds).astype(np.int8),
            "home": ties.home.astype(bool),
            "broker_costs": ties.broker_costs.astype(float),
            "component": np.array([component[node] for node in ids], dtype=np.int64),
            "base_x": ties.base_x.astype(float),
            "pair_factor": ties.pair_factor.astype(float),
            "edge_project_ptr": np.array(project_ptr, dtype=np.int64),
            "edge_projects": np.array(edge_projects, dtype=np.int64),
            "edge_declared": np.array(declared, dtype=np.int64),
            "edge_cluster_ptr": np.array(cluster_ptr, dtype=np.int64),
            "project_w": ties.project_w.astype(float),
            "project_year": ties.project_year.astype(np.int64),
            "project_start": np.array([_year(p and p.start_year) for p in shown], dtype=np.int64),
            "project_end": np.array([_year(p and p.end_year) for p in shown], dtype=np.int64),
            "project_size": np.array([p.consortium_size if p else 2 for p in shown], dtype=np.int64),
            "cluster_member": np.array([ties.index[c.member_id] for c in cluster_rows], dtype=np.int64),
            "cluster_manager": np.array(
                [NONE if c.manager_id is None else ties.index[c.manager_id] for c in cluster_rows], dtype=np.int64
            ),
            "cluster_since": np.array([_year(c.since) for c in cluster_rows], dtype=np.int64),
            "costs_brokers": ties.entry_costs(None, True),
            "costs_plain": ties.entry_costs(None, False),
            "profile_ptr": np.concatenate([[0], np.cumsum([len(p) for p in profiles], dtype=np.int64)]),
            "profile_place": np.array([PROFILE_PLACES.index(place) for place, _, _ in texts], dtype=np.int8),
        }
        strings = {
            "node_id": Strings.of(ids),
            "node_name": Strings.of([data["name"] for data in nodes]),
            "node_city": Strings.of([data.get("city") for data in nodes]),
            "node_region": Strings.of([data.get("region") for data in nodes]),
            "node_country": Strings.of([data.get("country") for data in nodes]),
            "project_id": Strings.of(projects),
            "project_acronym": Strings.of([p and p.acronym for p in shown]),
            "project_title": Strings.of([p and p.title for p in shown]),
            "declared_sources": Strings.of(sources),
            "cluster_id": Strings.of([c.id for c in cluster_rows]),
            "cluster_name": Strings.of([c.name for c in cluster_rows]),
            "profile_text": Strings.of([text for _, text, _ in texts]),
            "profile_folded": Strings.of([folded for _, _, folded in texts]),
        }
        meta = {
            "format": FORMAT,
            "version": ties.version if version is None else version,
            "kinds": kinds,
            "nodes": len(ids),
            "edges": len(edges),
            "projects": len(projects),
        }
        return cls(meta, arrays, strings)

    def write(self, folder: Path) -> None:
        """Write the arrays, the strings and ``meta.json`` (last: a folder without it is incomplete)."""
        folder.mkdir(parents=True)
        for name in ARRAYS:
            np.save(folder / f"{name}.npy", self.arrays[name], allow_pickle=False)
        for name in STRINGS:
            np.save(folder / f"{name}.data.npy", self.strings[name].data, allow_pickle=False)
            np.save(folder / f"{name}.offsets.npy", self.strings[name].offsets, allow_pickle=False)
        (folder / "meta.json").write_text(json.dumps(self.meta))

    @classmethod
    def open(cls, folder: Path) -> PathSnapshot:
        """Map a written folder (read-only, shared with every other process that maps it)."""
        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder}: snapshot format {meta.get('format')}, this version reads {FORMAT}")

        def load(name: str) -> np.ndarray:
            # a plain ndarray over the mapped pages: np.memmap's own indexing costs ~1 µs a call
            return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False))

        arrays = {name: load(name) for name in ARRAYS}
        strings = {name: Strings(load(f"{name}.data"), load(f"{name}.offsets")) for name in STRINGS}
        return cls(meta, arrays, strings)

    # -- what the search reads --

    @cached_property
    def degree(self) -> np.ndarray:
        """Ties per node."""
        return np.diff(self.indptr)

    @cached_property
    def nonempty_rows(self) -> np.ndarray:
        """Nodes with at least one tie."""
        return np.flatnonzero(self.degree)

    @cached_property
    def _entry_row(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.ids)), self.degree)

    @cached_property
    def _project_edge(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.arrays["base_x"])), np.diff(self.arrays["edge_project_ptr"]))

    def entry_costs(self, since_year: int | None = None, brokers: bool = True) -> np.ndarray:
        """Routing cost of every CSR entry, exactly as :meth:`TieGraph.entry_costs` computes it.

        The default query's arrays are in the snapshot; others are computed and kept (the
        :data:`COST_MEMO` most recent per process).
        """
        if since_year is None:
            return self.arrays["costs_brokers" if brokers else "costs_plain"]
        key = (since_year, brokers)
        with self._costs_lock:
            if key in self._costs:
                self._costs.move_to_end(key)
                return self._costs[key]
        a = self.arrays
        projects = a["edge_projects"]
        weights = a["project_w"][projects] * (a["project_year"][projects] >= since_year)
        summed = np.bincount(self._project_edge, weights=weights, minlength=len(a["base_x"]))
        x = a["base_x"] + a["pair_factor"] * summed
        with np.errstate(divide="ignore"):
            cost = -np.log(-np.expm1(-x))[a["entry_edge"]]
        if brokers:
            cost = cost + (self.broker_costs[self._entry_row] + self.broker_costs[self.indices]) / 2
        with self._costs_lock:
            self._costs[key] = cost
            while len(self._costs) > COST_MEMO:
                self._costs.popitem(last=False)
        return cost

    def component_of(self, i: int) -> int:
        """Connected-component number of node ``i``."""
        return int(self.arrays["component"][i])

    # -- what the answers read --

    def node(self, i: int) -> dict[str, Any]:
        """Id, name, kind, city, region, country and home flag of node ``i``."""
        s = self.strings
        return {
            "id": self.ids[i],
            "name": s["node_name"][i] or self.ids[i],
            "kind": self.kinds[i],
            "city": s["node_city"][i],
            "region": s["node_region"][i],
            "country": s["node_country"][i],
            "home": bool(self.arrays["home"][i]),
        }

    def name(self, i: int) -> str:
        """Display name of node ``i``."""
        return self.strings["node_name"][i] or self.ids[i]

    def strongest_partners(self, node: str, n: int) -> list[tuple[str, float, int]]:
        """``(partner, tie strength, shared projects)`` of ``node``'s ``n`` strongest cooperation partners, strongest
        first: shared projects or a declared partnership, not a cluster membership alone (that is a path hop,
        not a partnership); ``[]`` for an unknown node."""
        if node not in self.index:
            return []
        a, u = self.arrays, self.index[node]
        ties = []
        for j in range(int(self.indptr[u]), int(self.indptr[u + 1])):
            e = int(a["entry_edge"][j])
            projects = a["edge_projects"][a["edge_project_ptr"][e] : a["edge_project_ptr"][e + 1]]
            if len(projects) or int(a["edge_declared"][e]) != NONE:
                x = float(a["base_x"][e]) + float(a["pair_factor"][e]) * sum(a["project_w"][projects].tolist())
                ties.append((self.ids[int(self.indices[j])], strength_of(x), len(projects)))
        return sorted(ties, key=lambda tie: (-tie[1], tie[0]))[:n]

    # -- what the topic search reads --

    def profile(self, i: int) -> Profile:
        """The searchable texts of node ``i`` in their order, as the tie graph's ``profile`` attribute holds them."""
        a, s = self.arrays, self.strings
        return tuple(
            (PROFILE_PLACES[a["profile_place"][e]], s["profile_text"][e] or "", s["profile_folded"][e] or "")
            for e in range(int(a["profile_ptr"][i]), int(a["profile_ptr"][i + 1]))
        )

    def searchable(self, i: int) -> dict[str, Any]:
        """:meth:`node` plus its ``profile``: the attributes the competence assessment reads."""
        return self.node(i) | {"profile": self.profile(i)}

    @cached_property
    def _folded_text(self) -> tuple[str, np.ndarray]:
        """Every folded profile text in one string, one ``\\n`` between two (folded texts are ``[0-9a-z ]``, so
        byte and character offsets agree and no match crosses a ``\\n``), and where each text starts in it."""
        column = self.strings["profile_folded"]
        starts = column.offsets[:-1] + np.arange(len(column))
        joined = np.insert(column.data, column.offsets[1:-1], ord("\n"))
        return joined.tobytes().decode("ascii"), starts

    def profile_matches(self, patterns: Sequence[re.Pattern[str]]) -> set[int]:
        """The nodes with a folded profile text that one of ``patterns`` matches (one pass per pattern over all
        texts), so that a search need not look at the others: their profiles match nothing."""
        text, starts = self._folded_text
        found = np.array([m.start() for pattern in patterns for m in pattern.finditer(text)], dtype=np.int64)
        entries = np.searchsorted(starts, found, side="right") - 1
        return set((np.searchsorted(self.arrays["profile_ptr"], entries, side="right") - 1).tolist())

    def edge(self, u: int, v: int) -> int:
        """Edge number of the tie ``u -- v``; :class:`NotFoundError` when they are not tied."""
        lo, hi = int(self.indptr[u]), int(self.indptr[u + 1])
        at = lo + int(np.searchsorted(self.indices[lo:hi], v))
        if at >= hi or int(self.indices[at]) != v:
            raise NotFoundError(f"{self.name(u)} and {self.name(v)} are not tied")
        return int(self.arrays["entry_edge"][at])

    def project(self, p: int) -> ProjectEvidence:
        """The evidence record of project ``p``."""
        a, s = self.arrays, self.strings
        return ProjectEvidence(
            id=s["project_id"][p] or "",
            acronym=s["project_acronym"][p],
            title=s["project_title"][p],
            start_year=_or_none(a["project_start"][p]),
            end_year=_or_none(a["project_end"][p]),
            consortium_size=int(a["project_size"][p]),
        )

    def tie(self, u: int, v: int, since_year: int | None = None, limit: int | None = None) -> Tie:
        """Strength and evidence of the tie ``u -- v`` (only projects that ran in or after ``since_year``).

        ``limit``: list only the ``limit`` strongest projects (largest weight: recent, small consortia),
        still most recent first; :attr:`Tie.projects` counts them all. The strength always counts all.
        """
        a = self.arrays
        e = self.edge(u, v)
        found = a["edge_projects"][a["edge_project_ptr"][e] : a["edge_project_ptr"][e + 1]].tolist()
        if since_year is not None:
            found = [p for p in found if int(a["project_year"][p]) >= since_year]
        weights = [float(a["project_w"][p]) for p in found]
        x = float(a["base_x"][e]) + float(a["pair_factor"][e]) * sum(weights)
        listed = found
        if limit is not None and len(found) > limit:
            strongest = sorted(range(len(found)), key=lambda j: (-weights[j], j))[:limit]
            listed = [found[j] for j in sorted(strongest)]
        evidence: list[Evidence] = [self.project(p) for p in listed]
        if int(a["edge_declared"][e]) != NONE:
            sources = self.strings["declared_sources"][int(a["edge_declared"][e])]
            evidence.append(DeclaredEvidence(sources=sources.split(SOURCE_SEPARATOR) if sources else []))
        for c in range(int(a["edge_cluster_ptr"][e]), int(a["edge_cluster_ptr"][e + 1])):
            manager = int(a["cluster_manager"][c])
            evidence.append(
                ClusterEvidence(
                    id=self.strings["cluster_id"][c] or "",
                    name=self.strings["cluster_name"][c] or "",
                    member_id=self.ids[int(a["cluster_member"][c])],
                    since=_or_none(a["cluster_since"][c]),
                    manager_id=None if manager == NONE else self.ids[manager],
                )
            )
        latest = int(a["project_year"][found[0]]) if found else UNDATED
        return Tie(strength_of(x), evidence, len(found), None if latest == UNDATED else latest)


@dataclass(frozen=True)
class Tie:
    """A tie as an answer shows it: strength, the evidence listed, how many projects in all, the latest year."""

    strength: float
    evidence: list[Evidence]
    projects: int
    latest_year: int | None

    @property
    def listed_projects(self) -> int:
        """Projects in :attr:`evidence`."""
        return sum(1 for item in self.evidence if isinstance(item, ProjectEvidence))


def _edge_ends(ties: TieGraph) -> list[tuple[int, int]]:
    """The tie graph's edges as (lower, higher) node indices in edge-number order (as its arrays number them)."""
    ends = np.zeros((len(ties.base_x), 2), dtype=np.int64)
    ends[ties.entry_edge, 0] = np.minimum(ties.entry_row, ties.indices)
    ends[ties.entry_edge, 1] = np.maximum(ties.entry_row, ties.indices)
    return [(int(a), int(b)) for a, b in ends]


# --- one build per version per machine ---------------------------------------------


class PathSnapshots:
    """The snapshot folders under one data folder: at most one build per paths version on the machine.

    :meth:`get` returns the mapped snapshot of a version, building it first when no process has;
    a process keeps the snapshot it mapped last, so the usual call is one comparison.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._current: PathSnapshot | None = None
        self._lock = threading.Lock()

    def folder(self, version: int) -> Path:
        """Where the snapshot of ``version`` lives."""
        return self.root / f"v{version}"

    def ready(self, version: int) -> PathSnapshot | None:
        """The mapped snapshot of ``version`` if this process holds it already (no file access)."""
        current = self._current
        return current if current is not None and current.version == version else None

    def get(self, version: int, build: Callable[[], TieGraph], reason: str) -> PathSnapshot:
        """The snapshot of ``version``: mapped from its folder, or built first (``reason`` goes to the build log)."""
        found = self.ready(version)
        if found is not None:
            return found
        with self._lock:
            found = self.ready(version)
            if found is None:
                found = self._open_or_build(version, build, reason)
                self._current = found
            return found

    def _open_or_build(self, version: int, build: Callable[[], TieGraph], reason: str) -> PathSnapshot:
        folder = self.folder(version)
        if (folder / "meta.json").is_file():
            return PathSnapshot.open(folder)
        with self._machine_lock():
            if not (folder / "meta.json").is_file():
                self._build(version, build, reason)
        return PathSnapshot.open(folder)

    def while_building(self, version: int) -> PathSnapshot | None:
        """The newest snapshot older than ``version`` if ``version`` is being built right now, else None.

        A load builds the snapshot of its version before it answers; until then the others keep
        being answered from the version before, as they would have been a moment earlier, instead
        of waiting for the build (seconds, a minute on large graphs).
        """
        if (self.folder(version) / "meta.json").is_file() or not self._build_running():
            return None
        current = self._current
        if current is not None and current.version < version:
            return current
        older = [v for v in self._versions_on_disk() if v < version]
        return PathSnapshot.open(self.folder(max(older))) if older else None

    def _build_running(self) -> bool:
        """Whether some process (this one included) holds the build lock."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "build.lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def _versions_on_disk(self) -> list[int]:
        """Versions with a complete folder."""
        names = (path.name for path in self.root.glob("v*") if (path / "meta.json").is_file())
        return [int(name[1:]) for name in names if name[1:].isdigit()]

    @contextmanager
    def _machine_lock(self) -> Iterator[None]:
        """One builder at a time on this machine (an exclusive ``flock`` on ``build.lock``)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "build.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _build(self, version: int, build: Callable[[], TieGraph], reason: str) -> None:
        started = time.perf_counter()
        snapshot = PathSnapshot.of(build(), version)
        staging = self.root / f".building-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            snapshot.write(staging)
            os.rename(staging, self.folder(version))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        seconds = time.perf_counter() - started
        entry = {
            "version": version,
            "reason": reason,
            "pid": os.getpid(),
            "seconds": round(seconds, 3),
            "nodes": snapshot.meta["nodes"],
            "edges": snapshot.meta["edges"],
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with (self.root / "builds.log").open("a") as log:
            log.write(json.dumps(entry) + "\n")
        _log.info("path snapshot of version %d built in %.1f s (%s)", version, seconds, reason)
        self._prune(version)

    def _prune(self, newest: int) -> None:
        """Remove all but the :data:`KEEP` newest folders."""
        for version in sorted(self._versions_on_disk(), reverse=True)[KEEP:]:
            if version != newest:
                shutil.rmtree(self.folder(version), ignore_errors=True)

    def builds(self) -> list[dict[str, Any]]:
        """Every build on this machine so far, oldest first (the lines of ``builds.log``)."""
        log = self.root / "builds.log"
        if not log.is_file():
            return []
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def snapshot_folder(data_dir: Path) -> Path:
    """Where a data folder keeps its path snapshots."""
    return data_dir / "paths"


def build_from_store(store: Store, version: int) -> Callable[[], TieGraph]:
    """The build of one version's tie graph from the store (read when called, not before)."""
    return lambda: build_tie_graph(store.to_networkx(), version=version)


def publish_for(data_dir: Path, store: Store, reason: str) -> str:
    """:func:`publish` for a command-line write: the snapshot under ``data_dir``; returns a line to print."""
    started = time.perf_counter()
    snapshot = publish(store, PathSnapshots(snapshot_folder(data_dir)), reason)
    return (
        f"path graph of version {snapshot.version} ready for the API "
        f"({snapshot.meta['nodes']:,} nodes, {snapshot.meta['edges']:,} ties, {time.perf_counter() - started:.1f} s)"
    )


def publish(store: Store, snapshots: PathSnapshots, reason: str) -> PathSnapshot:
    """Make sure the snapshot of the store's current paths version exists: what every write through innograph
    calls after it committed, so that no request after it waits for a build."""
    version = store.versions().paths
    return snapshots.get(version, build_from_store(store, version), reason)
