"""The ``innograph`` command-line tool.

Every command turns an :class:`InnographError` into one clear line on stderr and
exit code 1, so scripts can rely on the exit status.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from graph import local_server
from graph.connection import open_store
from graph.store import Counts
from innograph.errors import InnographError
from innograph.settings import Role, get_settings

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    help="innograph: the knowledge graph of a regional innovation ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="Run the local Neo4j server (when INNOGRAPH_NEO4J_URI is unset).", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
console = Console()
errors = Console(stderr=True)


def clean_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Print an InnographError as one line and exit 1 instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except InnographError as e:
            errors.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from e

    return wrapper


def print_counts(counts: Counts) -> None:
    """Nodes per label and relationships per type as a table."""
    table = Table(title="graph contents (read back from Neo4j)")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in counts.labels.items():
        table.add_row("nodes", label, f"{n:,}")
    for rel_type, n in counts.relationships.items():
        table.add_row("relationships", rel_type, f"{n:,}")
    console.print(table)


@neo4j_app.command("start")
@clean_errors
def neo4j_start() -> None:
    """Start the local Neo4j (built with Maven on first use); waits until Bolt answers."""
    settings = get_settings()
    state, started = local_server.start(settings)
    if started:
        console.print(f"Neo4j started (pid {state.pid}) on {state.uri}")
    else:
        console.print(f"Neo4j already running (pid {state.pid}) on {state.uri}")


@neo4j_app.command("stop")
@clean_errors
def neo4j_stop() -> None:
    """Shut the local Neo4j down cleanly (data stays in the data folder)."""
    if local_server.stop(get_settings()):
        console.print("Neo4j stopped")
    else:
        console.print("Neo4j was not running")


@neo4j_app.command("status")
@clean_errors
def neo4j_status() -> None:
    """Say whether the local Neo4j runs and answers; exit 3 when it does not run."""
    state = local_server.status(get_settings())
    if not state.running:
        console.print("Neo4j is not running")
        raise typer.Exit(3)
    answer = "answers" if state.reachable else "does NOT answer"
    console.print(f"Neo4j running (pid {state.pid}) on {state.uri}, Bolt {answer}")


@app.command("init")
@clean_errors
def init() -> None:
    """Create constraints and indexes (harmless to run twice)."""
    with open_store(get_settings()) as store:
        store.init_schema()
        console.print(f"schema ready on {get_settings().effective_uri}")


@app.command("counts")
@clean_errors
def counts() -> None:
    """Print node and relationship counts read back from Neo4j."""
    with open_store(get_settings()) as store:
        print_counts(store.counts())


@app.command("reset")
@clean_errors
def reset(yes: bool = typer.Option(False, "--yes", help="Really delete everything.")) -> None:
    """Delete every node and relationship (the schema stays)."""
    if not yes:
        errors.print("refusing to delete the graph without --yes")
        raise typer.Exit(2)
    with open_store(get_settings()) as store:
        store.clear()
        console.print("graph emptied")


@app.command("demo")
@clean_errors
def demo(
    orgs: int = typer.Option(2000, "--orgs", min=100, help="Organisations in the generated ecosystem."),
    seed: int = typer.Option(7, "--seed", help="Seed of the generator (same seed, same ecosystem)."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="End by serving the API on 127.0.0.1."),
) -> None:
    """Start Neo4j, load a generated fictional ecosystem, analyse it, print counts, serve the API."""
    import secrets

    from api.commands import run_server
    from loaders import synthetic
    from loaders.synthetic_commands import write_with_progress
    from queries.analysis import analyse_store
    from queries.projection import ProjectionCache

    settings = get_settings()
    with open_store(settings) as store:
        store.init_schema()
        console.print(f"generating {orgs:,} fictional organisations (seed {seed}) and loading them ...")
        write_with_progress(store, synthetic.steps(synthetic.generate(orgs, seed)))
        console.print("analysing (centrality, communities, brokers, gaps) ...")
        analysis = analyse_store(store, ProjectionCache(store))
        print_counts(store.counts())
    for line in analysis.gaps.headlines():
        console.print(f"- {line}")
    if serve:
        if not settings.api_keys:
            key = secrets.token_urlsafe(24)
            settings = settings.model_copy(update={"api_keys": {key: Role.ADMIN}})
            console.print(f"demo API key (admin, valid while this process runs): [bold]{key}[/bold]")
        run_server(settings)


def main() -> None:
    """Console-script entry point."""
    app()


# --- commands of the other packages: each registers its own on ``app`` ---
from queries.commands import register as register_queries  # noqa: E402

register_queries(app)
from loaders.commands import register as register_loaders  # noqa: E402

register_loaders(app)
from loaders.synthetic_commands import register as register_synthetic  # noqa: E402

register_synthetic(app)
from api.commands import register as register_api  # noqa: E402

register_api(app)
