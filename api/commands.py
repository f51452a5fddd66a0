"""``innograph serve``: run the API (and its pages) with uvicorn on the configured host and port."""

from __future__ import annotations

import json
import os

import typer
import uvicorn

from innograph.console import clean_errors, console
from innograph.settings import Settings, get_settings

SERVER_OPTIONS = {"loop": "uvloop", "http": "httptools", "log_level": "info"}
"""uvicorn's fastest event loop and HTTP parser (``uvicorn[standard]`` installs both)."""


def run_server(settings: Settings, workers: int = 1, access_log: bool = False) -> None:
    """Serve the app until interrupted; with several workers each reads the settings from the environment.

    No access log unless asked: writing a line per request costs about as much CPU as a path answer.
    """
    console.print(
        f"innograph API on http://{settings.api_host}:{settings.api_port}/ "
        f"(OpenAPI: http://{settings.api_host}:{settings.api_port}/docs)"
    )
    if not settings.api_keys:
        console.print("[yellow]no API keys configured (INNOGRAPH_API_KEYS): every request will get 401[/yellow]")
    if workers == 1:
        from innograph.api.app import create_app

        uvicorn.run(
            create_app(settings),
            host=settings.api_host,
            port=settings.api_port,
            access_log=access_log,
            **SERVER_OPTIONS,
        )
        return
    os.environ["INNOGRAPH_API_KEYS"] = json.dumps({key: role.value for key, role in settings.api_keys.items()})
    uvicorn.run(
        "innograph.api.app:create_app",
        factory=True,
        host=settings.api_host,
        port=settings.api_port,
        workers=workers,
        access_log=access_log,
        **SERVER_OPTIONS,
        # a worker that computes an analysis may be slow to answer uvicorn's health check on a
        # busy machine; 5 s (the default) kills it over and over
        timeout_worker_healthcheck=60,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the command-line tool."""

    @app.command("serve")
    @clean_errors
    def serve(
        host: str = typer.Option(None, help="Interface to listen on (default INNOGRAPH_API_HOST, 127.0.0.1)."),
        port: int = typer.Option(None, help="Port (default INNOGRAPH_API_PORT, 8000)."),
        workers: int = typer.Option(
            1, min=1, max=16, help="uvicorn worker processes (one per core; they share the path snapshots)."
        ),
        access_log: bool = typer.Option(False, "--access-log", help="Log every request (costs CPU per request)."),
    ) -> None:
        """Serve the JSON API and the web pages."""
        settings = get_settings()
        updates = {k: v for k, v in (("api_host", host), ("api_port", port)) if v is not None}
        run_server(settings.model_copy(update=updates), workers, access_log)
