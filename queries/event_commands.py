"""The ``innograph event`` command: plan a cross-specialisation event from a brief file, write the CSVs.

``invitations.csv`` is for a mail merge (one row per invitee), ``meetings.csv`` for a matchmaking tool
such as b2match (one row per proposed pair, no time slots). :func:`write_csvs` and :func:`read_csvs`
are the two formats; ``docs/events.md`` describes them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from innograph.console import clean_errors, console
from innograph.errors import InvalidRequestError
from innograph.graph.connection import open_store
from innograph.queries.events import EventBrief, EventPlan, brief_of, event_from_store
from innograph.queries.projection import ProjectionCache
from innograph.queries.tie_graph import build_tie_graph
from innograph.settings import get_settings

INVITATION_COLUMNS = ("side", "organisation", "id", "city", "region", "score", "reasons")
MEETING_COLUMNS = ("organisation_a", "id_a", "side_a", "organisation_b", "id_b", "side_b", "score", "hops", "reason")
REASON_SEPARATOR = " | "


def invitation_rows(plan: EventPlan) -> list[dict[str, str]]:
    """The rows of ``invitations.csv``, as text."""
    return [
        {
            "side": i.side, "organisation": i.organisation.name, "id": i.organisation.id,
            "city": i.organisation.city or "", "region": i.organisation.region or "",
            "score": f"{i.score:.4f}", "reasons": REASON_SEPARATOR.join(i.reasons),
        }
        for i in plan.invitees
    ]  # fmt: skip


def meeting_rows(plan: EventPlan) -> list[dict[str, str]]:
    """The rows of ``meetings.csv``, as text."""
    return [
        {
            "organisation_a": m.a.name, "id_a": m.a.id, "side_a": m.side_a,
            "organisation_b": m.b.name, "id_b": m.b.id, "side_b": m.side_b,
            "score": f"{m.score:.4f}", "hops": "" if m.hops is None else str(m.hops), "reason": m.reason,
        }
        for m in plan.meetings
    ]  # fmt: skip


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_csvs(plan: EventPlan, out: Path) -> tuple[Path, Path]:
    """Write ``invitations.csv`` and ``meetings.csv`` into ``out`` (created if missing); returns both paths."""
    out.mkdir(parents=True, exist_ok=True)
    invitations, meetings = out / "invitations.csv", out / "meetings.csv"
    _write(invitations, INVITATION_COLUMNS, invitation_rows(plan))
    _write(meetings, MEETING_COLUMNS, meeting_rows(plan))
    return invitations, meetings


def read_csvs(out: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The rows of the two files in ``out``, as written."""
    found = []
    for name in ("invitations.csv", "meetings.csv"):
        with (out / name).open(newline="", encoding="utf-8") as f:
            found.append(list(csv.DictReader(f)))
    return found[0], found[1]


def read_brief(path: Path) -> EventBrief:
    """The brief in a JSON file; a malformed one is the user's mistake, named by its parameter."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InvalidRequestError(f"{path}: {e}") from e
    if not isinstance(data, dict):
        raise InvalidRequestError(f"{path}: the brief must be a JSON object")
    return brief_of(data)


def print_plan(plan: EventPlan) -> None:
    """Invite lists, meetings and notes as tables on the console."""
    invitees = Table("side", "organisation", "city", "score", "reasons", title=f"Invitations: {plan.brief.title}")
    for i in plan.invitees:
        invitees.add_row(i.side, i.organisation.name, i.organisation.city or "", f"{i.score:.2f}", "; ".join(i.reasons))
    meetings = Table("A", "B", "score", "hops", "reason", title="Meetings")
    for m in plan.meetings:
        meetings.add_row(m.a.name, m.b.name, f"{m.score:.2f}", "-" if m.hops is None else str(m.hops), m.reason)
    console.print(invitees, meetings)
    for note in plan.notes:
        console.print(f"- {note}")


def register(app: typer.Typer) -> None:
    """Add ``event`` to the CLI."""

    @app.command("event")
    @clean_errors
    def event_command(
        brief: Annotated[Path, typer.Argument(help="The brief as JSON (docs/events.md), e.g. brief.json.")],
        out: Annotated[Path, typer.Option("--out", help="Folder for invitations.csv and meetings.csv.")] = Path("."),
    ) -> None:
        """Plan a cross-specialisation event: whom to invite per side and who should meet whom, with reasons."""
        wanted = read_brief(brief)
        with open_store(get_settings()) as store:
            projection = ProjectionCache(store).projection()
            ties = build_tie_graph(projection.source, version=projection.version)
            plan = event_from_store(store, ties, wanted, names=projection.names)
        print_plan(plan)
        invitations, meetings = write_csvs(plan, out)
        console.print(f"wrote {invitations} ({len(plan.invitees)} rows) and {meetings} ({len(plan.meetings)} rows)")
