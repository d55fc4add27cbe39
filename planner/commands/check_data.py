"""`python -m planner check-data`: validate data/ and summarise it, or list every problem."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from planner.catalogue import DEFAULT_PATH, REPO_ROOT, Catalogue, CatalogueError, load_catalogue
from planner.model import COORD_CONFIDENCE, KINDS
from planner.timeutil import CITIES

CROSSING_PATH = REPO_ROOT / "data" / "crossing.json"
# planner/crossing.py is written alongside this command; accept the loader names it may use.
CROSSING_LOADERS = ("load_crossing", "load_crossing_data", "load_border", "load")


def _crossing_loader() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("planner.crossing")
    except ImportError:
        return None
    for name in CROSSING_LOADERS:
        loader = getattr(module, name, None)
        if callable(loader):
            return loader
    return None


def check_crossing(path: Path) -> tuple[str | None, list[str]]:
    """(summary line or None when skipped, problems) for the border-crossing data file."""
    if not path.exists():
        return None, []
    loader = _crossing_loader()
    if loader is None:
        return f"{path.name}: present, not checked (planner.crossing has no loader yet)", []
    try:
        loader(path)
    except Exception as exc:  # any failure of the other module's loader is a data problem here
        problems = getattr(exc, "problems", None)
        if problems:
            return None, [str(p) for p in problems]
        return None, [f"{path}: {exc}"]
    return f"{path.name}: OK", []


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


@click.command("check-data")
@click.option(
    "--path",
    "path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"catalogue file (default {DEFAULT_PATH.relative_to(REPO_ROOT)})",
)
def command(path: Path | None) -> None:
    """Validate the catalogue (and data/crossing.json when present); exit 1 on any problem."""
    problems: list[str] = []
    lines: list[str] = []
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        problems.extend(exc.problems)
    else:
        lines.extend(summarise(catalogue))
    crossing_line, crossing_problems = check_crossing(CROSSING_PATH)
    problems.extend(crossing_problems)
    if crossing_line:
        lines.append(crossing_line)
    if problems:
        click.echo(f"{len(problems)} problem(s) found:", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1)
    for line in lines:
        click.echo(line)
    click.echo("check-data: OK")
