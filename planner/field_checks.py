"""Positions from the field: a local agency's check of a place's point, kept as a reviewed change.

The agency page (planner/web/field.py) never edits the catalogue. It appends a *review* to a JSON
lines file (`instance/field-reviews.jsonl` by default, one object a line, status `pending`); an
editor accepts a review (`python -m planner apply-review --accept ID`, or by setting its status
to `accepted`), and apply-review writes the accepted points into data/attractions.geojson: the
point, `coord_confidence` "field", the reported accuracy as `coord_uncertainty_m`, `coord_method`
"field check" and a source `field-check:<agency>` (graded `field` by planner.data_health).

Pure Python: the web page and the command line call these functions and word their codes.
Points are WGS-84 and always `(lat, lon)`.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from planner import region
from planner.catalogue import Catalogue, parse_feature_collection
from planner.data_health import FIELD_CHECK_SCHEME, position_problems
from planner.errors import PlannerError
from planner.model import FIELD_CONFIDENCE, Attraction
from planner.resources import INSTANCE
from planner.textsafe import user_text
from planner.timeutil import CITY_COUNTRY

DEFAULT_REVIEWS = INSTANCE / "field-reviews.jsonl"
STATUSES = ("pending", "accepted", "rejected", "applied")
METHODS = ("geolocation", "map", "typed")
# A map click or a typed point has no measured accuracy: we assume ±50 m (a click at street
# zoom on the offline base map or on tiles; the curator sees the building). Geolocation reports
# its own accuracy, which is kept (rounded up to whole metres).
ASSUMED_ACCURACY_M = 50
MAX_ACCURACY_M = 1000  # coarser than ±1 km is no better than "position unknown": refused
MAX_NOTE = 500
MAX_AGENCY = 100
FIELD_METHOD = "field check"
_append_lock = threading.Lock()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a report: the form field, a code, its parameters, and whether the
    input was unreadable (HTTP 400) rather than readable but unacceptable (422)."""

    field: str
    code: str
    params: dict[str, Any]
    malformed: bool = False


@dataclass(frozen=True)
class FieldReview:
    """One reported point for one place, as a line of the review file."""

    review_id: str
    place_id: str
    lat: float
    lon: float
    accuracy_m: int
    method: str  # geolocation | map | typed
    note: str
    date: str  # the day of the check, YYYY-MM-DD
    agency: str
    submitted: str  # ISO 8601 with offset (UTC)
    status: str = "pending"
    previous: dict[str, Any] | None = None  # the catalogue's point when it was reported
    applied: str | None = None  # when apply-review wrote it (ISO 8601, UTC)

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class ReviewFileError(PlannerError, ValueError):
    """The review file cannot be read or a line of it is not a review; `problems` says where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- the report ---------------------------------------------------------------------------------


def in_region(lat: float, lon: float) -> bool:
    """Whether a point lies in the box the catalogue covers (day trips included)."""
    return region.current().reach.contains(lat, lon)


def _number(text: str, name: str, problems: list[Problem]) -> float | None:
    try:
        value = float(text.strip())
    except (AttributeError, ValueError):
        problems.append(Problem(name, "not_a_number", {}, malformed=True))
        return None
    if not math.isfinite(value):
        problems.append(Problem(name, "not_a_number", {}, malformed=True))
        return None
    return value


def check_report(
    place: Attraction,
    form: dict[str, str],
    today: date,
) -> tuple[FieldReview | None, list[Problem]]:
    """A review from a form's text fields (lat, lon, accuracy_m, method, note, date, agency),
    or the problems that stop it. *today* is the day on the place's city clock."""
    problems: list[Problem] = []
    lat = _number(form.get("lat", ""), "lat", problems)
    lon = _number(form.get("lon", ""), "lon", problems)
    if lat is not None and not -90 <= lat <= 90:
        problems.append(Problem("lat", "out_of_range", {"low": -90, "high": 90}, malformed=True))
        lat = None
    if lon is not None and not -180 <= lon <= 180:
        problems.append(Problem("lon", "out_of_range", {"low": -180, "high": 180}, malformed=True))
        lon = None
    if lat is not None and lon is not None:
        if not in_region(lat, lon):
            problems.append(Problem("lat", "outside_region", {}))
        elif region.current().country_at(lat, lon) != CITY_COUNTRY[place.city]:
            problems.append(Problem("lat", "wrong_bank", {"city": place.city}))
    method = form.get("method", "").strip() or "typed"
    if method not in METHODS:
        problems.append(Problem("method", "unknown_method", {}, malformed=True))
        method = "typed"
    accuracy = float(ASSUMED_ACCURACY_M)
    if method == "geolocation":
        measured = _number(form.get("accuracy_m", ""), "accuracy_m", problems)
        if measured is not None and not 0 < measured <= MAX_ACCURACY_M:
            problems.append(Problem("accuracy_m", "too_coarse", {"max": MAX_ACCURACY_M}))
        accuracy = measured if measured is not None else accuracy
    note = user_text(form.get("note", "")).strip()
    if len(note) > MAX_NOTE:
        problems.append(Problem("note", "too_long", {"max": MAX_NOTE}))
    agency = " ".join(user_text(form.get("agency", "")).split())  # one line: it names a source
    if not agency:
        problems.append(Problem("agency", "required", {}, malformed=True))
    elif len(agency) > MAX_AGENCY:
        problems.append(Problem("agency", "too_long", {"max": MAX_AGENCY}))
    day: date | None = None
    try:
        day = date.fromisoformat(form.get("date", "").strip())
    except ValueError:
        problems.append(Problem("date", "not_date", {}, malformed=True))
    if day is not None and day > today:
        problems.append(Problem("date", "in_future", {"today": today.isoformat()}))
    if problems or lat is None or lon is None or day is None:
        return None, problems
    return (
        FieldReview(
            review_id=secrets.token_hex(6),
            place_id=place.id,
            lat=round(lat, 6),
            lon=round(lon, 6),
            accuracy_m=max(1, math.ceil(accuracy)),
            method=method,
            note=note,
            date=day.isoformat(),
            agency=agency,
            submitted=datetime.now(UTC).isoformat(timespec="seconds"),
            previous={
                "lat": place.location.lat,
                "lon": place.location.lon,
                "coord_confidence": place.coord_confidence,
                "coord_uncertainty_m": place.coord_uncertainty_m,
            },
        ),
        [],
    )


def worst_positions(catalogue: Catalogue) -> list[Attraction]:
    """Every place, the least certain position first (then by id)."""
    return sorted(catalogue.attractions, key=lambda a: (-a.coord_uncertainty_m, a.id))


# --- the review file ----------------------------------------------------------------------------


def append_review(path: Path, review: FieldReview) -> None:
    """Add one review as a line of *path* (made with its folder when missing)."""
    line = json.dumps(review.as_json(), ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _append_lock, path.open("a", encoding="utf-8") as out:
        out.write(line)


_REQUIRED = {
    "review_id": str,
    "place_id": str,
    "lat": (int, float),
    "lon": (int, float),
    "accuracy_m": int,
    "method": str,
    "note": str,
    "date": str,
    "agency": str,
    "submitted": str,
    "status": str,
}


def _review_from(raw: Any, where: str) -> tuple[FieldReview | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"{where}: expected a JSON object"]
    problems = []
    for key, kind in _REQUIRED.items():
        if key not in raw:
            problems.append(f"{where}: field '{key}' is missing")
        elif isinstance(raw[key], bool) or not isinstance(raw[key], kind):
            problems.append(f"{where}: field '{key}' has the wrong type")
    unknown = sorted(set(raw) - set(_REQUIRED) - {"previous", "applied"})
    problems += [f"{where}: unknown field '{key}'" for key in unknown]
    if problems:
        return None, problems
    if raw["status"] not in STATUSES:
        problems.append(f"{where}: status {raw['status']!r}: expected one of {', '.join(STATUSES)}")
    if not (-90 <= raw["lat"] <= 90 and -180 <= raw["lon"] <= 180):
        problems.append(f"{where}: ({raw['lat']}, {raw['lon']}) is not a point on the globe")
    if not 0 < raw["accuracy_m"] <= MAX_ACCURACY_M:
        problems.append(f"{where}: accuracy_m must be from 1 to {MAX_ACCURACY_M}")
    try:
        date.fromisoformat(raw["date"])
    except ValueError:
        problems.append(f"{where}: date {raw['date']!r} is not YYYY-MM-DD")
    if not raw["agency"].strip():
        problems.append(f"{where}: agency is empty")
    if problems:
        return None, problems
    return FieldReview(**raw), []


def read_reviews(path: Path) -> list[FieldReview]:
    """Every review of *path*, in file order; ReviewFileError lists each bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReviewFileError([f"{path}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewFileError([f"{path}: cannot read the file ({exc})"]) from None
    reviews, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg})")
            continue
        review, found = _review_from(raw, where)
        problems += found
        if review is not None:
            reviews.append(review)
    ids = [r.review_id for r in reviews]
    problems += [
        f"{path}: review id {i!r} is used twice" for i in sorted(set(ids)) if ids.count(i) > 1
    ]
    if problems:
        raise ReviewFileError(problems)
    return reviews


def write_reviews(path: Path, reviews: Iterable[FieldReview]) -> None:
    """Rewrite the whole review file (after apply-review changed statuses), atomically."""
    text = "".join(json.dumps(r.as_json(), ensure_ascii=False) + "\n" for r in reviews)
    _write_atomic(path, text)


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


# --- applying accepted reviews ------------------------------------------------------------------


def field_source(review: FieldReview) -> dict[str, Any]:
    """The catalogue source entry of a field check (docs/data.md: Sources)."""
    return {
        "url": f"{FIELD_CHECK_SCHEME}{review.agency}",
        "supports": f"coordinates: field check by {review.agency}, {review.date}",
        "checked": review.date,
        "point": {"lat": review.lat, "lon": review.lon},
    }


def _apply_one(props: dict[str, Any], feature: dict[str, Any], review: FieldReview) -> None:
    before = feature["geometry"]["coordinates"]
    feature["geometry"]["coordinates"] = [review.lon, review.lat]
    history = (
        f"Position from a field check by {review.agency} on {review.date} "
        f"({review.method}, ±{review.accuracy_m} m; review {review.review_id}); "
        f"it was [{before[1]}, {before[0]}] ({props.get('coord_confidence')}, "
        f"±{props.get('coord_uncertainty_m')} m, {props.get('coord_method')})."
    )
    if review.note:
        history += f" Agency's note: {review.note}"
    props["coord_confidence"] = FIELD_CONFIDENCE
    props["coord_uncertainty_m"] = review.accuracy_m
    props["coord_method"] = FIELD_METHOD
    props["sources"] = [*props.get("sources", []), field_source(review)]
    old = props.get("editorial_note", "")
    props["editorial_note"] = f"{old} {history}".strip() if old else history


@dataclass(frozen=True)
class Applied:
    """What apply-review did: the catalogue's new text, the reviews written, and the problems
    that stop it (nothing may be written when there are any)."""

    text: str
    applied: tuple[FieldReview, ...]
    problems: tuple[str, ...]


def apply_reviews(catalogue_text: str, reviews: Iterable[FieldReview], now: datetime) -> Applied:
    """The catalogue text with every accepted review applied (a later one for the same place
    wins), checked as check-data checks it; `problems` is empty when the text may be written."""
    data = json.loads(catalogue_text)
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        return Applied(catalogue_text, (), ("the catalogue is not a GeoJSON FeatureCollection",))
    features = {
        f.get("properties", {}).get("id"): f
        for f in data.get("features", [])
        if isinstance(f, dict) and isinstance(f.get("properties"), dict)
    }
    done: list[FieldReview] = []
    problems: list[str] = []
    for review in reviews:
        if review.status != "accepted":
            continue
        feature = features.get(review.place_id)
        if feature is None:
            problems.append(f"review {review.review_id}: no place {review.place_id!r}")
            continue
        props = feature["properties"]
        city = props.get("city")
        if not in_region(review.lat, review.lon):
            problems.append(f"review {review.review_id}: the point lies outside the region")
            continue
        if (
            city in CITY_COUNTRY
            and region.current().country_at(review.lat, review.lon) != CITY_COUNTRY[city]
        ):
            problems.append(
                f"review {review.review_id}: the point lies across the "
                f"{region.current().border.name.en} from {city}"
            )
            continue
        _apply_one(props, feature, review)
        done.append(replace(review, status="applied", applied=now.isoformat(timespec="seconds")))
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if not problems and done:
        places, found = parse_feature_collection(text, data, "the catalogue after applying")
        problems += found
        problems += position_problems(places) if places else []
    return Applied(text, tuple(done), tuple(problems))


def write_catalogue(path: Path, text: str) -> None:
    """Replace the catalogue file with *text*, atomically (no half-written catalogue)."""
    _write_atomic(path, text)
