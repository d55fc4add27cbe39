"""`python -m planner geocode`: propose positions for estimated places, for an editor to review.

The catalogue is never written: the command writes a review file (JSON) listing, for each place
whose point is only estimated, the geocoder's candidates for its address and its names in both
scripts, with the geodesic distance to the current point. An editor who accepts a candidate
edits data/attractions.geojson by hand, with the source (docs/data.md). Sourced points are not
even looked up. The geocoder is geopy's (Nominatim by default, with a descriptive user agent and
geopy's RateLimiter); tests inject a fake one, so no test touches the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from geopy.distance import geodesic

from planner import __version__, region, settings
from planner.catalogue import PATH_ENV, CatalogueError, load_catalogue
from planner.geocoding import GEOCODER_ENV, USER_AGENT_ENV, make_geocode
from planner.model import Attraction
from planner.timeutil import other_city

# PLANNER_GEOCODER here is a geopy service name: nominatim (default), photon, ...
DEFAULT_USER_AGENT = (
    f"amur-twin-cities-planner/{__version__} (data curation: python -m planner geocode)"
)

# geocode(query) -> a geopy Location (or a list of them), or None
Geocode = Callable[[str], Any]


def make_geocoder(service: str, user_agent: str, min_delay: float) -> Geocode:
    """geopy's geocoder for *service*, wrapped in a RateLimiter (Nominatim asks 1 request/s)."""
    return make_geocode(service, user_agent, min_delay)


def queries(place: Attraction) -> list[str]:
    """What to ask for: the address as stored, then the name in the local and the other script
    with the city's name in that script."""
    city = region.city(place.city)
    local = city.local_lang
    other = region.city(other_city(place.city)).local_lang
    asked = [place.address]
    for script in dict.fromkeys((local, other)):
        asked.append(f"{place.name.get(script)}, {city.address_name.get(script)}")
    return list(dict.fromkeys(q for q in asked if q.strip()))


def propose(places: Iterable[Attraction], geocode: Geocode) -> list[dict[str, Any]]:
    """The candidates for every estimated place (other places are skipped: never overwritten)."""
    out = []
    for place in places:
        if place.coord_confidence != "estimated":
            continue
        here = (place.location.lat, place.location.lon)
        candidates = []
        for query in queries(place):
            found = geocode(query)
            for location in found if isinstance(found, list) else [found] if found else []:
                km = geodesic(here, (location.latitude, location.longitude)).km
                candidates.append(
                    {
                        "query": query,
                        "lat": round(location.latitude, 6),
                        "lon": round(location.longitude, 6),
                        "address": getattr(location, "address", ""),
                        "distance_km": round(km, 3),
                        "within_uncertainty": km * 1000 <= place.coord_uncertainty_m,
                    }
                )
        out.append(
            {
                "id": place.id,
                "city": place.city,
                "name": place.name.as_dict(),
                "address": place.address,
                "current": {
                    "lat": place.location.lat,
                    "lon": place.location.lon,
                    "coord_confidence": place.coord_confidence,
                    "coord_uncertainty_m": place.coord_uncertainty_m,
                },
                "candidates": candidates,
            }
        )
    return out


@click.command("geocode")
@click.option(
    "--catalogue",
    "catalogue_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"places file (default: ${PATH_ENV}, else data/attractions.geojson)",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("instance/geocode-review.json"),
    show_default=True,
    help="the review file to write (JSON); never the catalogue",
)
@click.option(
    "--geocoder",
    "service",
    default=None,
    help=f"geopy service name (default: ${GEOCODER_ENV}, else nominatim)",
)
@click.option("--user-agent", default=None, help=f"default: ${USER_AGENT_ENV} or the project's")
@click.option("--min-delay", type=float, default=1.0, show_default=True, help="seconds between")
@click.option("--id", "ids", multiple=True, help="only these place ids (repeatable)")
def command(
    catalogue_path: Path | None,
    output: Path,
    service: str | None,
    user_agent: str | None,
    min_delay: float,
    ids: tuple[str, ...],
) -> None:
    """Propose positions for estimated places from their addresses; writes a review file only."""
    try:
        catalogue = load_catalogue(catalogue_path)
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None
    if output.resolve() == catalogue.path.resolve() or output.suffix == ".geojson":
        raise click.ClickException("the review file must not be the catalogue (use a .json file)")
    unknown = [i for i in ids if i not in catalogue]
    if unknown:
        raise click.ClickException(f"unknown place id(s): {', '.join(unknown)}")
    places = [catalogue.get(i) for i in ids] if ids else list(catalogue.attractions)
    service = service or settings.value(GEOCODER_ENV) or "nominatim"
    agent = user_agent or settings.value(USER_AGENT_ENV) or DEFAULT_USER_AGENT
    try:
        geocode = make_geocoder(service, agent, min_delay)
    except Exception as exc:  # geopy: an unknown service name, a missing setting
        raise click.ClickException(f"cannot use geocoder {service!r}: {exc}") from None
    proposals = propose(places, geocode)
    review = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "geocoder": service,
        "catalogue": str(catalogue.path),
        "note": (
            "Candidates only: nothing here is a sourced position. Check each against a map, "
            "convert GCJ-02/BD-09 points (planner/geo.py) and edit the catalogue by hand, with "
            "the source, as docs/data.md says."
        ),
        "places": proposals,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(review, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    found = sum(1 for p in proposals if p["candidates"])
    click.echo(f"{output}: {len(proposals)} estimated places, {found} with candidates")
