"""A saved plan as files other programs open: GPX, iCalendar (ICS), KML and GeoJSON.

The input is the **plan document** (`planner.plan_document.PlanDocument`, a revision's
itinerary read once), the one thing the web pages, the API and the command line all have;
coordinates, addresses and opening hours come from the catalogue by id. Pure Python (no
Flask): texts go through the *gettext* the adapter passes, in the plan's language. Each format
is written by its own library (gpxpy, icalendar, simplekml; GeoJSON is plain JSON), which
escapes for its syntax; KML descriptions are HTML to their readers (Google Earth), so they are
HTML-escaped once more.
Coordinates are (lat, lon) inside, (lon, lat) only at the GeoJSON and KML edges.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from planner import region
from planner.catalogue import Catalogue
from planner.documents import render
from planner.hours_text import hours_in_words
from planner.messages import (
    LEG_MODE_LABELS,
    MEAL_LABELS,
    MEAL_NEAR_LABELS,
    N_,
    clock_text,
    mode_word,
)
from planner.model import LocalizedName
from planner.plan_document import CrossingItem, PlanDocument, PlanMessage
from planner.plan_document import Leg as PlanLeg
from planner.plan_words import crossing_clocks, leg_words, mode_words
from planner.timeutil import CITIES, city_zone
from planner.wording import money_text

Gettext = Callable[[str], str]
FORMATS: dict[str, str] = {
    "gpx": "application/gpx+xml",
    "ics": "text/calendar",
    "kml": "application/vnd.google-earth.kml+xml",
    "geojson": "application/geo+json",
}
PRODUCT = "Amur Twin Cities Planner"
UID_DOMAIN = "amur-twin-cities-planner"
# Characters XML 1.0 forbids (C0 controls but tab and newlines, surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What ends or breaks a line (CR, LF, NEL, U+2028/9) and every other control character: a
# single-line field (an ICS SUMMARY or X-WR-CALNAME, a GPX or KML name) carries none of them.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]+")

BORDER_CROSSING = N_("Border crossing")
INDICATIVE = N_("about %(time)s (indicative)")


def plain(text: Any) -> str:
    """User or data text as a plain string any XML file can carry (nothing else is changed)."""
    return _NOT_XML.sub("", str(text or ""))


def one_line(text: Any) -> str:
    """Text for a single-line field: each run of line breaks and controls becomes one space
    (a title's CR would otherwise start a new, forged line in an ICS file)."""
    return _NOT_ONE_LINE.sub(" ", str(text or "")).strip()


def lines_of(text: Any) -> str:
    """Multi-line text with every line break as LF (a lone CR is a break too), no controls."""
    return plain(str(text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _span(stop: Any, gettext: Gettext, lang: str) -> str:
    """'10:00 <city> (UTC+8) – 11:00 <city> (UTC+8)': when a stop begins and ends."""
    start = clock_text(stop.start, stop.city, gettext, lang)
    return f"{start} – {clock_text(stop.end, stop.city, gettext, lang)}"


def money(amount: float | None, currency: str, gettext: Gettext, lang: str = "en") -> str:
    if amount is None:
        return gettext("price unknown")
    if amount == 0:
        return gettext("free")
    return money_text(amount, currency, lang)


def both_names(name: LocalizedName, city: str, lang: str) -> str:
    """'Annunciation Cathedral / Благовещенский собор': the name in *lang* and in local script."""
    main = name.get(lang)
    local = name.get(region.city(city).local_lang, "") if city in CITIES else ""
    return one_line(main if not local or local == main else f"{main} / {local}")


@dataclass(frozen=True)
class PlanInfo:
    """What an export says about the plan itself: id, title, notes, language, last change."""

    id: str
    title: str
    notes: str
    lang: str
    updated_at: datetime
    url: str = ""  # the read-only share link, when the adapter knows it
    day_notes: tuple[str, ...] = ()  # the traveller's note for each day ("" for none)

    def day_note(self, index: int) -> str:
        return lines_of(self.day_notes[index]) if index < len(self.day_notes) else ""


@dataclass(frozen=True)
class Stop:
    """One place of the plan on the map: a visit, a meal place, or a crossing's point."""

    day: int  # 0-based
    kind: str  # visit | meal | crossing_from | crossing_to
    name: LocalizedName
    city: str
    lat: float | None
    lon: float | None
    start: datetime  # aware, on the city's clock
    end: datetime
    number: int | None = None  # visits are numbered per day, as on the plan page
    attraction_id: str | None = None
    address: str = ""
    mode: str = ""  # the crossing's mode, or the leg's mode that led here
    details: list[str] = field(default_factory=list)  # lines for a description

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


def _on(moment: datetime, zone: str | None) -> datetime:
    return moment.astimezone(ZoneInfo(zone)) if zone else moment


def _texts(messages: list[PlanMessage], gettext: Gettext, lang: str) -> list[str]:
    return [plain(render(m.to_message(), gettext, lang)) for m in messages]


def _each(name: LocalizedName, prefix: str) -> LocalizedName:
    """*name* after *prefix* in each language ('Lunch: ' + the place's name)."""
    return LocalizedName(zh=prefix + name.zh, ru=prefix + name.ru, en=prefix + name.en)


def crossing_lines(item: CrossingItem, gettext: Gettext, lang: str) -> list[str]:
    """Where to be by when, both clocks, documents and fare: the crossing's description."""
    frm = item.direction_from
    to = item.to_point.city
    words = crossing_clocks(
        item.mode, item.report_by, item.depart, item.arrive, frm, to, gettext, lang
    )

    def when(text: str) -> str:
        return gettext(INDICATIVE) % {"time": text} if item.indicative else text

    lines = [
        gettext("Be at %(place)s by %(time)s")
        % {"place": both_names(item.from_point.name, frm, lang), "time": words.report_by},
        gettext("Departs %(time)s") % {"time": when(words.depart)} + f" = {words.depart_other}",
        gettext("Arrives %(time)s at %(place)s")
        % {"time": when(words.arrive), "place": both_names(item.to_point.name, to, lang)}
        + f" = {words.arrive_other}",
    ]
    lines.append(
        f"{gettext('Fare per person')}: "
        + money(item.fare.amount, item.fare.currency, gettext, lang)
    )
    documents = _texts(item.documents, gettext, lang)
    if documents:
        lines.append(f"{gettext('Documents')}: " + "; ".join(documents))
    if item.back_by:
        lines.append(
            gettext("Last safe return: be back at the port by %(time)s")
            % {"time": clock_text(item.back_by, to, gettext, lang)}
        )
    return [plain(line) for line in lines]


def _mode_words(mode: str, gettext: Gettext, lang: str) -> str:
    """A leg's or a crossing's mode in words; '' when there is none."""
    if mode in LEG_MODE_LABELS:
        return gettext(LEG_MODE_LABELS[mode])
    return mode_word(mode, gettext, lang) if mode else ""


def _leg_line(leg: PlanLeg | None, gettext: Gettext, lang: str) -> list[str]:
    """The way to a stop in words ('taxi 12 min, 3.4 km'), or nothing when there is none."""
    words = leg_words(leg, gettext, lang)
    return [words] if words else []


def _meal_where(near: str) -> str:
    return MEAL_NEAR_LABELS.get(near, MEAL_NEAR_LABELS["last_stop"])


def plan_stops(doc: PlanDocument, catalogue: Catalogue, gettext: Gettext, lang: str) -> list[Stop]:
    """Every place of the plan in order, day by day (a crossing gives its two points)."""
    stops: list[Stop] = []
    for index, day in enumerate(doc.days):
        number = 0
        for item in day.items:
            if item.type == "visit":
                number += 1
                pid = item.attraction_id
                place = catalogue.get(pid) if pid in catalogue else None
                stops.append(
                    Stop(
                        day=index,
                        kind="visit",
                        name=item.name,
                        city=item.city,
                        lat=place.location.lat if place else None,
                        lon=place.location.lon if place else None,
                        start=_on(item.arrive, item.zone),
                        end=_on(item.depart, item.zone),
                        number=number,
                        attraction_id=pid,
                        address=plain(place.address) if place else "",
                        mode=item.leg.mode if item.leg else "",
                        details=_leg_line(item.leg, gettext, lang),
                    )
                )
            elif item.type == "meal":
                ref = item.place
                place = (
                    catalogue.get(ref.attraction_id)
                    if ref and ref.attraction_id in catalogue
                    else None
                )
                label = gettext(MEAL_LABELS.get(item.kind, item.kind))
                if ref:
                    name = _each(ref.name, f"{label}: ")
                else:  # near where the traveller is: in the reader's language only
                    near = f"{label}: {gettext(_meal_where(item.near))}"
                    name = LocalizedName(
                        **{k: near if k == lang else "" for k in ("zh", "ru", "en")}
                    )
                stops.append(
                    Stop(
                        day=index,
                        kind="meal",
                        name=name,
                        city=item.city,
                        lat=place.location.lat if place else None,
                        lon=place.location.lon if place else None,
                        start=_on(item.start, item.zone),
                        end=_on(item.end, item.zone),
                        attraction_id=ref.attraction_id if ref else None,
                        address=plain(place.address) if place else "",
                        mode=item.leg.mode if item.leg else "",
                        details=_leg_line(item.leg, gettext, lang),
                    )
                )
            else:
                lines = crossing_lines(item, gettext, lang)
                mode = mode_words(item.mode, gettext, lang)
                for side, point, start, end, zone in (
                    (
                        "crossing_from",
                        item.from_point,
                        item.report_by,
                        item.depart,
                        item.depart_zone,
                    ),
                    ("crossing_to", item.to_point, item.arrive, item.arrive, item.arrive_zone),
                ):
                    stops.append(
                        Stop(
                            day=index,
                            kind=side,
                            name=_each(point.name, f"{gettext(BORDER_CROSSING)} ({mode}): "),
                            city=point.city,
                            lat=point.location.lat if point.location else None,
                            lon=point.location.lon if point.location else None,
                            start=_on(start, zone),
                            end=_on(end, zone),
                            mode=item.mode,
                            details=lines,
                        )
                    )
    return stops


# --------------------------------------------------------------------------- GPX


def to_gpx(doc: PlanDocument, catalogue: Catalogue, info: PlanInfo, gettext: Gettext) -> str:
    """Waypoints for stops, meal places and crossing points; a route per day, in order."""
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    gpx.creator = PRODUCT
    gpx.name = one_line(info.title) or gettext("Untitled trip")
    gpx.description = lines_of(info.notes) or None
    gpx.link = info.url or None
    gpx.time = info.updated_at.astimezone(UTC)
    stops = plan_stops(doc, catalogue, gettext, info.lang)
    routes: dict[int, gpxpy.gpx.GPXRoute] = {}
    for stop in stops:
        if not stop.located:
            continue
        name = both_names(stop.name, stop.city, info.lang)
        names = (stop.name.zh, stop.name.ru, stop.name.en)
        comment = " / ".join(dict.fromkeys(one_line(n) for n in names if n))
        description = lines_of(
            "\n".join(
                [_span(stop, gettext, info.lang)]
                + ([stop.address] if stop.address else [])
                + stop.details
            )
        )
        gpx.waypoints.append(
            gpxpy.gpx.GPXWaypoint(
                latitude=stop.lat,
                longitude=stop.lon,
                time=stop.start.astimezone(UTC),
                name=name,
                comment=comment,
                description=description,
                symbol={"visit": "Scenic Area", "meal": "Restaurant"}.get(stop.kind, "Anchor"),
                type=stop.kind,
            )
        )
        if stop.day not in routes:
            routes[stop.day] = gpxpy.gpx.GPXRoute(
                name=gettext("Day %(n)s") % {"n": stop.day + 1}, number=stop.day + 1
            )
            gpx.routes.append(routes[stop.day])
        routes[stop.day].points.append(
            gpxpy.gpx.GPXRoutePoint(
                latitude=stop.lat, longitude=stop.lon, time=stop.start.astimezone(UTC), name=name
            )
        )
    return gpx.to_xml(version="1.1")


# --------------------------------------------------------------------------- iCalendar


def to_ics(doc: PlanDocument, catalogue: Catalogue, info: PlanInfo, gettext: Gettext) -> bytes:
    """One VEVENT per visit, meal and crossing, each time with its own TZID, VTIMEZONEs added."""
    from icalendar import Calendar, Event, vText

    cal = Calendar()
    cal.add("prodid", f"-//{PRODUCT}//{info.lang}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # An X- property is TEXT (RFC 5545 3.8.8.2): escaped as such, and on one line.
    cal.add("x-wr-calname", vText(one_line(info.title) or gettext("Untitled trip")))
    stamp = info.updated_at.astimezone(UTC)
    lang = info.lang
    for index, day in enumerate(doc.days):
        for position, item in enumerate(day.items):
            event = Event()
            event.add("uid", f"{info.id}-{index + 1}-{position + 1}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            lines: list[str] = []
            if item.type == "visit":
                lines += _leg_line(item.leg, gettext, lang)
                zone = item.zone or city_zone(item.city).key
                start, end = _on(item.arrive, zone), _on(item.depart, zone)
                summary = both_names(item.name, item.city, lang)
                pid = item.attraction_id
                place = catalogue.get(pid) if pid in catalogue else None
                if place:
                    event.add("location", one_line(place.address) or summary)
                    event.add("geo", (place.location.lat, place.location.lon))
                    hours = hours_in_words(place.opening_hours, gettext, lang)
                    if hours:  # in words, never the OSM syntax
                        lines.append(f"{gettext('Hours')}: {hours}")
                lines.append(
                    f"{gettext('Fee')}: " + money(item.price, item.currency, gettext, lang)
                )
            elif item.type == "meal":
                zone = item.zone or city_zone(item.city).key
                start, end = _on(item.start, zone), _on(item.end, zone)
                ref = item.place
                where = (
                    both_names(ref.name, ref.city, lang) if ref else gettext(_meal_where(item.near))
                )
                summary = f"{gettext(MEAL_LABELS.get(item.kind, item.kind))}: {where}"
                if ref:
                    event.add("location", where)
            else:
                start = _on(item.report_by, item.depart_zone)
                end = _on(item.arrive, item.arrive_zone)
                mode = mode_words(item.mode, gettext, lang)
                summary = f"{gettext(BORDER_CROSSING)}: {mode}"
                event.add("location", both_names(item.from_point.name, item.direction_from, lang))
                lines = crossing_lines(item, gettext, lang)
            event.add("summary", one_line(summary))
            event.add("dtstart", start)
            event.add("dtend", end)
            if position == 0 and info.day_note(index):  # the day's note, with its first item
                lines.append(f"{gettext('Note for this day')}: {info.day_note(index)}")
            if lines:
                event.add("description", lines_of("\n".join(lines)))
            cal.add_component(event)
    dates = [d.date for d in doc.days]
    if dates:  # only the rules of the trip's years, not 1970-2038
        first, last = min(dates), max(dates)
        cal.add_missing_timezones(date(first.year, 1, 1), date(last.year + 1, 1, 1))
    return cal.to_ical()


# --------------------------------------------------------------------------- GeoJSON


def to_geojson(
    doc: PlanDocument, catalogue: Catalogue, info: PlanInfo, gettext: Gettext
) -> dict[str, Any]:
    """A FeatureCollection: located stops as Points, the legs between them as LineStrings."""
    features: list[dict[str, Any]] = []
    previous: Stop | None = None
    for order, stop in enumerate(plan_stops(doc, catalogue, gettext, info.lang)):
        if not stop.located:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
                "properties": {
                    "kind": stop.kind,
                    "day": stop.day + 1,
                    "order": order + 1,
                    "number": stop.number,
                    "attraction_id": stop.attraction_id,
                    "name": both_names(stop.name, stop.city, info.lang),
                    "name_zh": one_line(stop.name.zh),
                    "name_ru": one_line(stop.name.ru),
                    "name_en": one_line(stop.name.en),
                    "city": stop.city,
                    "address": stop.address,
                    "start": stop.start.isoformat(timespec="minutes"),
                    "end": stop.end.isoformat(timespec="minutes"),
                    "zone": stop.start.tzinfo.key
                    if isinstance(stop.start.tzinfo, ZoneInfo)
                    else None,
                },
            }
        )
        if previous is not None and previous.day == stop.day:
            crossing = previous.kind == "crossing_from" and stop.kind == "crossing_to"
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[previous.lon, previous.lat], [stop.lon, stop.lat]],
                    },
                    "properties": {
                        "kind": "crossing" if crossing else "leg",
                        "day": stop.day + 1,
                        "mode": stop.mode,
                        "mode_text": _mode_words(stop.mode, gettext, info.lang),
                    },
                }
            )
        previous = stop
    return {
        "type": "FeatureCollection",
        "title": one_line(info.title),
        "notes": lines_of(info.notes),
        "day_notes": [lines_of(n) for n in info.day_notes],
        "lang": info.lang,
        "features": features,
    }


# --------------------------------------------------------------------------- KML


def to_kml(doc: PlanDocument, catalogue: Catalogue, info: PlanInfo, gettext: Gettext) -> str:
    """A folder per day: a placemark per stop, and a line joining them in order."""
    import simplekml

    kml = simplekml.Kml(name=one_line(info.title) or gettext("Untitled trip"))
    kml.document.description = html.escape(lines_of(info.notes))
    folders: dict[int, Any] = {}
    day_points: dict[int, list[tuple[float, float]]] = {}
    for stop in plan_stops(doc, catalogue, gettext, info.lang):
        if not stop.located:
            continue
        if stop.day not in folders:
            folders[stop.day] = kml.newfolder(name=gettext("Day %(n)s") % {"n": stop.day + 1})
            day_points[stop.day] = []
        lines = [_span(stop, gettext, info.lang)]
        lines += ([stop.address] if stop.address else []) + stop.details
        folders[stop.day].newpoint(
            name=(f"{stop.number}. " if stop.number else "")
            + both_names(stop.name, stop.city, info.lang),
            coords=[(stop.lon, stop.lat)],
            description="<br>".join(html.escape(line) for line in lines),
        )
        day_points[stop.day].append((stop.lon, stop.lat))  # type: ignore[arg-type]
    for day, points in day_points.items():
        if len(points) > 1:
            line = folders[day].newlinestring(
                name=gettext("Day %(n)s") % {"n": day + 1}, coords=points
            )
            line.style.linestyle.width = 3
    return kml.kml()


def export(
    fmt: str, doc: PlanDocument, catalogue: Catalogue, info: PlanInfo, gettext: Gettext
) -> bytes:
    """The plan in *fmt* (one of FORMATS) as bytes; KeyError for an unknown format."""
    if fmt == "gpx":
        return to_gpx(doc, catalogue, info, gettext).encode("utf-8")
    if fmt == "ics":
        return to_ics(doc, catalogue, info, gettext)
    if fmt == "kml":
        return to_kml(doc, catalogue, info, gettext).encode("utf-8")
    if fmt == "geojson":
        data = to_geojson(doc, catalogue, info, gettext)
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    raise KeyError(fmt)
