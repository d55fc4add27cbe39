"""What the plan page shows, read from the typed plan document in the reader's language.

Times are shown on the clock of the city where they happen. A day says its clock once, in its
heading ("Times on the <city> clock (UTC+9)"), and its stops and meals then show the
bare time ("10:00"); a crossing shows both clocks, each named. Nothing is planned or re-timed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date
from flask_babel import gettext as _

from planner import languages, region
from planner.catalogue import Catalogue
from planner.digest import (
    QuietNotices,
    group_heading,
    group_left_out,
    group_names,
    quiet_document,
)
from planner.documents import render
from planner.hours_text import hours_in_words
from planner.itinerary_map import day_colour
from planner.messages import (
    MEAL_LABELS,
    MEAL_NEAR_LABELS,
    Message,
    city_word,
    clock_text,
)
from planner.model import Attraction, LocalizedName
from planner.plan_document import (
    CrossingEntry,
    CrossingItem,
    MealEntry,
    PlanDocument,
    PlanMessage,
    VisitEntry,
)
from planner.plan_document import Day as DocDay
from planner.plan_document import Leg as DocLeg
from planner.plan_words import crossing_clocks, leg_words
from planner.planning.notices import SKIP_CODES, TIGHT_CROSSING
from planner.timeutil import city_zone, other_city
from planner.trip import Notice
from planner.web.collation import name_key
from planner.web.i18n import current_lang
from planner.wording import money_text

NEAR_STOP = MEAL_NEAR_LABELS["last_stop"]


def city_name(city: str) -> str:
    return city_word(city, _, current_lang())


def clock(value: datetime, city: str) -> str:
    """'10:00 <city> (UTC+8)': a moment on *city*'s clock, the city named."""
    return clock_text(value, city, _, current_lang())


def short_clock(value: datetime, city: str) -> str:
    """'10:00': a moment on *city*'s clock, for a day whose heading names the clock."""
    return f"{value.astimezone(city_zone(city)):%H:%M}"


def _utc_hours(moment: datetime, city: str) -> int:
    return int(moment.astimezone(city_zone(city)).utcoffset().total_seconds() // 3600)  # type: ignore[union-attr]


def day_clock_note(day: DocDay) -> str:
    """The day's clock, said once: the bank the day starts on, and the other bank's clock when
    the day crosses the river (its times after a crossing are on the bank it arrives at)."""
    moment = day.end  # the offset of that day (none keeps DST now)
    first = day.city_start
    crossings = [i for i in day.items if i.type == "crossing"]
    if crossings:
        first = crossings[0].direction_from
    params = {"city": city_name(first), "hours": _utc_hours(moment, first)}
    if not crossings:
        return _("Times on the %(city)s clock (UTC+%(hours)s)") % params
    other = other_city(first)
    params |= {"other": city_name(other), "other_hours": _utc_hours(moment, other)}
    return (
        _(
            "Times on the %(city)s clock (UTC+%(hours)s); after a crossing, on the clock "
            "of the other bank (%(other)s, UTC+%(other_hours)s)"
        )
        % params
    )


def leg_text(leg: DocLeg | None) -> str:
    return leg_words(leg, _, current_lang())


def names(name: LocalizedName, city: str, lang: str) -> tuple[str, str]:
    """The name in *lang*, and the local-script name beside it when it differs."""
    main = name.get(lang)
    local = name.get(LOCAL_LANG[city], "") if city in LOCAL_LANG else ""
    return main, (local if local and local != main else "")


LOCAL_LANG = region.CityMap(lambda c: c.local_lang)  # what a driver in the city reads


def for_driver(place: Attraction | None) -> dict[str, str] | None:
    """The name and address in the city's own language, to show a driver: a place known only
    to a few km is found by these, not by its point. Without an address, the name alone."""
    if place is None or place.city not in LOCAL_LANG:
        return None
    lang = LOCAL_LANG[place.city]
    return {
        "name": place.name.get(lang),
        "address": place.address.strip(),
        "lang": languages.html_lang(lang),
    }


def money(amount: float | None, currency: str) -> str:
    if amount is None:
        return _("price unknown")
    if amount == 0:
        return _("free")
    return money_text(amount, currency, current_lang())


@dataclass
class Row:
    kind: str  # visit | meal | crossing
    data: VisitEntry | MealEntry | CrossingEntry
    text: dict[str, Any] = field(default_factory=dict)


@dataclass
class Day:
    index: int
    heading: str
    cities: str
    clock_note: str
    colour: str
    rows: list[Row]
    end: str
    warnings: list[dict[str, Any]]


def _notice(notice: Notice, lang: str) -> dict[str, Any]:
    m = notice.message
    return {"severity": notice.severity, "code": m.code, "text": render(m, _, lang)}


def said(message: PlanMessage) -> str:
    """A message's sentence: the one the document carries (`with_texts`), else in the page's
    language."""
    if message.text is not None:
        return message.text
    return render(message.to_message(), _, current_lang())


def quiet_doc(doc: PlanDocument) -> QuietNotices:
    """`planner.digest.quiet_notices` of a stored plan: each warning once, a few a day."""
    return quiet_document(doc)


def _crossing(
    item: CrossingItem,
    previous_end: datetime | None,
    lang: str,
    notes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    frm = item.direction_from
    to = other_city(frm)
    state, buffer_min = "", None
    if item.last_of_day:
        state = "red"
    if previous_end is not None:
        arrive_port = previous_end + timedelta(minutes=item.leg.minutes if item.leg else 0)
        buffer = item.report_by - arrive_port
        buffer_min = int(buffer.total_seconds() // 60)
        if not state and buffer < TIGHT_CROSSING:  # the plan's own amber threshold
            state = "amber"
    words = crossing_clocks(item.mode, item.report_by, item.depart, item.arrive, frm, to, _, lang)
    return {
        "mode": words.mode,
        "from_name": names(item.from_point.name, frm, lang),
        "to_name": names(item.to_point.name, to, lang),
        "report_by": words.report_by,
        "depart": words.depart,
        "depart_other": words.depart_other,
        "arrive": words.arrive,
        "arrive_other": words.arrive_other,
        "fare": money(item.fare.amount, item.fare.currency),
        **(notes if notes is not None else crossing_notes(item)),
        "leg": leg_text(item.leg),
        "state": state,
        "buffer_min": buffer_min,
        "last_of_day": item.last_of_day,
    }


def crossing_notes(
    item: CrossingItem,
    warnings: Sequence[Message] | None = None,
    documents: Sequence[Message] | None = None,
) -> dict[str, Any]:
    """A crossing's papers, warnings and the way back, as the plan page and the print show them
    (what the plan already settled, e.g. "arrives after the last return", is left out; given
    *warnings* and *documents*, those of `planner.digest`: each said once a plan)."""
    frm = item.direction_from
    to = other_city(frm)
    lang = current_lang()
    return {
        "documents": (
            [said(d) for d in item.documents]
            if documents is None
            else [render(m, _, lang) for m in documents]
        ),
        "warnings": (
            [said(w) for w in item.warnings if w.code not in SKIP_CODES]
            if warnings is None
            else [render(m, _, lang) for m in warnings]
        ),
        "back_by": ((clock(item.back_by, to), clock(item.back_by, frm)) if item.back_by else None),
    }


def build_days(
    doc: PlanDocument, catalogue: Catalogue, lang: str, quiet: QuietNotices | None = None
) -> list[Day]:
    """The days as the page and the print show them, each warning said once (*quiet*)."""
    quiet = quiet if quiet is not None else quiet_doc(doc)
    days: list[Day] = []
    for index, day in enumerate(doc.days):
        rows: list[Row] = []
        previous_end: datetime | None = None
        number = 0
        k = -1  # the crossing of the day
        for item in day.items:
            if item.type == "visit":
                number += 1
                city = item.city
                pid = item.attraction_id
                place = catalogue.get(pid) if pid in catalogue else None
                # In words in the reader's language, never the OSM syntax (as the attractions).
                hours = (hours_in_words(place.opening_hours, _, lang) if place else None) or ""
                rows.append(
                    Row(
                        "visit",
                        item,
                        {
                            "number": number,
                            "name": names(item.name, city, lang),
                            "arrive": short_clock(item.arrive, city),
                            "depart": short_clock(item.depart, city),
                            "hours": hours,
                            "hours_verified": bool(place and place.hours_verified),
                            "fee": money(item.price, item.currency),
                            "leg": leg_text(item.leg),
                            "driver": for_driver(place),
                        },
                    )
                )
                previous_end = item.depart
            elif item.type == "meal":
                city = item.city
                place = item.place
                rows.append(
                    Row(
                        "meal",
                        item,
                        {
                            "label": _(MEAL_LABELS.get(item.kind, item.kind)),
                            "start": short_clock(item.start, city),
                            "end": short_clock(item.end, city),
                            "place": names(place.name, place.city, lang)
                            if place
                            else (_(MEAL_NEAR_LABELS.get(item.near, NEAR_STOP)), ""),
                            "leg": leg_text(item.leg),
                        },
                    )
                )
                previous_end = item.end
            else:
                k += 1
                notes = crossing_notes(
                    item, quiet.crossing_warnings[index][k], quiet.crossing_documents[index][k]
                )
                rows.append(Row("crossing", item, _crossing(item, previous_end, lang, notes)))
                previous_end = item.arrive
        cities = city_name(day.city_start)
        if day.city_end != day.city_start:
            cities += " → " + city_name(day.city_end)
        target = _("the departure") if day.end_place == "departure" else _("the hotel")
        end = _("then to %(place)s") % {"place": target}
        if day.end_leg and day.end_leg.minutes:
            end += " · " + leg_text(day.end_leg)
        end += " · " + _("by %(time)s") % {"time": short_clock(day.end, day.city_end)}
        days.append(
            Day(
                index=index,
                heading=format_date(day.date, format="full", locale=lang),
                cities=cities,
                clock_note=day_clock_note(day),
                colour=day_colour(index),
                rows=rows,
                end=end,
                warnings=[_notice(n, lang) for n in quiet.days[index]],
            )
        )
    return days


def left_out_groups(
    doc: PlanDocument, req: dict[str, Any], catalogue: Catalogue, lang: str
) -> dict[str, Any]:
    """The places left out as a person reads them (planner.digest.group_left_out): the
    must-sees with their reason, then a heading with a count per reason, naming only the places
    that match the traveller's interests (the JSON keeps every place and its reason)."""
    rows = {r["id"]: r for r in left_out(doc, lang)}
    must = [*req.get("must_see", []), *(k.get("attraction_id") for k in req.get("locked", []))]
    view = group_left_out(
        [(pid, r["reason"]) for pid, r in rows.items()],
        {pid: catalogue.get(pid).interests for pid in rows if pid in catalogue},
        req.get("interests", []),
        must,
    )
    names = {pid: r["name"] for pid, r in rows.items()}
    return {
        "must_see": [rows[pid] for pid in view.must_see],
        "groups": [
            {
                "heading": group_heading(g, _),
                "reason": g.reason,
                "named": [rows[pid] for pid in g.named],
                "more": g.count - len(g.named),
                "names": group_names(g, names, _, lang),
            }
            for g in view.groups
        ],
        "count": len(rows),
    }


def left_out(doc: PlanDocument, lang: str) -> list[dict[str, Any]]:
    rows = [
        {
            "id": x.attraction_id,
            "name": x.name.get(lang),
            "reason": x.reason,
            "text": said(x.detail),
        }
        for x in doc.left_out
    ]
    return sorted(rows, key=lambda r: name_key(r["name"], lang))


def all_warnings(doc: PlanDocument, quiet: QuietNotices | None = None) -> list[dict[str, Any]]:
    """The trip's warnings, red first: those of the whole trip, what recurs on several days,
    and what did not fit on its day (planner.digest)."""
    quiet = quiet if quiet is not None else quiet_doc(doc)
    return [_notice(n, current_lang()) for n in quiet.trip]
