"""Settings from the environment (prefix ``INNOGRAPH_``) or a ``.env`` file.

Nothing connects at import time: :func:`get_settings` only reads values. When no
``INNOGRAPH_NEO4J_URI`` is set, commands use the local Neo4j server that
``innograph neo4j start`` runs (and start it when needed).
"""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Role(StrEnum):
    """API roles, each including the rights of the ones before it."""

    VIEWER = "viewer"  # read, paths, partners
    ANALYST = "analyst"  # + metric exports
    ADMIN = "admin"  # + loads and analysis runs

    @property
    def rank(self) -> int:
        """Position in the order viewer < analyst < admin."""
        return list(Role).index(self)


class Settings(BaseSettings):
    """Everything innograph can be configured with."""

    model_config = SettingsConfigDict(env_prefix="INNOGRAPH_", env_file=".env", extra="ignore")

    neo4j_uri: str | None = Field(
        default=None,
        description="Bolt/neo4j URI of an existing server or Aura; unset = the local server.",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = Field(
        default=SecretStr("innograph-local"),
        description="Password; for the local server it is set on every start.",
    )
    neo4j_database: str = "neo4j"
    data_dir: Path = Field(
        default=Path(".innograph"),
        description="Folder for the local server's data, logs and the launcher build.",
    )
    neo4j_port: int = Field(default=17687, ge=1, le=65535, description="Local server's Bolt port.")
    neo4j_page_cache_mb: int = Field(default=256, ge=16)
    neo4j_heap_mb: int = Field(default=3072, ge=256)
    batch_size: int = Field(default=5000, ge=1, description="Rows per UNWIND batch in the store.")
    write_workers: int = Field(
        default=2,
        ge=1,
        le=16,
        description="Parallel writers for bulk writes of one transaction per batch (not for atomic loads).",
    )

    home_regions: str = Field(
        default="DEG",
        description=(
            "The home ecosystem: comma-separated NUTS prefixes (DEG = Thuringia, DED = Saxony, DEG03 = Jena). "
            "Organisations located there, or loaded from the agency's own profiles or cluster lists, are home."
        ),
    )
    ecosystem_name: str = Field(default="Thuringia", description="Display name of the home ecosystem on pages.")

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    api_keys: dict[str, Role] = Field(
        default_factory=dict,
        description='API key -> role, as JSON: INNOGRAPH_API_KEYS=\'{"k3y...": "admin"}\'. No keys, no access.',
    )
    api_cors_origins: list[str] = Field(default_factory=list, description="CORS off unless origins are listed.")
    api_max_body_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, description="Largest accepted request body.")
    api_neo4j_timeout_s: float = Field(
        default=1.5, gt=0, description="How long the API waits for Neo4j before answering 503."
    )

    @property
    def home_prefixes(self) -> tuple[str, ...]:
        """The home NUTS prefixes, upper case, empty ones dropped.

        >>> Settings(home_regions=" deg, DED03 ,").home_prefixes
        ('DEG', 'DED03')
        """
        return tuple(p.strip().upper() for p in self.home_regions.split(",") if p.strip())

    @property
    def uses_local_server(self) -> bool:
        """True when no external Neo4j is configured."""
        return not self.neo4j_uri

    @property
    def effective_uri(self) -> str:
        """The URI the driver connects to."""
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
