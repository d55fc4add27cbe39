"""`python -m planner crossings …`: the crossing options from one bank, as text or JSON.

A thin adapter: it parses input, calls planner.crossing.crossing_options() and renders; bad input
is a one-line error with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
from datetime import datetime

import click

from planner.crossing import (
    CITY_NAMES,
    CrossingAnswer,
    CrossingDataError,
    CrossingOption,
    answer_to_json,
    crossing_options,
    load_crossing_data,
)
from planner.timeutil import parse_aware


def _fmt(value: datetime) -> str:
    return value.isoformat(sep=" ", timespec="minutes")


def _fare(option: CrossingOption) -> str:
    if option.fare.amount is None:
        return f"unknown ({option.fare.currency})"
    return f"{option.fare.amount:,.0f} {option.fare.currency} per person"


def render_text(answer: CrossingAnswer) -> str:
    """The answer as plain text: one block per option, then the deadline and the reasons."""
    lines = [
        f"{CITY_NAMES[answer.direction_from]} -> {CITY_NAMES[answer.direction_to]} "
        f"from {_fmt(answer.after)}, nationality {answer.nationality}, "
        f"party of {answer.party_size}"
    ]
    if not answer.options:
        lines.append("No crossing option: do not plan a crossing in this window.")
    for number, option in enumerate(answer.options, start=1):
        lines += [
            "",
            f"{number}. {option.mode} ({option.mode_name.en})",
            f"   be at {option.from_point.name.en} by {_fmt(option.report_by)}",
            f"   depart {_fmt(option.depart)} {option.depart.tzinfo}",
            f"   arrive {_fmt(option.arrive)} {option.arrive.tzinfo} at {option.to_point.name.en}",
            f"   door to door {option.minutes} min; fare {_fare(option)}",
        ]
        lines += [f"   document: {doc}" for doc in option.documents]
        lines += [f"   ! {warning}" for warning in option.warnings]
        lines += [
            f"   source: {s.url} (checked {s.checked.isoformat()}): {s.supports}"
            for s in option.sources
        ]
    lines.append("")
    if answer.last_return is not None:
        lines.append(
            f"Last safe return from {CITY_NAMES[answer.direction_to]}: be at the port by "
            f"{_fmt(answer.last_return)} {answer.last_return.tzinfo}"
        )
    else:
        lines.append(f"No crossing back from {CITY_NAMES[answer.direction_to]} that day.")
    lines += [f"Reason: {reason}" for reason in answer.reasons]
    return "\n".join(lines)


@click.command("crossings")
@click.option("--from", "direction_from", required=True, help="heihe or blagoveshchensk")
@click.option("--after", required=True, help="ISO 8601 with offset, e.g. 2027-01-20T09:00+08:00")
@click.option("--nationality", required=True, help="ISO 3166-1 alpha-2 code, e.g. RU, CN, DE")
@click.option("--party", "party_size", type=int, default=1, show_default=True)
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--until", default=None, help="end of the window (default: end of the next day)")
@click.option("--visa", "visas", multiple=True, help="country you hold a visa for (CN or RU)")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def command(
    direction_from: str,
    after: str,
    nationality: str,
    party_size: int,
    limit: int,
    until: str | None,
    visas: tuple[str, ...],
    fmt: str,
) -> None:
    """Crossing options across the Amur from one city, with deadlines, sources and reasons."""
    try:
        start = parse_aware(after, "--after")
        end = parse_aware(until, "--until") if until else None
        data = load_crossing_data()
        answer = crossing_options(
            direction_from.strip().lower(),
            start,
            nationality,
            party_size,
            limit,
            data,
            until=end,
            entry_permits=visas,
        )
    except CrossingDataError as exc:
        raise click.ClickException(" | ".join(exc.problems)) from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(answer_to_json(answer), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(answer))
