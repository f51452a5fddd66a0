"""The path snapshot (issue #14): the arrays give the same answers as the tie graph, files round-trip through
``mmap``, one build per version however many threads ask, the evidence cap, and the version watch on the real store.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from innograph.graph import steps as st
from innograph.graph.store import Store
from innograph.graph.versions import VersionWatch
from innograph.queries.path_snapshot import PathSnapshot, PathSnapshots
from innograph.queries.paths import find_paths
from innograph.queries.tie_graph import ProjectEvidence, TieGraph, TieWeights, build_tie_graph
from tests.test_paths import ecosystem


@pytest.fixture(scope="module")
def ties() -> TieGraph:
    return build_tie_graph(ecosystem(), TieWeights(reference_year=2024), version=7)


def test_written_snapshot_maps_and_gives_the_tie_graphs_ties(ties: TieGraph, tmp_path: Path) -> None:
    PathSnapshot.of(ties).write(tmp_path / "v7")
    mapped = PathSnapshot.open(tmp_path / "v7")
    assert mapped.version == 7 and mapped.ids == ties.ids
    assert not mapped.arrays["indices"].flags.owndata and not mapped.arrays["indices"].flags.writeable  # mapped
    for u, v in ties.graph.edges:
        strength, evidence = ties.tie(u, v)
        tie = mapped.tie(mapped.index[u], mapped.index[v])
        assert tie.strength == strength and tie.evidence == evidence, (u, v)
        assert tie.projects == sum(isinstance(e, ProjectEvidence) for e in evidence)
    for since in (None, 2021):
        for brokers in (True, False):
            assert (mapped.entry_costs(since, brokers) == ties.entry_costs(since, brokers)).all()
    in_memory = find_paths(PathSnapshot.of(ties), "A", "B", k=5, evidence=None)
    from_files = find_paths(mapped, "A", "B", k=5, evidence=None)
    assert from_files == in_memory and from_files.graph_version == 7


def test_evidence_cap_lists_the_strongest_projects_and_counts_the_rest(ties: TieGraph) -> None:
    # C and R share P3 (2024, 3 partners: weight 1/2) and P6 (2020) and P7 (2022), each 2 partners but older:
    # with half-life 5 years, P7 weighs 2^-0.4 = 0.76 and P6 2^-0.8 = 0.57 against P3's 0.5
    snapshot = PathSnapshot.of(ties)
    capped = find_paths(snapshot, "C", "R", k=1, max_hops=1, evidence=2).paths[0].hops[0]
    full = find_paths(snapshot, "C", "R", k=1, max_hops=1, evidence=None).paths[0].hops[0]
    assert [e.id for e in full.evidence] == ["P3", "P7", "P6"]  # most recent first
    assert [e.id for e in capped.evidence] == ["P7", "P6"]  # the two strongest, still most recent first
    assert (capped.projects, capped.more_projects, capped.all_evidence) == (3, 1, "/ties?from=C&to=R")
    assert capped.strength == full.strength and full.more_projects == 0 and full.all_evidence is None
    assert capped.explanation.startswith("cooperated in 3 projects, latest 2024: ACR-P7") and "and 1 more" in (
        capped.explanation
    )
    none_listed = find_paths(snapshot, "C", "R", k=1, max_hops=1, evidence=0).paths[0].hops[0]
    assert none_listed.more_projects == 3 and not any(isinstance(e, ProjectEvidence) for e in none_listed.evidence)


def test_one_build_per_version_however_many_threads_ask(ties: TieGraph, tmp_path: Path) -> None:
    snapshots, built = PathSnapshots(tmp_path / "paths"), []

    def build() -> TieGraph:
        built.append(threading.get_ident())
        return ties

    got: list[PathSnapshot] = []
    threads = [threading.Thread(target=lambda: got.append(snapshots.get(7, build, "test"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1 and len(got) == 8 and len({id(s) for s in got}) == 1
    other_process_view = PathSnapshots(tmp_path / "paths")  # another worker: maps the folder, builds nothing
    assert other_process_view.get(7, build, "test").ids == ties.ids and len(built) == 1
    assert [(b["version"], b["reason"]) for b in snapshots.builds()] == [(7, "test")]


def test_version_watch_reads_neo4j_only_after_a_write_or_the_poll(store: Store) -> None:
    clock = [0.0]
    watch = VersionWatch(store, poll_s=0.5, clock=lambda: clock[0])
    first = watch.current()
    assert watch.current() == first and watch.fresh() == first and watch.reads == 1
    store.mark_home()  # a write by anyone on this machine rewrites the stamp
    assert watch.fresh() is None
    after = watch.current()
    assert after.graph == first.graph + 1 and watch.reads == 2
    clock[0] += 0.6  # no write, but the poll is due: a write from another machine would show now
    assert watch.current() == after and watch.reads == 3


def test_paths_version_moves_only_with_the_path_graphs_input(store: Store) -> None:
    store.mark_home()
    before = store.versions()
    # the agency's own records (metrics, analysis runs, events, review decisions) leave the path graph as it was
    run = {"id": "run-1", "algorithms": [], "parameters": "{}", "graph_version": before.graph, "duration_s": 0.1}
    run |= {"started_at": "2026-12-06T12:00:00Z", "period": None, "period_since": None, "period_until": None}
    store.apply([st.analysis_runs([run | {"summary": None}])])
    records_only = store.versions()
    assert records_only.graph == before.graph + 1 and records_only.paths == before.paths
    store.mark_home()  # home flags change the path graph's brokers
    assert store.versions().paths == store.versions().graph == before.graph + 2


def test_while_a_build_runs_other_workers_answer_from_the_version_before(ties: TieGraph, tmp_path: Path) -> None:
    snapshots = PathSnapshots(tmp_path / "paths")
    snapshots.get(7, lambda: ties, "first load")
    seen: list[PathSnapshot | None] = []

    def build() -> TieGraph:  # the second load's build: another worker asks meanwhile
        seen.append(PathSnapshots(tmp_path / "paths").while_building(8))
        return ties

    snapshots.get(8, build, "second load")
    assert seen[0] is not None and seen[0].version == 7
    assert snapshots.while_building(8) is None  # built: served as it is
    assert snapshots.while_building(9) is None  # nobody builds 9: whoever needs it builds it (and waits)
