"""The store's commands: ``innograph neo4j start|stop|status``, ``init``, ``counts`` and ``reset``."""

from __future__ import annotations

import typer
from rich.table import Table

from innograph.console import clean_errors, console, errors
from innograph.graph import local_server
from innograph.graph.connection import open_store
from innograph.graph.store import Counts
from innograph.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add the local-server group and the schema/contents commands to the command-line tool."""
    neo4j_app = typer.Typer(
        help="Run the local Neo4j server (when INNOGRAPH_NEO4J_URI is unset).", no_args_is_help=True
    )
    neo4j_app.command("start")(neo4j_start)
    neo4j_app.command("stop")(neo4j_stop)
    neo4j_app.command("status")(neo4j_status)
    app.add_typer(neo4j_app, name="neo4j")
    app.command("init")(init)
    app.command("counts")(counts)
    app.command("reset")(reset)


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


@clean_errors
def neo4j_start() -> None:
    """Start the local Neo4j (built with Maven on first use); waits until Bolt answers."""
    settings = get_settings()
    state, started = local_server.start(settings)
    if started:
        console.print(f"Neo4j started (pid {state.pid}) on {state.uri}")
    else:
        console.print(f"Neo4j already running (pid {state.pid}) on {state.uri}")


@clean_errors
def neo4j_stop() -> None:
    """Shut the local Neo4j down cleanly (data stays in the data folder)."""
    if local_server.stop(get_settings()):
        console.print("Neo4j stopped")
    else:
        console.print("Neo4j was not running")


@clean_errors
def neo4j_status() -> None:
    """Say whether the local Neo4j runs and answers; exit 3 when it does not run."""
    state = local_server.status(get_settings())
    if not state.running:
        console.print("Neo4j is not running")
        raise typer.Exit(3)
    answer = "answers" if state.reachable else "does NOT answer"
    console.print(f"Neo4j running (pid {state.pid}) on {state.uri}, Bolt {answer}")


@clean_errors
def init() -> None:
    """Create constraints and indexes and recompute the home flags (harmless to run twice)."""
    settings = get_settings()
    with open_store(settings) as store:
        store.init_schema()
        console.print(f"schema ready on {settings.effective_uri}")
        store.mark_home()
        home = store.count_home()
        console.print(
            f"home ecosystem {settings.ecosystem_name} (NUTS {', '.join(settings.home_prefixes) or 'none'}): "
            f"{home:,} organisations"
        )


@clean_errors
def counts() -> None:
    """Print node and relationship counts read back from Neo4j."""
    with open_store(get_settings()) as store:
        print_counts(store.counts())


@clean_errors
def reset(yes: bool = typer.Option(False, "--yes", help="Really delete everything.")) -> None:
    """Delete every node and relationship (the schema stays)."""
    if not yes:
        errors.print("refusing to delete the graph without --yes")
        raise typer.Exit(2)
    with open_store(get_settings()) as store:
        store.clear()
        console.print("graph emptied")
