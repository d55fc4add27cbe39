"""`python -m planner plan`: an itinerary as JSON or as a readable day-by-day plan."""

from __future__ import annotations

import json
from datetime import datetime

import click

from planner.errors import DataProblems
from planner.planning import PACES, PlanningError, TripRequest, itinerary_to_json, plan_trip
from planner.timeutil import parse_aware
from planner.travel import MODES


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _text(data: dict, lang: str = "en") -> str:
    lines: list[str] = []
    for day in data["days"]:
        lines.append(f"== {day['date']} ({day['city_start']} -> {day['city_end']})")
        events = [
            (
                s["arrive"],
                f"{s['arrive'][11:16]}-{s['depart'][11:16]}  {s['name'][lang]}"
                f"  [{s['leg']['mode']} {s['leg']['minutes']} min]",
            )
            for s in day["stops"]
        ]
        events += [
            (m["start"], f"{m['start'][11:16]}-{m['end'][11:16]}  {m['kind']}")
            for m in day["meals"]
        ]
        events += [
            (
                c["depart"],
                f"{c['depart'][11:16]}  cross by {c['mode']}, arrive "
                f"{c['arrive'][11:16]} ({c['arrive'][16:]})",
            )
            for c in day["crossings"]
        ]
        lines += [text for _, text in sorted(events, key=lambda e: datetime.fromisoformat(e[0]))]
    if data["left_out"]:
        lines.append("Left out:")
        lines += [
            f"  {x['attraction_id']}: {x['reason']} ({x['detail']})" for x in data["left_out"]
        ]
    lines += [f"! {w}" for w in data["warnings"]]
    return "\n".join(lines)


@click.command("plan")
@click.option("--arrive", required=True, help="ISO 8601 with offset, e.g. 2027-07-10T09:00+08:00")
@click.option("--depart", required=True, help="ISO 8601 with offset")
@click.option("--stay", required=True, help="city of each night, comma-separated (or one city)")
@click.option("--arrive-place", default=None, help="catalogue id of the arrival point")
@click.option("--depart-place", default=None, help="catalogue id of the departure point")
@click.option("--interests", default="", help="comma-separated, e.g. history,architecture")
@click.option("--pace", type=click.Choice(list(PACES)), default="normal")
@click.option("--nationality", default="CN", help="ISO 3166 alpha-2 code of the passport")
@click.option("--party", "party_size", type=click.IntRange(min=1), default=1)
@click.option("--must-see", default="", help="comma-separated catalogue ids")
@click.option("--exclude", default="", help="comma-separated catalogue ids")
@click.option("--transport", default="walk,taxi", help=f"modes among {','.join(MODES)}")
@click.option("--transport-heihe", default=None, help="modes in Heihe (default: --transport)")
@click.option(
    "--transport-blagoveshchensk",
    default=None,
    help="modes in Blagoveshchensk (default: --transport)",
)
@click.option("--lang", type=click.Choice(["en", "zh", "ru"]), default="en", help="names in text")
@click.option("--budget", "daily_budget", type=float, default=None, help="per day, whole party")
@click.option("--currency", "budget_currency", type=click.Choice(["CNY", "RUB"]), default="CNY")
@click.option("--time-limit", type=float, default=0.25, help="solver seconds")
@click.option("--seed", type=int, default=0)
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
def command(
    arrive,
    depart,
    stay,
    arrive_place,
    depart_place,
    interests,
    pace,
    nationality,
    party_size,
    must_see,
    exclude,
    transport,
    transport_heihe,
    transport_blagoveshchensk,
    lang,
    daily_budget,
    budget_currency,
    time_limit,
    seed,
    fmt,
) -> None:  # noqa: ANN001
    """Plan a trip across Heihe and Blagoveshchensk."""
    try:
        modes = _csv(transport)
        request = TripRequest(
            arrive=parse_aware(arrive, "--arrive"),
            depart=parse_aware(depart, "--depart"),
            stay=_csv(stay),
            arrive_place=arrive_place,
            depart_place=depart_place,
            interests=_csv(interests),
            pace=pace,
            nationality=nationality.upper(),
            party_size=party_size,
            must_see=_csv(must_see),
            exclude=_csv(exclude),
            transport=(
                ("heihe", _csv(transport_heihe) if transport_heihe else modes),
                (
                    "blagoveshchensk",
                    _csv(transport_blagoveshchensk) if transport_blagoveshchensk else modes,
                ),
            ),
            language=lang,
            daily_budget=daily_budget,
            budget_currency=budget_currency,
        )
        data = itinerary_to_json(plan_trip(request, time_limit=time_limit, seed=seed))
    except DataProblems as exc:
        raise click.ClickException(str(exc)) from None
    except (PlanningError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(_text(data, lang))
