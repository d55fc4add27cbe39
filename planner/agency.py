"""Travel agencies: branding, group logistics and crossing notices, free of Flask.

An agency plan carries its branding (name, contact, a small logo) and the group's logistics
(passengers in crossing order, a meeting point and how long before each crossing's report time
to meet, a guide on each bank). `group_document` turns them into the plan document's `group`:
the meeting time before each crossing, computed from the crossing's (group) report time.

Crossing notices are dated messages an agency administrator publishes ("hovercraft suspended
for ice today"). `info` notices are only shown; `suspended` ones become closures of the border
model (`notice_closures`), so no plan departs on a suspended mode or check-point.
Passenger names are personal data: they live only in the stored plan and are never logged.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

from planner import languages
from planner.crossing import Closure, CrossingData, load_crossing_data
from planner.crossing.options import NOTICE_KIND
from planner.errors import PlannerError
from planner.model import LocalizedName
from planner.plan_document import (
    Agency,
    CrossingEntry,
    CrossingItem,
    Group,
    GroupMeeting,
    LatLon,
    MeetingPoint,
    Notice,
    Passenger,
    PlanDocument,
)
from planner.plan_document import CrossingNotice as DocNotice
from planner.timeutil import CITIES, CITY_TZ

LOGO_MAX_BYTES = 48 * 1024  # a logo on a printed page; a data URI of ~64 kB
LOGO_MAX_CHARS = 4 * ((LOGO_MAX_BYTES + 2) // 3) + 40
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NOTICE_EFFECTS = ("info", "suspended")
NOTICE_LANGS = languages.DATA_LANGUAGES  # a notice is data: written in the data languages
NOTICE_MAX_DAYS = 366
NOTICE_TEXT_MAX = 500

_DATA_URI = re.compile(r"^data:(image/png|image/svg\+xml);base64,([A-Za-z0-9+/=\s]+)$")
# Elements a logo never needs: scripts and embedded documents, and animation, which can set an
# href or a src after the check (<set attributeName="href" to="http://…">).
_SVG_FORBIDDEN = {
    "script",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "handler",
    "set",
    "animate",
    "animatemotion",
    "animatetransform",
    "animatecolor",
    "discard",
}
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"


class LogoInvalid(PlannerError, ValueError):
    """The logo is not a small PNG or SVG data URI (code: logo_invalid | logo_too_large)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _check_svg(raw: bytes) -> None:
    """A plain drawing: no scripts, event handlers, external references or entity tricks."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LogoInvalid("logo_invalid") from None
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise LogoInvalid("logo_invalid")
    if re.search(r"<\?(?!xml[\s?])", text):  # processing instructions (xml-stylesheet) but <?xml
        raise LogoInvalid("logo_invalid")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise LogoInvalid("logo_invalid") from None
    if _local(root.tag) != "svg":
        raise LogoInvalid("logo_invalid")
    for element in root.iter():
        if _local(element.tag) in _SVG_FORBIDDEN:
            raise LogoInvalid("logo_invalid")
        namespace = element.tag[1:].split("}")[0] if element.tag.startswith("{") else ""
        if namespace and namespace != _SVG_NAMESPACE:  # XHTML <img src>, <video> and the like
            raise LogoInvalid("logo_invalid")
        for name, value in element.attrib.items():
            key = _local(name)
            if key.startswith("on"):
                raise LogoInvalid("logo_invalid")
            if key == "href" and not value.strip().startswith(("#", "data:image/png")):
                raise LogoInvalid("logo_invalid")
            if key == "src":
                raise LogoInvalid("logo_invalid")
            if "javascript:" in value.lower() or _external_css(value):
                raise LogoInvalid("logo_invalid")
        if _local(element.tag) == "style" and _external_css("".join(element.itertext())):
            raise LogoInvalid("logo_invalid")


# CSS that could fetch something: any @import, any url() not to a fragment or a data: URI.
_CSS_URL = re.compile(r"""url\(\s*['"]?\s*([^'")\s]*)""", re.IGNORECASE)


def _external_css(text: str) -> bool:
    def char(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else ""

    unescaped = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", char, text).replace("\\", "")
    lowered = re.sub(r"/\*.*?\*/", "", unescaped, flags=re.S).lower()
    if (
        "@import" in lowered
        or "image-set(" in lowered
        or re.search(r"(?<![\w-])(src|image)\s*\(", lowered)
    ):
        return True
    return any(not t.startswith(("#", "data:")) for t in _CSS_URL.findall(lowered))


def check_logo(uri: str) -> str:
    """The logo data URI if it is a small, well-formed PNG or a script-free SVG; else LogoInvalid.

    Only `data:image/png;base64,...` and `data:image/svg+xml;base64,...` are accepted: a page or
    a PDF shows it as an image and never fetches anything for it.
    """
    if len(uri) > LOGO_MAX_CHARS:
        raise LogoInvalid("logo_too_large")
    match = _DATA_URI.match(uri.strip())
    if not match:
        raise LogoInvalid("logo_invalid")
    kind, payload = match.groups()
    try:
        raw = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        raise LogoInvalid("logo_invalid") from None
    if len(raw) > LOGO_MAX_BYTES:
        raise LogoInvalid("logo_too_large")
    if kind == "image/png":
        if not raw.startswith(PNG_MAGIC):
            raise LogoInvalid("logo_invalid")
    else:
        _check_svg(raw)
    return f"data:{kind};base64,{base64.b64encode(raw).decode('ascii')}"


# --------------------------------------------------------------------------- group logistics


def _meeting_point(value: str, catalogue: Any) -> MeetingPoint:
    """The meeting point as typed, or a catalogue place's names and position."""
    if catalogue is not None and value and value in catalogue:
        place = catalogue.get(value)
        return MeetingPoint(
            text="",
            place_id=place.id,
            city=place.city,
            name=place.name,
            location=LatLon(lat=place.location.lat, lon=place.location.lon),
        )
    return MeetingPoint(text=value)


# A group met farther than this from its check-point needs a ride there: worth a warning.
MEETING_FAR_M = 3000


def _first_crossing(doc: PlanDocument) -> CrossingItem | None:
    for day in doc.days:
        for item in day.items:
            if isinstance(item, CrossingEntry):
                return item
        for crossing in day.crossings:
            return crossing
    return None


def meeting_point_notices(doc: PlanDocument) -> list[Notice]:
    """Amber notices when the group's meeting point (a catalogue place) is on the other
    bank from its first crossing's check-point, or more than MEETING_FAR_M from it: a group
    told to meet at one city's airport for a crossing from the other city cannot make it."""
    from planner.geo import haversine_m

    point = doc.group.meeting_point if doc.group else None
    crossing = _first_crossing(doc)
    if point is None or point.location is None or crossing is None:
        return []  # free text cannot be placed; a trip on one bank has no check-point
    start = crossing.from_point
    frm = crossing.direction_from or start.city
    params: dict[str, Any] = {"place": point.name, "checkpoint": start.name}
    if point.city and frm and point.city != frm:
        params.update(city=point.city, from_city=frm)
        return [Notice(severity="amber", code="meeting_point_other_bank", params=params)]
    where = start.location
    if where:
        here = point.location
        metres = haversine_m(here.lat, here.lon, where.lat, where.lon)
        if metres > MEETING_FAR_M:
            params["km"] = round(metres / 1000, 1)
            return [Notice(severity="amber", code="meeting_point_far", params=params)]
    return []


def group_document(
    request: Mapping[str, Any], doc: PlanDocument, catalogue: Any = None
) -> Group | None:
    """The plan document's `group`: passengers in crossing order, guides, and for each crossing
    of the plan where and when the group meets (`meet_at` = report time - minutes before).

    *request* is the stored request JSON, *doc* the plan. None without a group.
    """
    group = request.get("group")
    if not group:
        return None
    minutes = int(group.get("meeting_minutes_before", 0))
    guides = group.get("guides") or {}
    meetings = []
    for index, day in enumerate(doc.days):
        for crossing in day.crossings:
            frm, to = crossing.direction_from, crossing.to_point.city
            meetings.append(
                GroupMeeting(
                    day=index,
                    date=day.date,
                    mode=crossing.mode,
                    direction_from=frm,
                    checkpoint=crossing.from_point.name,
                    report_by=crossing.report_by,
                    report_by_zone=crossing.report_by_zone,
                    meet_at=crossing.report_by - timedelta(minutes=minutes),
                    guide_before=guides.get(frm),
                    guide_after=guides.get(to),
                )
            )
    return Group(
        passengers=[
            Passenger(order=i + 1, name=p["name"], document_no=p.get("document_no"))
            for i, p in enumerate(group.get("passengers") or [])
        ],
        meeting_point=_meeting_point(group.get("meeting_point") or "", catalogue),
        meeting_minutes_before=minutes,
        guides={city: guides.get(city) for city in CITIES},
        crossings=meetings,
    )


# --------------------------------------------------------------------------- crossing notices


@dataclass(frozen=True)
class CrossingNotice:
    """A dated notice about the crossing; `suspended` ones close their scope on those dates."""

    id: int
    start: date
    end: date
    scope: str  # "all", a mode id (ship, hovercraft, ...) or a check-point id
    effect: str  # info | suspended
    text: Mapping[str, str] = field(default_factory=dict)  # zh, ru, en (at least one)
    author: str = ""
    created_at: datetime | None = None

    def text_in(self, lang: str) -> str:
        """The text in *lang*, else in the first language it was written in."""
        if self.text.get(lang):
            return self.text[lang]
        return next((self.text[k] for k in NOTICE_LANGS if self.text.get(k)), "")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "scope": self.scope,
            "effect": self.effect,
            "texts": {k: self.text.get(k, "") for k in NOTICE_LANGS},
        }


def notice_scopes(data: CrossingData | None = None) -> tuple[str, ...]:
    """What a notice may name: all crossings, one mode, or one check-point."""
    data = data or load_crossing_data()
    checkpoints = sorted(p.id for p in data.points if p.kind == "checkpoint")
    return ("all", *data.modes.ids(), *checkpoints)


def check_notice(
    start: date, end: date, scope: str, effect: str, text: Mapping[str, str]
) -> list[tuple[str, str]]:
    """Problems of a notice as (field, code) pairs; empty when it can be published."""
    problems: list[tuple[str, str]] = []
    if end < start:
        problems.append(("end", "notice_end_before_start"))
    elif (end - start).days >= NOTICE_MAX_DAYS:
        problems.append(("end", "notice_too_long"))
    if scope not in notice_scopes():
        problems.append(("scope", "choice"))
    if effect not in NOTICE_EFFECTS:
        problems.append(("effect", "choice"))
    if not any((text.get(k) or "").strip() for k in NOTICE_LANGS):
        problems.append(("text", "required"))
    if any(len(text.get(k) or "") > NOTICE_TEXT_MAX for k in NOTICE_LANGS):
        problems.append(("text", "too_long"))
    return problems


def trip_dates(arrive: datetime, depart: datetime) -> tuple[date, date]:
    """The local dates a trip may touch in any city (the earliest and the latest)."""
    zones = list(CITY_TZ.values())
    first = min(arrive.astimezone(zone).date() for zone in zones)
    last = max(depart.astimezone(zone).date() for zone in zones)
    return first, last


def notices_touching(
    notices: Iterable[CrossingNotice], first: date, last: date
) -> list[CrossingNotice]:
    """The notices whose dates overlap [first, last], earliest first."""
    found = [n for n in notices if n.start <= last and n.end >= first]
    return sorted(found, key=lambda n: (n.start, n.id))


def notice_closures(
    notices: Iterable[CrossingNotice], data: CrossingData | None = None
) -> tuple[Closure, ...]:
    """The `suspended` notices as closures of the border model (options.NOTICE_KIND)."""
    data = data or load_crossing_data()
    closures = []
    for notice in notices:
        if notice.effect != "suspended":
            continue
        points = data.modes.ids() if notice.scope == "all" else (notice.scope,)
        # Built, not validated: a notice is the agency's word, with no source of the data file,
        # and its points may name modes (options.NOTICE_KIND).
        closures.append(
            Closure.model_construct(
                id=f"notice-{notice.id}",
                kind=NOTICE_KIND,
                start=notice.start,
                end=notice.end,
                points=tuple(points),
                reason=LocalizedName.english(notice.text_in("en")),
                sources=(),
            )
        )
    return tuple(closures)


def add_agency_sections(
    doc: PlanDocument,
    request: Mapping[str, Any],
    notices: Iterable[CrossingNotice],
    catalogue: Any = None,
) -> PlanDocument:
    """*doc* with its `agency` (branding), `group` and `notices` (every notice whose dates the
    trip touches, shown whether or not it suspends anything)."""
    agency = Agency.model_validate(request["agency"]) if request.get("agency") else None
    out = doc.model_copy(
        update={"agency": agency, "group": group_document(request, doc, catalogue)}
    )
    out.warnings = [*doc.warnings, *meeting_point_notices(out)]
    out.notices = [DocNotice.model_validate(n.as_json()) for n in notices]
    return out
