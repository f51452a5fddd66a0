"""The graph store: schema, Cypher, the Neo4j connection and the local server launcher."""
