"""The ``innograph`` command-line tool: the top layer, which registers every folder's commands.

Each folder keeps its commands in its own ``commands`` module with a ``register(app)`` function;
this module imports them explicitly and nothing imports this module back, so there is no cycle.
Every command turns an :class:`~innograph.errors.InnographError` into one clear line on stderr and
exit code 1 (:func:`innograph.console.clean_errors`), so scripts can rely on the exit status.
"""

from __future__ import annotations

import secrets

import typer

from innograph.api import commands as api_commands
from innograph.console import clean_errors, console
from innograph.graph import commands as graph_commands
from innograph.graph.connection import open_store
from innograph.loaders import commands as loader_commands
from innograph.loaders import synthetic, synthetic_commands
from innograph.queries import commands as query_commands
from innograph.queries import event_commands, timeline_commands
from innograph.queries.analysis import AnalysisParameters, analyse_store
from innograph.queries.path_snapshot import publish_for
from innograph.queries.projection import ProjectionCache
from innograph.settings import Role, get_settings

app = typer.Typer(
    help="innograph: the knowledge graph of a regional innovation ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for register in (
    graph_commands.register,
    loader_commands.register,
    synthetic_commands.register,
    query_commands.register,
    event_commands.register,
    timeline_commands.register,
    api_commands.register,
):
    register(app)


@app.command("demo")
@clean_errors
def demo(
    orgs: int = typer.Option(2000, "--orgs", min=100, help="Organisations in the generated ecosystem."),
    seed: int = typer.Option(7, "--seed", help="Seed of the generator (same seed, same ecosystem)."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="End by serving the API on 127.0.0.1."),
) -> None:
    """Start Neo4j, load a generated fictional ecosystem, analyse it, print counts, serve the API."""
    settings = get_settings()
    with open_store(settings) as store:
        store.init_schema()
        console.print(f"generating {orgs:,} fictional organisations (seed {seed}) and loading them ...")
        synthetic_commands.write_with_progress(store, synthetic.steps(synthetic.generate(orgs, seed)))
        console.print(publish_for(settings.data_dir, store, "innograph demo"))
        console.print("analysing (centrality, communities, brokers, gaps) ...")
        analysis = analyse_store(store, ProjectionCache(store), AnalysisParameters.from_settings(settings))
        graph_commands.print_counts(store.counts())
    for line in analysis.gaps.headlines():
        console.print(f"- {line}")
    if serve:
        if not settings.api_keys:
            key = secrets.token_urlsafe(24)
            settings = settings.model_copy(update={"api_keys": {key: Role.ADMIN}})
            console.print(f"demo API key (admin, valid while this process runs): [bold]{key}[/bold]")
        api_commands.run_server(settings)


def main() -> None:
    """Console-script entry point."""
    app()
