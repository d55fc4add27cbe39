"""`python -m planner check-data`: validate data/ and summarise it, or list every problem.

Each file goes through the loader the app itself uses, so a file that passes here loads in the
planner, and every problem of every file is listed in one run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from planner import region
from planner.catalogue import PATH_ENV, Catalogue, CatalogueError, load_catalogue
from planner.crossing import CrossingDataError, load_crossing_data
from planner.data_health import data_health, position_problems, summary_lines
from planner.model import COORD_CONFIDENCE, KINDS
from planner.resources import DATA
from planner.textsafe import terminal_text
from planner.timeutil import CITIES
from planner.travel import TravelData, TravelDataError, load_travel_data

CROSSING_PATH = DATA / "crossing.json"  # planner.crossing's default too


def summarise(catalogue: Catalogue) -> list[str]:
    """Human-readable counts: places per city and kind, and how much of each fact is known."""
    lines = [f"{catalogue.path}: {len(catalogue)} places"]
    for city in CITIES:
        places = catalogue.by_city(city)
        kinds = Counter(a.kind for a in places)
        conf = Counter(a.coord_confidence for a in places)
        lines.append(
            f"  {city}: {len(places)} places (" + ", ".join(f"{kinds[k]} {k}" for k in KINDS) + ")"
        )
        lines.append(
            f"    verified hours: {sum(a.hours_verified for a in places)}; "
            f"hours given: {sum(a.opening_hours is not None for a in places)}; "
            f"known prices: {sum(a.price is not None for a in places)}"
        )
        lines.append("    coordinates: " + ", ".join(f"{conf[c]} {c}" for c in COORD_CONFIDENCE))
    return lines


def summarise_travel(path: Path, data: TravelData) -> str:
    """One line: each mode's speed and the currencies with an exchange rate."""
    modes = data.modes
    speeds = ", ".join(f"{name} {mode.speed_kmh:g} km/h" for name, mode in modes)
    rates = ", ".join(sorted(data.exchange.cny_per_unit))
    return f"{path}: OK ({speeds}; rates for {rates})"


_FILE = click.Path(path_type=Path, dir_okay=False)


@click.command("check-data")
@click.option(
    "--catalogue",
    "--path",
    "catalogue_path",
    type=_FILE,
    default=None,
    help=f"places file (default: ${PATH_ENV}, else data/attractions.geojson)",
)
@click.option(
    "--crossing",
    "crossing_path",
    type=_FILE,
    default=None,
    help="border-crossing file (default: the region's crossing.json, see PLANNER_DATA_DIR)",
)
@click.option(
    "--travel",
    "travel_path",
    type=_FILE,
    default=None,
    help="travel-time parameters (default: the region's travel.json)",
)
@click.option(
    "--summary",
    is_flag=True,
    help="also print the data-health figures of /about/data (per city: hours, prices, "
    "positions, source grades, oldest check)",
)
def command(
    catalogue_path: Path | None,
    crossing_path: Path | None,
    travel_path: Path | None,
    summary: bool = False,
) -> None:
    """Validate the catalogue, the crossing data and the travel parameters; exit 1 on a problem."""
    problems: list[str] = []
    lines: list[str] = []
    catalogue = crossing_data = None
    try:
        here = region.current()  # every other file is read against the region's cities
    except region.RegionError as exc:
        click.echo(f"{len(exc.problems)} problem(s) found:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {terminal_text(problem)}", err=True)
        raise SystemExit(1) from None
    lines.append(
        f"{region.data_dir() / region.FILE}: OK ({here.name.en}: {', '.join(here.ids)}; "
        f"{here.border.kind} border)"
    )
    try:
        catalogue = load_catalogue(catalogue_path)
        lines.extend(summarise(catalogue))
        # Positions that load but mislead: an invented marker shared by unrelated places, or a
        # stated radius that a point cited in the place's own sources contradicts.
        problems.extend(f"{catalogue.path}: {p}" for p in position_problems(catalogue.attractions))
    except CatalogueError as exc:
        problems.extend(exc.problems)
    crossing = crossing_path or region.data_file("crossing.json")
    try:
        crossing_data = load_crossing_data(crossing)
    except CrossingDataError as exc:
        problems.extend(exc.problems)
    else:
        lines.append(f"{crossing}: OK")
        base = crossing_data.visa_base
        if base is not None:
            lines.append(
                f"{region.data_file('passport_index.csv')}: OK ({len(base.rows)} rows; dataset of "
                f"{base.date.isoformat()}, commit {base.commit[:7]}, {base.grade}, "
                f"checked {base.checked.isoformat()})"
            )
    travel = travel_path or region.data_file("travel.json")
    try:
        lines.append(summarise_travel(travel, load_travel_data(travel)))
    except TravelDataError as exc:
        problems.extend(exc.problems)
    if problems:
        click.echo(f"{len(problems)} problem(s) found:", err=True)
        for problem in problems:
            click.echo(f"  - {terminal_text(problem)}", err=True)
        raise SystemExit(1)
    if summary and catalogue is not None and crossing_data is not None:
        lines.append("data health (as on /about/data):")
        lines.extend("  " + line for line in summary_lines(data_health(catalogue, crossing_data)))
    for line in lines:
        click.echo(terminal_text(line))
    click.echo("check-data: OK")
