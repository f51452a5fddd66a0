"""The one console of the command-line tool, and the decorator that turns errors into one line.

This sits at the bottom layer with the settings and the error tree: every folder's ``commands``
module prints through :data:`console` (stdout) and :data:`errors` (stderr), and none of them imports
the CLI itself, which sits on top and registers them (see :mod:`innograph.cli`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from innograph.errors import InnographError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
errors = Console(stderr=True)


def clean_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Print an InnographError as one line on stderr and exit 1 instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except InnographError as e:
            errors.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from e

    return wrapper
