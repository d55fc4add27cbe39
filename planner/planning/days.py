"""The days of a trip and the crossings they may use.

A day that must change bank (a new hotel, an arrival or a departure across the river) gets one
crossing. A day at the hotel may go across and back: out on a departure that arrives in good time
(not necessarily the first), back on the latest departure that is not the day's last, because
purchases are inspected on the way back and a missed last run means a night abroad. The last one
is used only when the traveller allows it, and then the plan says so in red.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import cached_property

from planner import crossing as border
from planner.catalogue import Catalogue
from planner.crossing import CrossingAnswer, CrossingData, CrossingOption
from planner.crossing.options import group_extra_minutes
from planner.messages import Message
from planner.model import LatLon
from planner.planning.builder import CITY_CENTRES, DaySpec
from planner.planning.rules import (
    EARLIEST,
    LAST_RUN_CUSHION_MIN,
    MIN_HOURS_ABROAD,
    PACES,
    STRANDING_MODES,
    depart_margin_minutes,
)
from planner.timeutil import city_zone, other_city
from planner.trip import Crossing, PlanningError, TripRequest

NIGHT = timedelta(hours=3)  # an arrival this long before the pace's day: to the hotel first
OUT_ARRIVAL_TARGET = time(10, 0)  # a day abroad is best begun around mid-morning, local time


def nights(req: TripRequest) -> list[str]:
    """The city of each night of the trip, counted on the first stay city's calendar (as the
    form and the API count them); `day_specs` dates the days on the same calendar."""
    zone = city_zone(req.stay[0])
    n = (req.depart.astimezone(zone).date() - req.arrive.astimezone(zone).date()).days
    if len(req.stay) == 1:
        return [req.stay[0]] * n
    if len(req.stay) != n:
        raise PlanningError(
            f"the trip has {n} night(s) but {len(req.stay)} stay cities were given",
            Message("refused_nights", {"nights": n, "given": len(req.stay)}),
        )
    return list(req.stay)


def align_nights(req: TripRequest, cat: Catalogue, stays: list[str]) -> list[str]:
    """The nights on the calendars the days are dated by: the arrival's date on the clock of
    the city arrived in, the departure's on the clock of the city left from.

    The request counts nights on the first stay city's clock; 23:15 in a UTC+8 city is already
    the next day across a border into UTC+9. Where the two differ, a night is added (where one
    lands, or where one last slept) or dropped, so the last day is the departure's day.
    """
    zone = city_zone(req.stay[0])
    out = list(stays)
    arrive_city = cat.get(req.arrive_place).city if req.arrive_place else None
    depart_city = cat.get(req.depart_place).city if req.depart_place else None
    if arrive_city is not None:
        ahead = (
            req.arrive.astimezone(zone).date()
            - req.arrive.astimezone(city_zone(arrive_city)).date()
        ).days
        if ahead > 0:
            out = [arrive_city] * ahead + out
        elif ahead < 0 and out:
            out = out[-ahead:]
    if depart_city is not None:
        behind = (
            req.depart.astimezone(city_zone(depart_city)).date()
            - req.depart.astimezone(zone).date()
        ).days
        if behind > 0:
            out = out + [out[-1] if out else req.stay[-1]] * behind
        elif behind < 0 and out:
            out = out[:behind]
    return out


def _place(cat: Catalogue, pid: str | None, default: str) -> tuple[str, LatLon | None]:
    if pid is None:
        return default, None
    place = cat.get(pid)
    return place.city, place.location


def day_specs(
    req: TripRequest, cat: Catalogue, stays: list[str], leave_from: str | None = None
) -> list[DaySpec]:
    """Each day's start and end: the arrival and the departure (with its margin) bound the ends.

    A late arrival or an early departure leaves a short or empty day, never an error.
    *leave_from*: the city the trip ends in when no departure point is given (default: the
    last night's).
    """
    pace = PACES[req.pace]
    hotels = dict(req.hotels)
    first_city = stays[0] if stays else req.stay[0]
    last_city = stays[-1] if stays else req.stay[0]
    arrive_city, arrive_loc = _place(cat, req.arrive_place, first_city)
    depart_city, depart_loc = _place(cat, req.depart_place, leave_from or last_city)
    margin = timedelta(
        minutes=depart_margin_minutes(cat.get(req.depart_place) if req.depart_place else None)
    )
    ndays = len(stays) + 1
    day0 = req.arrive.astimezone(city_zone(arrive_city)).date()
    specs = []
    for d in range(ndays):
        day = day0 + timedelta(days=d)
        start_city = arrive_city if d == 0 else stays[d - 1]
        end_city = depart_city if d == ndays - 1 else stays[d]
        hotel_start = hotels.get(start_city, CITY_CENTRES[start_city])
        hotel_end = hotels.get(end_city, CITY_CENTRES[end_city])
        start_loc = (arrive_loc or hotel_start) if d == 0 else hotel_start
        if d == 0 and req.arrive < datetime.combine(day, pace.start, city_zone(start_city)) - NIGHT:
            start_loc = hotel_start  # in the night: to the hotel first, the day starts there
        end_loc = (depart_loc or hotel_end) if d == ndays - 1 else hotel_end
        start = datetime.combine(day, pace.start, city_zone(start_city))
        end = datetime.combine(day, pace.end, city_zone(end_city))
        if d == 0:
            start = max(start, req.arrive)
        end_place = "hotel"
        if d == ndays - 1:
            # The evening before a late train is the traveller's: the day ends at the cut-off.
            end = req.depart - margin
            end_place = "departure"
            if end < start:
                # An early flight or train: no sightseeing, only the way there, begun when it
                # must (Builder.fit: the cut-off less the leg), not at the pace's hour; on the
                # arrival day, from the arrival. What cannot be reached is flagged in red.
                start = req.arrive if d == 0 else end
                if d == 0:  # no night at the hotel first: straight on from the arrival
                    start_loc = arrive_loc or hotel_start
        end = max(end, start)  # an empty day: nothing fits, nothing fails
        specs.append(
            DaySpec(d, day, start_city, end_city, start_loc, end_loc, start, end, end_place)
        )
    cutoff = req.depart - margin
    last = specs[-1]
    if len(specs) > 1 and cutoff < datetime.combine(last.day, time(0), city_zone(last.end_city)):
        # A departure just after midnight is made from the evening before: that day is the
        # departure day (dated right), and the last calendar day is not a day of the trip.
        before = specs[-2]
        specs[-2] = replace(
            before,
            end_city=last.end_city,
            end_loc=last.end_loc,
            end=max(cutoff, before.start),
            end_place="departure",
        )
        specs.pop()
    return specs


@dataclass(frozen=True)
class Border:
    """The border model, asked with the traveller's papers."""

    req: TripRequest

    @property
    def party(self) -> int:
        # The group regimes are for organised tours; a family of six is six individuals.
        return self.req.party_size if self.req.group_tour else 1

    # --- Agencies (planner/agency.py): crossing notices and group processing time. ---
    @cached_property
    def data(self) -> CrossingData | None:
        """The crossing data with the published suspensions as closures (None: the file's own)."""
        if not self.req.extra_closures:
            return None
        base = border.load_crossing_data()
        return base.with_closures(self.req.extra_closures)

    @cached_property
    def group_minutes(self) -> int:
        return group_extra_minutes(self.party, self.data) if self.req.group_tour else 0

    def _grouped(self, option: CrossingOption) -> CrossingOption:
        """An organised group reports earlier: passport control takes one passenger at a time."""
        extra = self.group_minutes
        if not extra:
            return option
        params = {"party": self.party, "minutes": extra}
        return replace(
            option,
            report_by=option.report_by - timedelta(minutes=extra),
            minutes=option.minutes + extra,
            warnings=(*option.warnings, Message("group_checkpoint_minutes", params)),
        )

    # --- end of the agency additions ---

    def options(
        self, city: str, after: datetime, before: datetime
    ) -> tuple[list[CrossingOption], CrossingAnswer | None]:
        """Departures from *city* whose report time is after *after* and arrival before *before*."""
        if before <= after:
            return [], None
        answer = border.crossing_options(
            city,
            after,
            self.req.nationality,
            party_size=self.party,
            limit=100,
            until=before,
            entry_permits=self.req.visas,
            data=self.data,
        )
        grouped = [self._grouped(o) for o in answer.options]
        kept = [o for o in grouped if after <= o.report_by and o.arrive <= before]
        return kept, answer

    def day_options(self, city: str, spec_day) -> list[CrossingOption]:
        answer = border.options_on_day(
            city,
            spec_day,
            self.req.nationality,
            party_size=self.party,
            data=self.data,
            entry_permits=self.req.visas,
        )
        return [self._grouped(o) for o in answer.options]


# The reason a traveller can act on comes first: papers, a closure, the day's last run gone;
# "not in season" for a mode is the least telling (another mode may run).
REASON_PRIORITY = (
    "entry_not_permitted",
    "notice_suspension",
    "checkpoint_closed",
    "holiday_closure",
    "holiday_closure_estimated",
    "no_more_crossings_today",
)


def _reason(answer: CrossingAnswer | None) -> Message:
    if answer is not None and answer.reasons:
        ranked = sorted(
            answer.reasons,
            key=lambda m: (
                REASON_PRIORITY.index(m.code) if m.code in REASON_PRIORITY else len(REASON_PRIORITY)
            ),
        )
        return ranked[0]
    return Message("no_crossing_fits", {})


def move_options(b: Border, spec: DaySpec) -> tuple[list[Crossing], Message | None]:
    """The crossings a day that changes bank may take (earliest to latest)."""
    early = (
        spec.start
        if spec.index == 0
        else max(
            datetime.combine(spec.day, EARLIEST, spec.start.tzinfo), spec.start - timedelta(hours=2)
        )
    )
    opts, answer = b.options(spec.start_city, early, spec.end)
    if not opts:
        return [], _reason(answer)
    last = b.day_options(spec.start_city, spec.day)[-1:]
    return [
        Crossing(
            o,
            spec.start_city,
            last_of_day=bool(last) and o.depart == last[0].depart and o.mode == last[0].mode,
        )
        for o in opts
    ], None


def forced_days(req: TripRequest, cat: Catalogue, specs: list[DaySpec]) -> set[int]:
    """The days one of which must be spent across the river: the day asked for (or any day
    when none is named), the day of a kept stop on the other bank, any day for a must-see
    there. Empty: the planner decides (a day across when it is worth the border)."""
    stay_days = {s.index for s in specs if s.start_city == s.end_city}
    pinned = {
        day
        for pid, day in req.pinned
        if pid in cat and day in stay_days and cat.get(pid).city != specs[day].start_city
    }
    if pinned:
        return pinned
    if req.day_across == "yes":
        if req.day_across_on is not None:
            return {req.day_across_on} & stay_days
        return stay_days
    homes = {s.start_city for s in specs} | {s.end_city for s in specs}
    if any(m in cat and cat.get(m).city not in homes for m in req.must_see):
        return stay_days
    return set()


@dataclass(frozen=True)
class Abroad:
    """A day across the river and back, on chosen departures."""

    day: int
    out: Crossing
    back: Crossing


def _if_missed(b: Border, spec: DaySpec, out: CrossingOption, back: CrossingOption) -> Message:
    """What a traveller who misses the day's last run back does: the next run, a night near
    the port, and whether their entry allows that night."""
    away = back.from_point.city
    nxt = b.day_options(away, spec.day + timedelta(days=1))[:1]
    if nxt:
        first = nxt[0]
        next_run = Message(
            "next_run",
            {"mode": first.mode, "time": first.depart.strftime("%H:%M"), "city": away},
        )
    else:
        next_run = Message("next_run_unknown", {"city": away})
    days = next(
        (int(w.params.get("days") or 0) for w in out.warnings if w.code == "stay_limited"), 0
    )
    entry = (
        Message("entry_allows_night", {"days": days})
        if days
        else Message("entry_visa_night", {"city": away})
    )
    return Message(
        "last_run_if_missed", {"next": next_run, "port": back.from_point.name, "entry": entry}
    )


def abroad_options(
    b: Border, spec: DaySpec, min_hours: float = MIN_HOURS_ABROAD
) -> tuple[list[Abroad], Message | None]:
    """Ways to spend *spec*'s day on the other bank: out early or around mid-morning, back on
    the latest safe run and, where a missed run costs only a night, on the day's last run with
    LAST_RUN_CUSHION_MIN in hand (the variants weigh which leaves more worth seeing)."""
    home = spec.start_city
    away = other_city(home)
    early = (
        spec.start
        if spec.index == 0
        else max(
            datetime.combine(spec.day, EARLIEST, spec.start.tzinfo), spec.start - timedelta(hours=2)
        )
    )
    outs, out_answer = b.options(home, early, spec.end)
    if not outs:
        return [], _reason(out_answer)
    backs_all = b.day_options(away, spec.day)
    if not backs_all:
        return [], Message("no_return_that_day", {"city": away, "day": spec.day.isoformat()})
    last = backs_all[-1]
    req = b.req
    last_ok = not req.safe_return and (last.mode not in STRANDING_MODES or req.allow_last_crossing)
    cushion = timedelta(minutes=LAST_RUN_CUSHION_MIN)
    target = datetime.combine(spec.day, OUT_ARRIVAL_TARGET, city_zone(away))
    picks = [outs[0], min(outs, key=lambda o: abs((o.arrive - target).total_seconds()))]
    choices: list[Abroad] = []
    only_last = False
    for out in dict.fromkeys(picks):
        need = out.arrive + timedelta(hours=min_hours)
        usable = [o for o in backs_all if o.report_by >= need and o.arrive <= spec.end]
        safe = [o for o in usable if o is not last]
        backs: list[tuple[CrossingOption, bool]] = [(safe[-1], False)] if safe else []
        last_fits = last in usable and last.report_by - cushion >= need
        if last_fits and last_ok:
            backs.append((last, True))
        elif last_fits:
            only_last = True
        for back, is_last in backs:
            choices.append(
                Abroad(
                    spec.index,
                    Crossing(out, home, back_by=back.report_by),
                    Crossing(
                        back,
                        away,
                        last_of_day=is_last,
                        if_missed=_if_missed(b, spec, out, back) if is_last else None,
                    ),
                )
            )
    if not choices:
        code = "only_last_crossing_back" if only_last else "too_little_time_abroad"
        return [], Message(code, {"city": away, "hours": min_hours})
    return choices, None
