"""How much of the data can be trusted: the numbers of `/about/data` and `check-data --summary`.

One function, `data_health()`, counts per city the places, verified hours, known prices,
positions by confidence (and how many are "position unknown", worse than ±1 km), the sources by
grade and the oldest check date; and the same grades and dates for data/crossing.json. The
catalogue's sources carry no grade, so they are graded by the URL's domain with the small table
`DOMAIN_GRADES` (documented in docs/data.md); crossing.json's sources carry their own grade.
Pure Python: the page and the command line only format these numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from planner.catalogue import Catalogue
from planner.crossing import CrossingData, GradedSource
from planner.geo import haversine_m
from planner.model import COORD_CONFIDENCE, Attraction, Source
from planner.timeutil import CITIES

GRADES = ("primary", "secondary", "tertiary", "editorial", "field")
# A point checked on the ground by a local agency (apply-review): `field-check:<agency>`.
FIELD_CHECK_SCHEME = "field-check:"
POSITION_UNKNOWN_M = 1000  # worse than ±1 km: the planner keeps such a place out of timed plans

# Domain (or a suffix of it) -> grade, first match wins. primary: governments and official
# bodies; secondary: press and news agencies; tertiary: wikis, guides, blogs, code repositories.
# A domain not listed counts as tertiary: it is trusted no more than a guide.
DOMAIN_GRADES: tuple[tuple[str, str], ...] = (
    ("gov.cn", "primary"),
    ("gov.ru", "primary"),
    ("rosgranstroy.ru", "primary"),
    ("patriarchia.ru", "primary"),
    ("tass.ru", "secondary"),
    ("interfax-russia.ru", "secondary"),
    ("kommersant.ru", "secondary"),
    ("mk.ru", "secondary"),
    ("rbth.com", "secondary"),
    ("amur.life", "secondary"),
    ("amurnews.ru", "secondary"),
    ("news-amur.ru", "secondary"),
    ("newsamur.ru", "secondary"),
    ("ampravda.ru", "secondary"),
    ("asn24.ru", "secondary"),
    ("eadaily.com", "secondary"),
    ("globaltimes.cn", "secondary"),
    ("chinadaily.com.cn", "secondary"),
    ("chinaservicesinfo.com", "secondary"),  # China Daily's services site
    ("chinanews.com", "secondary"),
    ("sputniknews.cn", "secondary"),
    ("gmw.cn", "secondary"),
    ("cri.cn", "secondary"),
    ("dbw.cn", "secondary"),
    ("163.com", "secondary"),
    ("pressreader.com", "secondary"),
    ("github.com", "tertiary"),
    ("wikipedia.org", "tertiary"),
    ("wikivoyage.org", "tertiary"),
    ("blogspot.com", "tertiary"),
    ("blog.sina.com.cn", "tertiary"),
)


def grade_of_url(url: str) -> str:
    """The grade of a catalogue source by its URL: the project's own pages are 'editorial'."""
    if url.startswith("docs/"):
        return "editorial"
    if url.startswith(FIELD_CHECK_SCHEME):
        return "field"
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    for domain, grade in DOMAIN_GRADES:
        if host == domain or host.endswith("." + domain):
            return grade
    return "tertiary"


def _grades(sources: Iterable[Source]) -> dict[str, int]:
    counts = Counter(
        s.grade if isinstance(s, GradedSource) and s.grade else grade_of_url(s.url) for s in sources
    )
    return {grade: counts[grade] for grade in GRADES}


@dataclass(frozen=True)
class RadiusConflict:
    """A place whose stated radius does not reach a point that one of its sources gives."""

    place: str
    url: str
    distance_m: int
    radius_m: int


def shared_estimated_points(places: Iterable[Attraction]) -> list[tuple[str, ...]]:
    """Groups of places on one identical point where one is estimated (an invented marker).

    An event held at another place (its `venue` tag) may share that place's point, and so may a
    part of a place whose own point is sourced (a pavilion in a museum's grounds); an estimated
    place that is not an event gets its own stand-in point even inside its venue (a monument
    somewhere on the embankment). Each group is sorted, and the groups by first id.
    """
    by_point: dict[tuple[float, float], list[Attraction]] = defaultdict(list)
    for place in places:
        by_point[(place.location.lat, place.location.lon)].append(place)
    groups = []
    for group in by_point.values():
        if len(group) < 2 or not any(p.is_estimated for p in group):
            continue
        ids = {p.id for p in group}
        unrelated = [
            p.id
            for p in group
            if p.tags.get("venue") not in ids or (p.is_estimated and p.kind != "event")
        ]
        if len(unrelated) > 1:
            groups.append(tuple(sorted(ids)))
    return sorted(groups)


def contradicted_radii(places: Iterable[Attraction]) -> list[RadiusConflict]:
    """Places whose `coord_uncertainty_m` does not reach a point one of their sources gives."""
    found = []
    for place in places:
        for source in place.sources:
            if source.point is None:
                continue
            here = place.location
            distance = haversine_m(here.lat, here.lon, source.point.lat, source.point.lon)
            if distance > place.coord_uncertainty_m:
                found.append(
                    RadiusConflict(place.id, source.url, round(distance), place.coord_uncertainty_m)
                )
    return sorted(found, key=lambda c: (c.place, c.url))


def position_problems(places: Iterable[Attraction]) -> list[str]:
    """The two position checks of `check-data`, as sentences (empty when both pass)."""
    places = tuple(places)
    problems = [
        f"places {', '.join(group)} share one estimated point: give each its own sourced point, "
        "or widen one's radius around a reference point moved off the others (say so in "
        "coord_method)"
        for group in shared_estimated_points(places)
    ]
    problems += [
        f"place {c.place!r}: a point its source {c.url} gives lies {c.distance_m} m away, "
        f"beyond its stated ±{c.radius_m} m: move the point or widen coord_uncertainty_m"
        for c in contradicted_radii(places)
    ]
    return problems


@dataclass(frozen=True)
class CityHealth:
    """The trust figures of one city's places."""

    city: str
    places: int
    verified_hours: int
    hours_given: int
    known_prices: int
    positions: dict[str, int]  # confidence -> places
    position_unknown: int  # worse than ±1 km
    sources: dict[str, int]  # grade -> source entries
    oldest_check: date | None
    shared_estimated: int = 0  # places on a point shared with another where one is estimated
    radius_contradicted: int = 0  # places whose radius does not reach a point a source gives


@dataclass(frozen=True)
class CrossingHealth:
    """The trust figures of data/crossing.json."""

    sources: dict[str, int]  # grade -> source entries
    rules: int
    oldest_rule_check: date | None
    oldest_check: date | None


@dataclass(frozen=True)
class DataHealth:
    cities: tuple[CityHealth, ...]
    crossing: CrossingHealth


def _crossing_sources(data: CrossingData) -> list[Source]:
    found: list[Source] = []
    for point in data.points:
        found += point.sources
    for _mode_id, mode in data.modes.items():
        found += mode.typical_sources + mode.status_sources
        for window in mode.seasons:
            found += window.sources
        for table in mode.timetables.values():
            found += table.sources
        for fare in mode.fares.values():
            found += fare.sources
        if mode.ride is not None:
            found += mode.ride.sources
        for note in mode.notes:
            found += note.sources
    found += data.checkpoint_minutes.sources + data.closures.spring_festival.sources
    found += data.ice_risk.sources
    for hours in data.port_hours:
        found += hours.sources
    for closure in data.closures.dated:
        found += closure.sources
    for holiday in data.holiday_notes.values():
        found += holiday.sources
    for note in (*data.customs.values(), *data.documents.values()):
        found += note.sources
    for rule in data.entry_rules:
        found += rule.sources
        for ext in (*rule.extensions, *rule.reported_extensions):
            found += ext.sources
    return found  # one entry per citation: a source cited by two facts counts twice


def data_health(catalogue: Catalogue, crossing: CrossingData) -> DataHealth:
    """The trust figures of the catalogue (per city) and of the crossing data."""
    cities = []
    for city in CITIES:
        places = catalogue.by_city(city)
        sources = [s for p in places for s in p.sources]
        confidence = Counter(p.coord_confidence for p in places)
        cities.append(
            CityHealth(
                city=city,
                places=len(places),
                verified_hours=sum(p.hours_verified for p in places),
                hours_given=sum(p.opening_hours is not None for p in places),
                known_prices=sum(p.price is not None for p in places),
                positions={c: confidence[c] for c in COORD_CONFIDENCE},
                position_unknown=sum(p.coord_uncertainty_m > POSITION_UNKNOWN_M for p in places),
                sources=_grades(sources),
                oldest_check=min((s.checked for s in sources), default=None),
                shared_estimated=sum(len(g) for g in shared_estimated_points(places)),
                radius_contradicted=len({c.place for c in contradicted_radii(places)}),
            )
        )
    cited = _crossing_sources(crossing)
    rule_checks = [r.checked for r in crossing.entry_rules if r.checked is not None]
    return DataHealth(
        cities=tuple(cities),
        crossing=CrossingHealth(
            sources=_grades(cited),
            rules=len(crossing.entry_rules),
            oldest_rule_check=min(rule_checks, default=None),
            oldest_check=min((s.checked for s in cited), default=None),
        ),
    )


def summary_lines(health: DataHealth) -> list[str]:
    """The figures as lines of text (English), for `check-data --summary`."""
    lines = []
    for c in health.cities:
        lines.append(f"{c.city}: {c.places} places")
        lines.append(
            f"  hours: {c.verified_hours} verified, {c.hours_given} given; "
            f"prices known: {c.known_prices}"
        )
        lines.append(
            "  positions: "
            + ", ".join(f"{n} {conf}" for conf, n in c.positions.items())
            + f"; position unknown (worse than ±1 km): {c.position_unknown}"
        )
        lines.append(
            f"  on a shared estimated point: {c.shared_estimated}; "
            f"radius contradicted by a cited point: {c.radius_contradicted}"
        )
        lines.append("  sources: " + ", ".join(f"{n} {g}" for g, n in c.sources.items()))
        lines.append(f"  oldest check: {c.oldest_check.isoformat() if c.oldest_check else '-'}")
    x = health.crossing
    lines.append("crossing: " + ", ".join(f"{n} {g}" for g, n in x.sources.items()) + " sources")
    lines.append(
        f"  entry rules: {x.rules}, oldest rule check "
        f"{x.oldest_rule_check.isoformat() if x.oldest_rule_check else '-'}; "
        f"oldest source check {x.oldest_check.isoformat() if x.oldest_check else '-'}"
    )
    return lines
