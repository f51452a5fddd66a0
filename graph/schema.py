"""The graph schema: constraints and indexes, created idempotently.

One uniqueness constraint on ``id`` per label of DESIGN.md (so MERGE is fast and
ids stay unique), a full-text index on organisation names and aliases, one on project
texts (acronym, title, objective, topics; English stemming) for the competence search, and the
property indexes the read side filters on. All statements use ``IF NOT EXISTS``,
so running them twice is harmless.
"""

from typing import LiteralString

from innograph.graph.records import OrganisationKind

NODE_LABELS: tuple[str, ...] = (
    "Organisation",
    *(kind.value for kind in OrganisationKind),
    "Cluster",
    "Project",
    "Field",
    "Technology",
    "Region",
)

SCHEMA_STATEMENTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT university_id IF NOT EXISTS FOR (n:University) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT research_institute_id IF NOT EXISTS FOR (n:ResearchInstitute) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT cluster_organisation_id IF NOT EXISTS FOR (n:ClusterOrganisation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT public_body_id IF NOT EXISTS FOR (n:PublicBody) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT other_organisation_id IF NOT EXISTS FOR (n:OtherOrganisation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT cluster_id IF NOT EXISTS FOR (n:Cluster) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT project_id IF NOT EXISTS FOR (n:Project) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT field_id IF NOT EXISTS FOR (n:Field) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT technology_id IF NOT EXISTS FOR (n:Technology) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT graph_meta_id IF NOT EXISTS FOR (n:GraphMeta) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT analysis_run_id IF NOT EXISTS FOR (n:AnalysisRun) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT meeting_id IF NOT EXISTS FOR (n:Meeting) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT match_review_id IF NOT EXISTS FOR (n:MatchReview) REQUIRE n.id IS UNIQUE",
    "CREATE FULLTEXT INDEX organisation_names IF NOT EXISTS FOR (n:Organisation) ON EACH [n.name, n.aliases]",
    # What organisations work on, from their projects: Lucene's English analyzer (lower case, stop words,
    # Porter stemming: "photonics" and "photonic" both index as "photon", "batteries" as "batteri").
    "CREATE FULLTEXT INDEX project_texts IF NOT EXISTS "
    "FOR (n:Project) ON EACH [n.acronym, n.title, n.objective, n.topics] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}}",
    "CREATE INDEX organisation_region IF NOT EXISTS FOR (n:Organisation) ON (n.region)",
    "CREATE INDEX organisation_city IF NOT EXISTS FOR (n:Organisation) ON (n.city)",
    "CREATE INDEX project_start_year IF NOT EXISTS FOR (n:Project) ON (n.start_year)",
)
