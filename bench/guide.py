"""What a guide reads in a plan, as figures: the day across, Heihe's own sights, full days,
must-sees kept, and one plan per request. Imported by bench/plan.py (and usable alone):

    .venv/bin/python bench/guide.py

Runs the 20 varied requests of bench/plan.py plus eight a guide sells (tour groups, a Russian
with a Chinese visa, Victory Day, a kept stop across the river, must-sees), each twice, with the
planner's defaults, and prints:
- days across for travellers allowed to cross (trips of two days or more), and minutes of sights
  on each day across (minimum and median);
- Heihe-city places (within 8 km of the centre, so not Aihui) per day spent in Heihe;
- meal-only days (a meal, no sight) and idle minutes (and days idle over 90 minutes);
- must-sees and kept stops in the plan, or left out with a stated reason;
- whether the two runs of each request gave the same plan.
"""

from __future__ import annotations

import statistics
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from geopy.distance import geodesic

from planner.catalogue import load_catalogue
from planner.crossing import options_on_day
from planner.planning import TripRequest, plan_trip
from planner.serialize import itinerary_to_json
from planner.timeutil import BLAGOVESHCHENSK_TZ, HEIHE_TZ

HEIHE_CENTRE = (50.245, 127.48167)
CITY_KM = 8.0


def guide_requests() -> list[tuple[str, TripRequest]]:
    """Eight trips a guide sells, the six of issue 15's note among them."""
    blg, hh = BLAGOVESHCHENSK_TZ, HEIHE_TZ

    def trip(start: datetime, days: int, **kw) -> TripRequest:
        return TripRequest(arrive=start, depart=start + timedelta(days=days, hours=8), **kw)

    return [
        (
            "RU tour group of 18, Blagoveshchensk, June",
            trip(
                datetime(2027, 6, 15, 10, tzinfo=blg),
                3,
                stay=("blagoveshchensk",),
                interests=("shopping",),
                nationality="RU",
                party_size=18,
                group_tour=True,
            ),
        ),
        (
            "CN tour group of 12, Heihe, October",
            trip(
                datetime(2027, 10, 4, 9, tzinfo=hh),
                3,
                stay=("heihe",),
                interests=("history",),
                nationality="CN",
                party_size=12,
                group_tour=True,
            ),
        ),
        (
            "RU with a CN visa, Blagoveshchensk, August",
            trip(
                datetime(2027, 8, 10, 10, tzinfo=blg),
                3,
                stay=("blagoveshchensk",),
                interests=("shopping", "food"),
                nationality="RU",
                visas=("CN",),
            ),
        ),
        (
            "CN without a visa, Heihe, July",
            trip(
                datetime(2027, 7, 10, 9, tzinfo=hh),
                3,
                stay=("heihe",),
                interests=("history", "nature"),
                nationality="CN",
            ),
        ),
        (
            "Victory Day, Blagoveshchensk",
            trip(
                datetime(2027, 5, 7, 12, tzinfo=blg),
                3,
                stay=("blagoveshchensk",),
                interests=("history",),
                nationality="RU",
                must_see=("victory-day-ceremonies",),
            ),
        ),
        (
            "kept stop across, packed pace",
            trip(
                datetime(2027, 7, 10, 9, tzinfo=hh),
                2,
                stay=("heihe",),
                pace="packed",
                nationality="CN",
                visas=("RU",),
                pinned=(("amur-embankment", 1),),
            ),
        ),
        (
            "CN group, must-see Big Heihe Island",
            trip(
                datetime(2027, 9, 12, 9, tzinfo=hh),
                2,
                stay=("heihe",),
                nationality="CN",
                party_size=10,
                group_tour=True,
                must_see=("big-heihe-island", "aihui-history-museum"),
            ),
        ),
        (
            "Heihe, February, winter must-sees",
            trip(
                datetime(2027, 2, 3, 9, tzinfo=hh),
                3,
                stay=("heihe",),
                nationality="CN",
                must_see=("winter-festivals", "honghegu-ski-resort"),
            ),
        ),
    ]


def may_cross(req: TripRequest, plan) -> bool:
    """Whether the border model lets this traveller across and back on a middle day."""
    if len(plan.days) < 2:
        return False
    day = plan.days[1]
    home = day.city_start
    away = "blagoveshchensk" if home == "heihe" else "heihe"
    party = req.party_size if req.group_tour else 1
    out = options_on_day(home, day.date, req.nationality, party, entry_permits=req.visas)
    back = options_on_day(away, day.date, req.nationality, party, entry_permits=req.visas)
    return bool(out.options and back.options)


def _shape(plan) -> dict:
    doc = itinerary_to_json(plan)
    doc.pop("stats", None)
    return doc


def figures(named: list[tuple[str, TripRequest]], cat) -> dict[str, object]:
    allowed = across = 0
    sights_across: list[float] = []
    heihe_days = heihe_places = 0
    meal_only = idle_days = 0
    idle: list[int] = []
    asked = kept = said = 0
    same = capped = 0
    for _name, req in named:
        plan = plan_trip(req, catalogue=cat)
        again = plan_trip(req, catalogue=cat)
        same += _shape(plan) == _shape(again)
        capped += bool(plan.stats.get("capped")) + bool(again.stats.get("capped"))
        idle.append(plan.stats["idle_min"])
        if may_cross(req, plan):
            allowed += 1
            outs = [d for d in plan.days if len(d.crossings) == 2 and d.city_start == d.city_end]
            across += bool(outs)
            for d in outs:
                away = d.crossings[0].option.to_point.city
                mins = sum(
                    (s.depart - s.arrive).total_seconds() / 60
                    for s in d.stops
                    if s.attraction.city == away
                )
                sights_across.append(mins)
        for d in plan.days:
            stops = d.stops
            if d.meals and not stops:
                meal_only += 1
            in_heihe = [s for s in stops if s.attraction.city == "heihe"]
            if in_heihe and len(in_heihe) * 2 >= len(stops):
                heihe_days += 1
                heihe_places += sum(
                    geodesic(
                        HEIHE_CENTRE, (s.attraction.location.lat, s.attraction.location.lon)
                    ).km
                    <= CITY_KM
                    for s in in_heihe
                )
            waits = _idle_minutes(d)
            idle_days += waits > 90
        wanted = list(dict.fromkeys([*req.must_see, *(p for p, _ in req.pinned)]))
        seen = {s.attraction.id for d in plan.days for s in d.stops}
        left = {x.attraction.id for x in plan.left_out}
        asked += len(wanted)
        kept += sum(p in seen for p in wanted)
        said += sum(p not in seen and p in left for p in wanted)
    return {
        "plans": len(named),
        "allowed": allowed,
        "across": across,
        "sights_min": min(sights_across) if sights_across else None,
        "sights_median": statistics.median(sights_across) if sights_across else None,
        "heihe_days": heihe_days,
        "heihe_places_per_day": heihe_places / heihe_days if heihe_days else 0.0,
        "meal_only_days": meal_only,
        "idle_mean": statistics.fmean(idle),
        "idle_days_over_90": idle_days,
        "must_asked": asked,
        "must_kept": kept,
        "must_said": said,
        "identical": same,
        "capped": capped,
    }


def _idle_minutes(day) -> float:
    """Minutes between the end of one item (and the leg to the next) and the next's start."""
    from planner.planning import Crossing, Meal

    def start(i):
        return (
            i.option.report_by
            if isinstance(i, Crossing)
            else (i.start if isinstance(i, Meal) else i.arrive)
        )

    def end(i):
        return (
            i.option.arrive
            if isinstance(i, Crossing)
            else (i.end if isinstance(i, Meal) else i.depart)
        )

    total = 0.0
    for a, b in zip(day.items, day.items[1:], strict=False):
        leg = getattr(b, "leg", None)
        ride = leg.minutes if leg is not None else 0
        total += max(0.0, (start(b) - end(a)).total_seconds() / 60 - ride)
    return total


def report(cat) -> None:
    from plan import requests

    varied = [(f"varied {i}", r) for i, r in enumerate(requests())]
    f = figures([*varied, *guide_requests()], cat)
    median = f["sights_median"]
    print(
        f"\nguide's figures over {f['plans']} plans (20 varied + 8 a guide sells), "
        "each run twice:\n"
        f"  days across: {f['across']} of {f['allowed']} plans whose traveller may cross; "
        f"minutes of sights on a day across: min {f['sights_min']}, median {median}\n"
        f"  Heihe-city places (within {CITY_KM:g} km of the centre) per Heihe day: "
        f"{f['heihe_places_per_day']:.2f} over {f['heihe_days']} days\n"
        f"  meal-only days: {f['meal_only_days']}; idle: mean {f['idle_mean']:.0f} min a plan, "
        f"{f['idle_days_over_90']} days idle over 90 min\n"
        f"  must-sees and kept stops: {f['must_kept']} of {f['must_asked']} in the plan, "
        f"{f['must_said']} left out with a reason, "
        f"{f['must_asked'] - f['must_kept'] - f['must_said']} dropped without a word\n"
        f"  identical plans on a second run: {f['identical']} of {f['plans']} "
        f"({f['capped']} runs cut by the time cap, on a busy machine)"
    )


if __name__ == "__main__":
    report(load_catalogue())
