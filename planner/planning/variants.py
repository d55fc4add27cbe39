"""The ways a trip can be split between the banks (which day goes across, on which departures),
and what solving one of them gave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from planner.model import Attraction
from planner.planning.builder import Built, DaySpec
from planner.planning.days import OUT_ARRIVAL_TARGET, Abroad
from planner.planning.decode import Decoded
from planner.timeutil import city_zone
from planner.trip import Crossing


@dataclass
class Variant:
    specs: list[DaySpec]
    crossings: dict[int, list[Crossing]]
    abroad: int  # days spent across the river and back


@dataclass
class Outcome:
    variant: Variant
    built: Built
    decoded: Decoded
    value: float
    routes: list[list[int]] = field(default_factory=list)  # as solved (node indices per route)


def allowed_days(
    clusters: list[list[Attraction]], variant: Variant, pinned: tuple[tuple[str, int], ...] = ()
) -> dict[str, set[int]]:
    """Each excursion on one day: the day a traveller pinned one of its places to, else the
    longest day spent wholly in its city. A pinned place is kept on its day."""
    out: dict[str, set[int]] = {pid: {day} for pid, day in pinned}
    for group in clusters:
        chosen = next((out[p.id] for p in group if p.id in out), None)
        if chosen is not None:
            for p in group:
                out.setdefault(p.id, set(chosen))
            continue
        city = group[0].city
        days = [
            s
            for s in variant.specs
            if s.start_city == s.end_city == city and not variant.crossings.get(s.index)
        ]
        if not days:
            continue
        best = max(days, key=lambda s: (s.end - s.start, -s.index))
        for p in group:
            out[p.id] = {best.index}
    return out


def _move_picks(opts: list[Crossing], spec: DaySpec) -> tuple[Crossing, Crossing, Crossing]:
    """A move's departures worth weighing: the one arriving nearest mid-morning, the middle
    one, and the latest that is not the day's last (the last has no fallback)."""
    away = opts[0].option.to_point.city
    target = datetime.combine(spec.day, OUT_ARRIVAL_TARGET, city_zone(away))
    morning = min(opts, key=lambda c: abs((c.option.arrive - target).total_seconds()))
    safe = [c for c in opts if not c.last_of_day] or opts
    return morning, opts[len(opts) // 2], safe[-1]


def build_variants(
    specs: list[DaySpec],
    moves: dict[int, list[Crossing]],
    abroad: list[Abroad],
    rank: dict[int, float],
    must_away: bool,
    lead_time: Callable[[DaySpec, Crossing], timedelta],
) -> list[Variant]:
    """Which days go across the river and on which departures: a few sensible combinations."""
    move_days = sorted(moves)
    move_picks = [_move_picks(moves[k], specs[k]) for k in move_days]
    by_day: dict[int, list[Abroad]] = {}
    for a in abroad:
        by_day.setdefault(a.day, []).append(a)
    days = sorted(by_day, key=lambda k: -rank[k])[:2]
    sets: list[list[Abroad]] = []
    ndays = len(specs)
    for k in days:
        sets.extend([a] for a in by_day[k])
    if len(days) == 2 and ndays >= 4:
        sets.append([by_day[days[0]][-1], by_day[days[1]][-1]])
    # Staying on one bank is always weighed against the days across, and is the fallback when
    # no day across can be made (first when nothing across is a must-see).
    # The two front-runners go first (the best day across, then staying), so a short time limit
    # still weighs one against the other.
    if must_away:
        sets.append([])
    else:
        sets.insert(1 if sets else 0, [])
    variants = []
    for chosen in sets:
        # Every move on its mid-morning, middle or latest safe departure: three ways at most.
        combos = [tuple(p[i] for p in move_picks) for i in range(3)] if move_picks else [()]
        for picks in dict.fromkeys(combos):
            crossings = {k: [pick] for k, pick in zip(move_days, picks, strict=True)}
            day_list = list(specs)
            for a in chosen:
                crossings[a.day] = [a.out, a.back]
                lead = a.out.option.report_by - lead_time(day_list[a.day], a.out)
                if a.day > 0 and lead < day_list[a.day].start:  # never before the arrival
                    day_list[a.day] = replace(day_list[a.day], start=lead)
            for k in move_days:
                lead = crossings[k][0].option.report_by - lead_time(day_list[k], crossings[k][0])
                if k > 0 and lead < day_list[k].start:
                    day_list[k] = replace(day_list[k], start=lead)
            variants.append(Variant(day_list, crossings, len(chosen)))
    return variants
