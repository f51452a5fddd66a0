"""APOC core in the local Neo4j: loaded from the launcher's plugin folder and callable over Bolt."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from innograph.graph.store import Store
from innograph.settings import Settings

POM = Path(__file__).resolve().parent.parent / "graph" / "launcher" / "pom.xml"

# a -1.0- b -1.0- d        cheapest: a, b, d   (2.0)
# a -2.0- c -1.5- d        second:   a, c, d   (3.5)
# a -------5.0------- d    fewest hops, dearest (5.0)
# a and d also share a cluster through MEMBER_OF at 0.1 each: cheaper, but not a cooperation.
WEIGHTED_GRAPH = """
CREATE (a:Organisation:Company {id: 'apoc-a'}), (b:Organisation:Company {id: 'apoc-b'}),
       (c:Organisation:University {id: 'apoc-c'}), (d:Organisation:Company {id: 'apoc-d'}),
       (x:Cluster {id: 'apoc-x'}),
       (a)-[:COOPERATES_WITH {cost: 1.0}]->(b),
       (d)-[:COOPERATES_WITH {cost: 1.0}]->(b),
       (a)-[:COOPERATES_WITH {cost: 2.0}]->(c),
       (c)-[:COOPERATES_WITH {cost: 1.5}]->(d),
       (a)-[:COOPERATES_WITH {cost: 5.0}]->(d),
       (a)-[:MEMBER_OF {cost: 0.1}]->(x),
       (d)-[:MEMBER_OF {cost: 0.1}]->(x)
"""

DIJKSTRA = """
MATCH (a:Organisation {id: 'apoc-a'}), (b:Organisation {id: 'apoc-d'})
CALL apoc.algo.dijkstra(a, b, 'COOPERATES_WITH', 'cost', 1.0, $k) YIELD path, weight
RETURN [n IN nodes(path) | n.id] AS ids, weight
"""


@pytest.fixture
def driver(store: Store, neo4j_settings: Settings) -> Iterator[Driver]:
    """A plain Bolt driver on the emptied test database."""
    with GraphDatabase.driver(
        neo4j_settings.effective_uri,
        auth=(neo4j_settings.neo4j_user, neo4j_settings.neo4j_password.get_secret_value()),
    ) as drv:
        yield drv


def test_apoc_dijkstra_finds_the_cheapest_cooperation_paths(driver: Driver, neo4j_settings: Settings) -> None:
    if neo4j_settings.uses_local_server:  # an external server may run another APOC, or none
        pinned = re.search(r"<apoc\.version>([^<]+)</apoc\.version>", POM.read_text())
        assert pinned is not None
        version = driver.execute_query("RETURN apoc.version() AS v").records[0]["v"]
        assert version == pinned.group(1)
    driver.execute_query(WEIGHTED_GRAPH)

    best = driver.execute_query(DIJKSTRA, k=1).records
    assert [(row["ids"], row["weight"]) for row in best] == [(["apoc-a", "apoc-b", "apoc-d"], 2.0)]

    two = driver.execute_query(DIJKSTRA, k=2).records
    assert [(row["ids"], row["weight"]) for row in two] == [
        (["apoc-a", "apoc-b", "apoc-d"], 2.0),
        (["apoc-a", "apoc-c", "apoc-d"], 3.5),
    ]
