"""What the plan page shows, read from the stored plan JSON in the reader's language.

Times are shown on the clock of the city where they happen, with the city named
("10:00 Heihe (UTC+8)"); a crossing on both clocks. Nothing is planned or re-timed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date
from flask_babel import gettext as _

from planner.catalogue import Catalogue
from planner.hours_text import hours_in_words
from planner.itinerary_map import day_colour
from planner.messages import (
    CITY_LABELS,
    MEAL_LABELS,
    MEAL_NEAR_LABELS,
    MODE_LABELS,
    clock_text,
    money_text,
    number_text,
)
from planner.planning.notices import SKIP_CODES, TIGHT_CROSSING
from planner.timeutil import other_city
from planner.web.collation import name_key
from planner.web.i18n import current_lang

LEG_MODES = {"walk": "walk", "taxi": "taxi", "bus": "bus"}
SEVERITY_ORDER = {"red": 0, "amber": 1, "info": 2}
NEAR_STOP = MEAL_NEAR_LABELS["last_stop"]


def city_name(city: str) -> str:
    return _(CITY_LABELS[city]) if city in CITY_LABELS else city


def clock(value: str | datetime, city: str) -> str:
    """'10:00 Heihe (UTC+8)': a moment on *city*'s clock, the city named."""
    return clock_text(value, city, _)


def leg_text(leg: dict[str, Any] | None) -> str:
    if not leg or not leg.get("minutes"):
        return ""
    mode = {"walk": _("walk"), "taxi": _("taxi"), "bus": _("bus")}.get(leg["mode"], leg["mode"])
    return _("%(mode)s %(minutes)s min, %(km)s km") % {
        "mode": mode,
        "minutes": leg["minutes"],
        "km": number_text(leg["km"], current_lang(), digits=2, least=1),
    }


def names(name: dict[str, str], city: str, lang: str) -> tuple[str, str]:
    """The name in *lang*, and the local-script name beside it when it differs."""
    main = name.get(lang) or name.get("en", "")
    local = name.get("zh" if city == "heihe" else "ru", "")
    return main, (local if local and local != main else "")


def money(amount: float | None, currency: str) -> str:
    if amount is None:
        return _("price unknown")
    if amount == 0:
        return _("free")
    return money_text(amount, currency, current_lang())


@dataclass
class Row:
    kind: str  # visit | meal | crossing
    data: dict[str, Any]
    text: dict[str, Any] = field(default_factory=dict)


@dataclass
class Day:
    index: int
    heading: str
    cities: str
    colour: str
    rows: list[Row]
    end: str
    warnings: list[dict[str, Any]]


def _crossing(item: dict[str, Any], previous_end: datetime | None, lang: str) -> dict[str, Any]:
    frm = item["direction_from"]
    to = other_city(frm)
    state, buffer_min = "", None
    if item.get("last_of_day"):
        state = "red"
    if previous_end is not None:
        arrive_port = previous_end + timedelta(minutes=(item.get("leg") or {}).get("minutes", 0))
        buffer = datetime.fromisoformat(item["report_by"]) - arrive_port
        buffer_min = int(buffer.total_seconds() // 60)
        if not state and buffer < TIGHT_CROSSING:  # the plan's own amber threshold
            state = "amber"
    fare = item["fare"]
    return {
        "mode": _(MODE_LABELS.get(item["mode"], item["mode"])),
        "from_name": names(item["from_point"]["name"], frm, lang),
        "to_name": names(item["to_point"]["name"], to, lang),
        "report_by": clock(item["report_by"], frm),
        "depart": clock(item["depart"], frm),
        "depart_other": clock(item["depart"], to),
        "arrive": clock(item["arrive"], to),
        "arrive_other": clock(item["arrive"], frm),
        "fare": money(fare["amount"], fare["currency"]),
        **crossing_notes(item),
        "leg": leg_text(item.get("leg")),
        "state": state,
        "buffer_min": buffer_min,
        "last_of_day": bool(item.get("last_of_day")),
    }


def crossing_notes(item: dict[str, Any]) -> dict[str, Any]:
    """A crossing's papers, warnings and the way back, as the plan page and the print show them
    (what the plan already settled, e.g. "arrives after the last return", is left out)."""
    frm = item["direction_from"]
    to = other_city(frm)
    return {
        "documents": [d.get("text", "") for d in item.get("documents", [])],
        "warnings": [
            w.get("text", "") for w in item.get("warnings", []) if w.get("code") not in SKIP_CODES
        ],
        "back_by": (
            (clock(item["back_by"], to), clock(item["back_by"], frm))
            if item.get("back_by")
            else None
        ),
    }


def build_days(doc: dict[str, Any], catalogue: Catalogue, lang: str) -> list[Day]:
    days: list[Day] = []
    for index, day in enumerate(doc.get("days", [])):
        rows: list[Row] = []
        previous_end: datetime | None = None
        number = 0
        for item in day.get("items", []):
            if item["type"] == "visit":
                number += 1
                city = item["city"]
                pid = item["attraction_id"]
                place = catalogue.get(pid) if pid in catalogue else None
                # In words in the reader's language, never the OSM syntax (as the attractions).
                hours = (hours_in_words(place.opening_hours, _, lang) if place else None) or ""
                rows.append(
                    Row(
                        "visit",
                        item,
                        {
                            "number": number,
                            "name": names(item["name"], city, lang),
                            "arrive": clock(item["arrive"], city),
                            "depart": clock(item["depart"], city),
                            "hours": hours,
                            "hours_verified": bool(place and place.hours_verified),
                            "fee": money(item.get("price"), item.get("currency", "")),
                            "leg": leg_text(item.get("leg")),
                        },
                    )
                )
                previous_end = datetime.fromisoformat(item["depart"])
            elif item["type"] == "meal":
                city = item["city"]
                place = item.get("place")
                rows.append(
                    Row(
                        "meal",
                        item,
                        {
                            "label": _(MEAL_LABELS.get(item["kind"], item["kind"])),
                            "start": clock(item["start"], city),
                            "end": clock(item["end"], city),
                            "place": names(place["name"], place["city"], lang)
                            if place
                            else (_(MEAL_NEAR_LABELS.get(item.get("near", ""), NEAR_STOP)), ""),
                            "leg": leg_text(item.get("leg")),
                        },
                    )
                )
                previous_end = datetime.fromisoformat(item["end"])
            else:
                rows.append(Row("crossing", item, _crossing(item, previous_end, lang)))
                previous_end = datetime.fromisoformat(item["arrive"])
        cities = city_name(day["city_start"])
        if day["city_end"] != day["city_start"]:
            cities += " → " + city_name(day["city_end"])
        target = _("the departure") if day.get("end_place") == "departure" else _("the hotel")
        end = _("then to %(place)s") % {"place": target}
        if day.get("end_leg") and day["end_leg"].get("minutes"):
            end += " · " + leg_text(day["end_leg"])
        end += " · " + _("by %(time)s") % {"time": clock(day["end"], day["city_end"])}
        days.append(
            Day(
                index=index,
                heading=format_date(
                    datetime.fromisoformat(day["date"]).date(), format="full", locale=lang
                ),
                cities=cities,
                colour=day_colour(index),
                rows=rows,
                end=end,
                warnings=sorted(
                    day.get("warnings", []), key=lambda n: SEVERITY_ORDER.get(n["severity"], 3)
                ),
            )
        )
    return days


def left_out(doc: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    rows = []
    for item in doc.get("left_out", []):
        main = item["name"].get(lang) or item["name"].get("en", "")
        rows.append(
            {
                "id": item["attraction_id"],
                "name": main,
                "reason": item["reason"],
                "text": item["detail"].get("text", ""),
            }
        )
    return sorted(rows, key=lambda r: name_key(r["name"], lang))


def all_warnings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The trip's warnings, red first."""
    return sorted(doc.get("warnings", []), key=lambda n: SEVERITY_ORDER.get(n["severity"], 3))
