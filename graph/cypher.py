"""Every Cypher statement the store runs, as ``LiteralString`` constants.

Values always travel as ``$parameters``; labels and relationship types are
written out here, never built from input. The one dynamic label (an
organisation's kind, ``SET n:$(row.kind)``) is guarded by ``row.kind IN $kinds``
and the kinds come from :class:`graph.records.OrganisationKind`.

Every write query takes ``$rows`` (a batch), MERGEs on the stable id, unions
``sources`` instead of overwriting them, keeps a known value when a later row
leaves it empty, stamps ``loaded_at``, and returns ``count(*) AS written`` so the
store can check that every row found its endpoints.
"""

from typing import LiteralString


def _union(first: LiteralString, second: LiteralString) -> LiteralString:
    """Two lists (or nulls) as one: order kept, duplicates dropped (no APOC needed)."""
    return (
        f"reduce(acc = [], s IN coalesce({first}, []) + coalesce({second}, []) | "
        "CASE WHEN s IN acc THEN acc ELSE acc + s END)"
    )


def _sources(existing: LiteralString) -> LiteralString:
    """``existing`` (a list, or null) united with ``row.sources``."""
    return _union(existing, "row.sources")


def _stamp(var: LiteralString) -> LiteralString:
    """``SET`` clause that unions sources and stamps the load time on ``var``.

    ``$now`` is the write's time, passed once per batch by the store: one value per
    write instead of a ``datetime()`` call per row.
    """
    return f"SET {var}.sources = {_sources(f'{var}.sources')}, {var}.loaded_at = $now "


# `paths_version` is the graph version of the last write that changed what the path graph is built from
# (`$paths`): writes of metrics, analysis runs, saved events or review decisions move `version` only, so
# the path graph built for the earlier version is still the path graph of the new one.
BUMP_VERSION: LiteralString = (
    "MERGE (m:GraphMeta {id: 'graph'}) "
    "SET m.version = coalesce(m.version, 0) + 1, m.updated_at = datetime() "
    "SET m.paths_version = CASE WHEN $paths THEN m.version ELSE coalesce(m.paths_version, m.version) END "
    "RETURN m.version AS version"
)
READ_VERSION: LiteralString = (
    "MATCH (m:GraphMeta {id: 'graph'}) RETURN m.version AS version, coalesce(m.paths_version, m.version) AS paths"
)

UPSERT_ORGANISATIONS: LiteralString = (
    "UNWIND $rows AS row WITH row WHERE row.kind IN $kinds "
    "MERGE (n:Organisation {id: row.id}) "
    "WITH n, row, [a IN coalesce(n.aliases, []) "
    "  + CASE WHEN n.name IS NULL THEN [] ELSE [n.name] END + row.aliases "
    "  WHERE a <> row.name] AS candidates "
    "REMOVE n:Company:University:ResearchInstitute:ClusterOrganisation:PublicBody:OtherOrganisation "
    "SET n:$(row.kind) "
    "SET n.name = row.name, "
    "    n.aliases = reduce(acc = [], a IN candidates | CASE WHEN a IN acc THEN acc ELSE acc + a END), "
    "    n.kind = row.kind, "
    "    n.city = coalesce(row.city, n.city), n.postcode = coalesce(row.postcode, n.postcode), "
    "    n.street = coalesce(row.street, n.street), n.country = coalesce(row.country, n.country), "
    "    n.region = coalesce(row.region, n.region), "
    "    n.lat = coalesce(row.lat, n.lat), n.lon = coalesce(row.lon, n.lon), "
    "    n.website = coalesce(row.website, n.website), "
    "    n.size_class = coalesce(row.size_class, n.size_class), "
    "    n.founded = coalesce(row.founded, n.founded), "
    "    n.description = coalesce(row.description, n.description) " + _stamp("n") + "RETURN count(*) AS written"
)

UPSERT_CLUSTERS: LiteralString = (
    "UNWIND $rows AS row MERGE (n:Cluster {id: row.id}) "
    "SET n.name = row.name, n.description = coalesce(row.description, n.description), "
    "    n.field = coalesce(row.field, n.field) " + _stamp("n") + "RETURN count(*) AS written"
)

UPSERT_PROJECTS: LiteralString = (
    "UNWIND $rows AS row MERGE (n:Project {id: row.id}) "
    "SET n.acronym = coalesce(row.acronym, n.acronym), n.title = coalesce(row.title, n.title), "
    "    n.objective = coalesce(row.objective, n.objective), n.topics = coalesce(row.topics, n.topics), "
    "    n.programme = coalesce(row.programme, n.programme), "
    "    n.start = coalesce(row.start, n.start), n.end = coalesce(row.end, n.end), "
    "    n.start_year = coalesce(row.start_year, n.start_year), "
    "    n.end_year = coalesce(row.end_year, n.end_year), "
    "    n.funding = coalesce(row.funding, n.funding) " + _stamp("n") + "RETURN count(*) AS written"
)

UPSERT_FIELDS: LiteralString = (
    "UNWIND $rows AS row MERGE (n:Field {id: row.id}) SET n.name = row.name "
    + _stamp("n")
    + "RETURN count(*) AS written"
)

UPSERT_TECHNOLOGIES: LiteralString = (
    "UNWIND $rows AS row MERGE (n:Technology {id: row.id}) SET n.name = row.name "
    + _stamp("n")
    + "RETURN count(*) AS written"
)

UPSERT_REGIONS: LiteralString = (
    "UNWIND $rows AS row MERGE (n:Region {id: row.id}) "
    "SET n.name = coalesce(row.name, n.name), n.level = row.level " + _stamp("n") + "RETURN count(*) AS written"
)

LINK_MEMBERSHIPS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.org_id}) MATCH (b:Cluster {id: row.cluster_id}) "
    "MERGE (a)-[r:MEMBER_OF]->(b) "
    "SET r.since = coalesce(row.since, r.since), r.role = coalesce(row.role, r.role) "
    + _stamp("r")
    + "RETURN count(*) AS written"
)

LINK_MANAGEMENT: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.org_id}) MATCH (b:Cluster {id: row.cluster_id}) "
    "MERGE (a)-[r:MANAGES]->(b) " + _stamp("r") + "RETURN count(*) AS written"
)

# The bulk of every load: a new participation is stamped without the source union
# (nothing to union with); see bench/README.md, "load", for what this and $now gained.
LINK_PARTICIPATIONS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.org_id}) MATCH (b:Project {id: row.project_id}) "
    "MERGE (a)-[r:PARTICIPATES_IN]->(b) "
    "ON CREATE SET r.role = row.role, r.contribution = row.contribution, r.loaded_at = $now, "
    "    r.sources = " + _sources("[]") + " "
    "ON MATCH SET r.role = coalesce(row.role, r.role), "
    "    r.contribution = coalesce(row.contribution, r.contribution), "
    "    r.sources = " + _sources("r.sources") + ", r.loaded_at = $now "
    "RETURN count(*) AS written"
)

LINK_DECLARED_COOPERATIONS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.org_id}) MATCH (b:Organisation {id: row.partner_id}) "
    "MERGE (a)-[r:COOPERATES_WITH]->(b) "
    "SET r.declared = true " + _stamp("r") + "RETURN count(*) AS written"
)

LINK_FIELDS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.from_id}) MATCH (b:Field {id: row.to_id}) "
    "MERGE (a)-[r:ACTIVE_IN]->(b) " + _stamp("r") + "RETURN count(*) AS written"
)

LINK_TECHNOLOGIES: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.from_id}) MATCH (b:Technology {id: row.to_id}) "
    "MERGE (a)-[r:OFFERS]->(b) " + _stamp("r") + "RETURN count(*) AS written"
)

LINK_LOCATIONS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.from_id}) MATCH (b:Region {id: row.to_id}) "
    "MERGE (a)-[r:LOCATED_IN]->(b) " + _stamp("r") + "RETURN count(*) AS written"
)

LINK_REGION_PARENTS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Region {id: row.from_id}) MATCH (b:Region {id: row.to_id}) "
    "MERGE (a)-[r:PART_OF]->(b) " + _stamp("r") + "RETURN count(*) AS written"
)

LINK_ORGANISATION_PARENTS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.from_id}) MATCH (b:Organisation {id: row.to_id}) "
    "MERGE (a)-[r:PART_OF]->(b) " + _stamp("r") + "RETURN count(*) AS written"
)

# Cooperation derived from shared projects (see graph.store.cooperation_rows): the
# store reads every project of every organisation that takes part in one of the given
# projects, computes each affected pair's full list of shared projects in Python, and
# writes the pairs. Recomputing whole pairs keeps the result the same however often it runs.
COOPERATION_INPUT: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (:Project {id: row.id})<-[:PARTICIPATES_IN]-(a:Organisation) "
    "WITH DISTINCT a "
    "MATCH (a)-[:PARTICIPATES_IN]->(q:Project) "
    "RETURN a.id AS org, q.id AS project, q.start_year AS first_year, "
    "       coalesce(q.end_year, q.start_year) AS last_year, "
    "       COUNT { (q)<-[:PARTICIPATES_IN]-(:Organisation) } AS size"
)
WRITE_COOPERATION: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (a:Organisation {id: row.a}) MATCH (b:Organisation {id: row.b}) "
    "MERGE (a)-[r:COOPERATES_WITH]->(b) "
    "SET r.projects = row.projects, r.shared_projects = size(row.projects), "
    "    r.collaboration_weight = row.collaboration_weight, "
    "    r.first_year = row.first_year, r.last_year = row.last_year, "
    "    r.sources = reduce(acc = [], s IN coalesce(r.sources, []) + ['derived:shared-projects'] | "
    "      CASE WHEN s IN acc THEN acc ELSE acc + s END), "
    "    r.loaded_at = $now "
    "RETURN count(*) AS written"
)
# The home ecosystem (innograph.settings.home_regions): every organisation's stored, explained flag,
# recomputed over the whole graph by every load and by ``innograph init`` (a few ms per 10k nodes).
# Home = located in a home region (its NUTS code starts with a home prefix), else named by the
# agency's own sources (profile database, cluster lists).
MARK_HOME: LiteralString = (
    "UNWIND $rows AS row "
    "CALL (row) { "
    "  MATCH (o:Organisation) "
    "  OPTIONAL MATCH (o)-[:LOCATED_IN]->(place:Region) "
    "  WITH o, place, [p IN row.prefixes WHERE o.region STARTS WITH p] AS regions, "
    "       [s IN coalesce(o.sources, []) WHERE s STARTS WITH 'profiles:' OR s STARTS WITH 'clusters:'] AS own "
    "  WITH o, CASE "
    "    WHEN size(regions) > 0 THEN 'located in ' + coalesce(place.name + ' (' + o.region + ')', o.region) "
    "    WHEN size(own) > 0 AND own[0] STARTS WITH 'profiles:' "
    "      THEN 'in the agency\\'s profile database (' + own[0] + ')' "
    "    WHEN size(own) > 0 THEN 'in the agency\\'s cluster lists (' + own[0] + ')' "
    "  END AS reason "
    "  SET o.home = reason IS NOT NULL, o.home_reason = reason "
    "} "
    "RETURN count(*) AS written"
)
ALL_PROJECT_IDS: LiteralString = "MATCH (p:Project) RETURN p.id AS id ORDER BY id"

# Analysis write-back (queries/): metric properties on organisations, so Neo4j
# Browser/Bloom can style by them; a null metric removes the property.
WRITE_ORGANISATION_METRICS: LiteralString = (
    "UNWIND $rows AS row MATCH (n:Organisation {id: row.id}) "
    "SET n += row.metrics, n.analysis_run = row.run_id "
    "RETURN count(*) AS written"
)
RECORD_ANALYSIS_RUN: LiteralString = (
    "UNWIND $rows AS row MERGE (r:AnalysisRun {id: row.id}) "
    "SET r.algorithms = row.algorithms, r.parameters = row.parameters, r.graph_version = row.graph_version, "
    "    r.started_at = datetime(row.started_at), r.duration_s = row.duration_s, "
    "    r.period = row.period, r.period_since = row.period_since, r.period_until = row.period_until, "
    "    r.summary = row.summary "
    "RETURN count(*) AS written"
)

# Saved events (issue #13, "afterwards"): an admin stores a plan (graph/steps.py event_plan). The event's
# invitees and meetings are replaced by the saved plan's (PRUNE_EVENT), attendance and held meetings kept
# for those that stay; saving the same plan twice changes nothing but the graph version.
SAVE_EVENTS: LiteralString = (
    "UNWIND $rows AS row MERGE (e:Event {id: row.id}) "
    "ON CREATE SET e.saved_at = $now "
    "SET e.title = row.title, e.date = CASE WHEN row.date IS NULL THEN null ELSE date(row.date) END, "
    "    e.brief = row.brief, e.notes = row.notes, e.graph_version = row.graph_version "
    "RETURN count(*) AS written"
)
PRUNE_EVENT: LiteralString = (
    "UNWIND $rows AS row MATCH (e:Event {id: row.id}) "
    "CALL (e, row) { MATCH (o:Organisation)-[r:INVITED_TO]->(e) WHERE NOT o.id IN row.invitees DELETE r } "
    "CALL (e, row) { MATCH (m:Meeting)-[:AT]->(e) WHERE NOT m.id IN row.meetings DETACH DELETE m } "
    "RETURN count(*) AS written"
)
SAVE_INVITATIONS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (o:Organisation {id: row.org_id}) MATCH (e:Event {id: row.event_id}) "
    "MERGE (o)-[r:INVITED_TO]->(e) "
    "ON CREATE SET r.attended = false "
    "SET r.side = row.side, r.score = row.score, r.reasons = row.reasons, r.rank = row.rank "
    "RETURN count(*) AS written"
)
SAVE_MEETINGS: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (e:Event {id: row.event_id}) MATCH (a:Organisation {id: row.a}) MATCH (b:Organisation {id: row.b}) "
    "MERGE (m:Meeting {id: row.id}) "
    "ON CREATE SET m.took_place = false "
    "SET m.event_id = row.event_id, m.a = row.a, m.b = row.b, m.side_a = row.side_a, m.side_b = row.side_b, "
    "    m.score = row.score, m.hops = row.hops, m.reason = row.reason, m.rank = row.rank "
    "MERGE (m)-[:AT]->(e) MERGE (a)-[:IN_MEETING]->(m) MERGE (b)-[:IN_MEETING]->(m) "
    "RETURN count(*) AS written"
)
# Attendance replaces the last record: who came (INVITED_TO.attended) and which meetings took place.
RECORD_ATTENDANCE: LiteralString = (
    "UNWIND $rows AS row MATCH (e:Event {id: row.id}) "
    "SET e.attendance_recorded_at = $now "
    "WITH e, row "
    "CALL (e, row) { MATCH (o:Organisation)-[r:INVITED_TO]->(e) SET r.attended = o.id IN row.attended } "
    "CALL (e, row) { MATCH (m:Meeting)-[:AT]->(e) SET m.took_place = m.id IN row.held } "
    "RETURN count(*) AS written"
)

# --- reads -------------------------------------------------------------------

GET_ORGANISATION: LiteralString = "MATCH (n:Organisation {id: $id}) RETURN labels(n) AS labels, properties(n) AS props"
# What loaders resolve names against (entity resolution across loads).
ORGANISATION_NAMES: LiteralString = (
    "MATCH (n:Organisation) "
    "RETURN n.id AS id, n.name AS name, coalesce(n.aliases, []) AS aliases, n.country AS country, n.kind AS kind "
    "ORDER BY id"
)
SEARCH_ORGANISATIONS: LiteralString = (
    "CALL db.index.fulltext.queryNodes('organisation_names', $query) YIELD node, score "
    "WHERE ($kind IS NULL OR node.kind = $kind) AND (NOT $home_only OR node.home) "
    "WITH collect({id: node.id, name: node.name, kind: node.kind, city: node.city, home: node.home, score: score}) "
    "  AS hits "
    "RETURN size(hits) AS total, hits[$offset..$offset + $limit] AS page"
)
LIST_ORGANISATIONS: LiteralString = (
    "MATCH (node:Organisation) WHERE ($kind IS NULL OR node.kind = $kind) AND (NOT $home_only OR node.home) "
    "WITH node ORDER BY toLower(node.name), node.id "
    "WITH collect({id: node.id, name: node.name, kind: node.kind, city: node.city, home: node.home, score: null}) "
    "  AS hits "
    "RETURN size(hits) AS total, hits[$offset..$offset + $limit] AS page"
)
# The competence search (queries/competence.py): for each need term its Lucene query on the
# ``project_texts`` index (English stemming), the best ``$limit`` projects with their score and
# participating organisations. The queries are built from folded words by the store, never from raw input.
PROJECT_TEXT_MATCHES: LiteralString = (
    "UNWIND $queries AS q "
    "CALL (q) { "
    "  CALL db.index.fulltext.queryNodes('project_texts', q.query) YIELD node, score "
    "  RETURN node, score ORDER BY score DESC, node.id LIMIT $limit "
    "} "
    "RETURN q.term AS term, node.id AS id, node.acronym AS acronym, node.title AS title, "
    "       node.start_year AS start_year, node.end_year AS end_year, score, "
    "       COLLECT { MATCH (o:Organisation)-[:PARTICIPATES_IN]->(node) RETURN o.id ORDER BY o.id } AS organisations"
)
COUNT_LABELS: LiteralString = (
    "MATCH (n) WHERE NOT n:GraphMeta UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"
)
COUNT_HOME: LiteralString = "MATCH (o:Organisation) WHERE o.home RETURN count(o) AS n"
COUNT_RELATIONSHIPS: LiteralString = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"
# Whole-graph reads leave out saved events (Event, Meeting and their INVITED_TO, IN_MEETING, AT)
# and the review queue (MatchReview):
# they are the agency's records, not the ecosystem, so no projection, metric, gap or path sees them.
# Whole-graph reads send `loaded_at` as a string: hydrating one driver DateTime per
# node and relationship took 4 of the 4.4 minutes of reading the 5k synthetic graph.
# (Neo4j stores no nulls, so the store drops the null this gives where it is unset.)
# A project's `objective` (up to 20,000 characters each in the bulk files) stays in Neo4j: only the
# full-text index reads it, so the projection does not hold it.
ALL_NODES: LiteralString = (
    "MATCH (n) WHERE NOT n:GraphMeta AND NOT n:AnalysisRun AND NOT n:Event AND NOT n:Meeting AND NOT n:MatchReview "
    "RETURN n.id AS id, labels(n) AS labels, n {.*, objective: null, loaded_at: toString(n.loaded_at)} AS props"
)
# Relationships come grouped by start node: one record per node instead of one per
# relationship, because the driver's per-record cost dominated reading 390k of them.
ALL_RELATIONSHIPS: LiteralString = (
    "MATCH (a)-[r]->(b) WHERE NOT type(r) IN ['INVITED_TO', 'IN_MEETING', 'AT'] "
    "RETURN a.id AS source, collect([b.id, type(r), r {.*, loaded_at: toString(r.loaded_at)}]) AS out"
)
SOME_NODES: LiteralString = (
    "MATCH (n) WHERE n.id IN $ids AND NOT n:GraphMeta AND NOT n:AnalysisRun AND NOT n:Event AND NOT n:Meeting "
    "  AND NOT n:MatchReview "
    "RETURN n.id AS id, labels(n) AS labels, n {.*, objective: null, loaded_at: toString(n.loaded_at)} AS props"
)
SOME_RELATIONSHIPS: LiteralString = (
    "MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids AND NOT type(r) IN ['INVITED_TO', 'IN_MEETING', 'AT'] "
    "RETURN a.id AS source, collect([b.id, type(r), r {.*, loaded_at: toString(r.loaded_at)}]) AS out"
)
# Saved events, read back (dates and times as ISO strings).
LIST_EVENTS: LiteralString = (
    "MATCH (e:Event) "
    "RETURN e.id AS id, e.title AS title, toString(e.date) AS date, toString(e.saved_at) AS saved_at, "
    "       e.graph_version AS graph_version, toString(e.attendance_recorded_at) AS attendance_recorded_at, "
    "       COUNT { (:Organisation)-[:INVITED_TO]->(e) } AS invitees, "
    "       COUNT { (:Organisation)-[:INVITED_TO {attended: true}]->(e) } AS attended, "
    "       COUNT { (:Meeting)-[:AT]->(e) } AS meetings, "
    "       COUNT { (:Meeting {took_place: true})-[:AT]->(e) } AS meetings_held "
    "ORDER BY e.date DESC, e.id"
)
GET_EVENT: LiteralString = (
    "MATCH (e:Event {id: $id}) "
    "RETURN e {.id, .title, .brief, .notes, .graph_version, date: toString(e.date), saved_at: toString(e.saved_at), "
    "          attendance_recorded_at: toString(e.attendance_recorded_at)} AS event, "
    "  COLLECT { MATCH (o:Organisation)-[r:INVITED_TO]->(e) "
    "    RETURN o {.id, .name, .kind, .city, .region, .home, side: r.side, score: r.score, reasons: r.reasons, "
    "              rank: r.rank, attended: r.attended} AS row ORDER BY r.rank } AS invitees, "
    "  COLLECT { MATCH (m:Meeting)-[:AT]->(e) RETURN properties(m) AS row ORDER BY m.rank } AS meetings"
)
# The review queue of uncertain name matches (loaders/review.py, docs/review.md): one (:MatchReview) per pair,
# keyed by a stable id; a load upserts its pairs (a decided pair keeps its decision), a person decides them.
# No relationships: the pair names its two organisations by id, so it never enters the projection.
UPSERT_MATCH_REVIEWS: LiteralString = (
    "UNWIND $rows AS row MERGE (r:MatchReview {id: row.id}) "
    "ON CREATE SET r.status = 'pending', r.first_seen = $now "
    "SET r.name = row.name, r.country = row.country, r.incoming_id = row.incoming_id, "
    "    r.candidate_id = row.candidate_id, r.candidate_name = row.candidate_name, r.score = row.score, "
    "    r.where = coalesce(r.where, row.where), r.source = coalesce(r.source, row.source), "
    "    r.reason = row.reason, r.last_seen = $now "
    "RETURN count(*) AS written"
)
DECIDE_MATCH_REVIEW: LiteralString = (
    "UNWIND $rows AS row MATCH (r:MatchReview {id: row.id}) "
    "SET r.status = row.status, r.decided_at = $now, r.decided_by = row.decided_by "
    "RETURN count(*) AS written"
)
MATCH_DECISIONS: LiteralString = (
    "MATCH (r:MatchReview) WHERE r.status IN ['same', 'different'] "
    "RETURN r.name AS name, r.country AS country, r.candidate_id AS candidate_id, r.status = 'same' AS same "
    "ORDER BY r.decided_at, r.id"
)
# The queue with its evidence: both organisations as they are now (place, number of projects).
MATCH_REVIEWS: LiteralString = (
    "MATCH (r:MatchReview) WHERE r.status IN $statuses AND ($id IS NULL OR r.id = $id) "
    "OPTIONAL MATCH (a:Organisation {id: r.incoming_id}) "
    "OPTIONAL MATCH (b:Organisation {id: r.candidate_id}) "
    "RETURN r {.*, first_seen: toString(r.first_seen), last_seen: toString(r.last_seen), "
    "          decided_at: toString(r.decided_at)} AS review, "
    "  a {.id, .name, .city, .country, projects: COUNT { (a)-[:PARTICIPATES_IN]->(:Project) }} AS incoming, "
    "  b {.id, .name, .city, .country, projects: COUNT { (b)-[:PARTICIPATES_IN]->(:Project) }} AS candidate "
    "ORDER BY r.status <> 'pending', r.decided_at DESC, r.score DESC, r.id"
)
# One organisation known under a name-only id (org:...) found to be another node (a PIC): every relationship
# of the old node moves to the new one, its names become aliases (its name the name if the new one is SHOUTED),
# values the new node lacks are kept, and the old node goes. Cooperation is then re-derived from the new node's
# projects (MERGED_PROJECTS).
MERGE_ORGANISATION_NODES: LiteralString = (
    "UNWIND $rows AS row MATCH (old:Organisation {id: row.old}) MATCH (new:Organisation {id: row.new}) "
    "CALL (old, new) { MATCH (old)-[r:PARTICIPATES_IN]->(p:Project) MERGE (new)-[s:PARTICIPATES_IN]->(p) "
    "  SET s.role = coalesce(s.role, r.role), s.contribution = coalesce(s.contribution, r.contribution), "
    "      s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:MEMBER_OF]->(c:Cluster) MERGE (new)-[s:MEMBER_OF]->(c) "
    "  SET s.since = coalesce(s.since, r.since), s.role = coalesce(s.role, r.role), "
    "      s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:MANAGES]->(c:Cluster) MERGE (new)-[s:MANAGES]->(c) "
    "  SET s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:ACTIVE_IN]->(f:Field) MERGE (new)-[s:ACTIVE_IN]->(f) "
    "  SET s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:OFFERS]->(t:Technology) MERGE (new)-[s:OFFERS]->(t) "
    "  SET s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:LOCATED_IN]->(g:Region) WHERE NOT EXISTS { (new)-[:LOCATED_IN]->() } "
    "  MERGE (new)-[s:LOCATED_IN]->(g) SET s.sources = r.sources, s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:PART_OF]->(g:Organisation) WHERE g <> new MERGE (new)-[s:PART_OF]->(g) "
    "  SET s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (i:Organisation)-[r:PART_OF]->(old) WHERE i <> new MERGE (i)-[s:PART_OF]->(new) "
    "  SET s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:COOPERATES_WITH {declared: true}]-(o:Organisation) WHERE o <> new "
    "  WITH r, CASE WHEN new.id < o.id THEN [new, o] ELSE [o, new] END AS pair "
    "  WITH r, pair[0] AS a, pair[1] AS b MERGE (a)-[s:COOPERATES_WITH]->(b) "
    "  SET s.declared = true, s.sources = " + _union("s.sources", "r.sources") + ", s.loaded_at = $now } "
    "CALL (old, new) { MATCH (old)-[r:INVITED_TO]->(e:Event) MERGE (new)-[s:INVITED_TO]->(e) "
    "  ON CREATE SET s += properties(r) } "
    "CALL (old, new) { MATCH (old)-[:IN_MEETING]->(m:Meeting) MERGE (new)-[:IN_MEETING]->(m) "
    "  SET m.a = CASE WHEN m.a = old.id THEN new.id ELSE m.a END, "
    "      m.b = CASE WHEN m.b = old.id THEN new.id ELSE m.b END } "
    "CALL (old, new) { MATCH (m:MatchReview {incoming_id: old.id}) WHERE m.status = 'pending' DELETE m } "
    "CALL (old, new) { MATCH (m:MatchReview {incoming_id: old.id}) SET m.incoming_id = new.id } "
    "CALL (old, new) { MATCH (m:MatchReview {candidate_id: old.id}) "
    "  SET m.candidate_id = new.id, m.candidate_name = new.name } "
    "CALL (old, new) { WITH old, new WHERE new.kind = 'OtherOrganisation' AND old.kind IN $kinds "
    "  AND old.kind <> 'OtherOrganisation' REMOVE new:OtherOrganisation SET new:$(old.kind), new.kind = old.kind } "
    "WITH old, new, CASE WHEN new.name = toUpper(new.name) AND old.name <> toUpper(old.name) "
    "  THEN old.name ELSE new.name END AS name "  # as loaders.resolve.preferred_name: not a SHOUTED one
    "SET new.aliases = reduce(acc = [], "
    "      a IN coalesce(new.aliases, []) + [new.name, old.name] + coalesce(old.aliases, []) "
    "      | CASE WHEN a IN acc OR a = name THEN acc ELSE acc + a END), new.name = name, "
    "    new.sources = " + _union("new.sources", "old.sources") + ", "
    "    new.city = coalesce(new.city, old.city), new.postcode = coalesce(new.postcode, old.postcode), "
    "    new.street = coalesce(new.street, old.street), new.country = coalesce(new.country, old.country), "
    "    new.region = coalesce(new.region, old.region), new.lat = coalesce(new.lat, old.lat), "
    "    new.lon = coalesce(new.lon, old.lon), new.website = coalesce(new.website, old.website), "
    "    new.size_class = coalesce(new.size_class, old.size_class), new.founded = coalesce(new.founded, old.founded), "
    "    new.description = coalesce(new.description, old.description), new.loaded_at = $now "
    "DETACH DELETE old "
    "RETURN count(*) AS written"
)
MERGED_PROJECTS: LiteralString = (
    "UNWIND $rows AS row MATCH (:Organisation {id: row.id})-[:PARTICIPATES_IN]->(p:Project) "
    "RETURN DISTINCT p.id AS id ORDER BY id"
)
# The graph version node survives a clear (which then bumps it), so caches keyed on
# the version can never mistake a new graph for an old one.
DELETE_ALL: LiteralString = "MATCH (n) WHERE NOT n:GraphMeta CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
