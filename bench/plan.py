"""Speed and realism of plan_trip(): 20 varied 3-day requests over the whole catalogue.

Prints each request's wall time and score, then p50/p95/max (target p95 < 0.5 s), and what a
guide reads in a plan: minutes idle, minutes at the border against minutes abroad, the share of
the active day spent travelling, meals missed, and the margin left at the final departure.
As a quality peer in the same run, each request is also planned with a ten times longer solver
budget; the printed ratio is our score over that score (1.0 = nothing lost by planning fast).

    .venv/bin/python bench/plan.py [--time-limit 2.0]

The planner searches on a fixed work budget (iterations); --time-limit is only its cap. The
guide's figures (bench/guide.py) follow: days across, Heihe's own sights, full days, must-sees
kept, identical reruns.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.catalogue import load_catalogue
from planner.planning import DEFAULT_BUDGET, TripRequest, WorkBudget, plan_trip
from planner.timeutil import BLAGOVESHCHENSK_TZ, HEIHE_TZ

STARTS = [
    (2027, 1, 20),
    (2027, 3, 5),
    (2027, 4, 22),
    (2027, 5, 15),
    (2027, 6, 12),
    (2027, 7, 10),
    (2027, 8, 3),
    (2027, 9, 18),
    (2027, 10, 28),
    (2027, 12, 10),
]
INTERESTS = [("history",), ("architecture", "history"), ("nature",), ("shopping", "food"), ()]
PACES = ["relaxed", "normal", "packed"]


def requests() -> list[TripRequest]:
    out = []
    for i in range(20):
        y, m, d = STARTS[i % len(STARTS)]
        stay = "heihe" if i % 2 == 0 else "blagoveshchensk"
        zone = HEIHE_TZ if stay == "heihe" else BLAGOVESHCHENSK_TZ
        arrive = datetime(y, m, d, 9 + i % 3, 0, tzinfo=zone)
        out.append(
            TripRequest(
                arrive=arrive,
                depart=arrive + timedelta(days=2, hours=8),
                stay=(stay,),
                interests=INTERESTS[i % len(INTERESTS)],
                pace=PACES[i % 3],
                nationality=["CN", "RU", "DE"][i % 3],
                visas=(("RU",), ("CN",), ("CN", "RU"))[i % 3] if i % 4 else (),
                party_size=6 if i % 5 == 0 else 1,
                group_tour=i % 5 == 0,
            )
        )
    return out


def realism(plan) -> dict[str, float]:
    """What a guide reads in a plan, in minutes (travel as a share of the active day)."""
    from planner.planning import Crossing, Meal

    abroad = 0.0
    active = 0.0
    for day in plan.days:
        if day.leave_at and day.items:
            last = day.items[-1]
            end = (
                last.option.arrive
                if isinstance(last, Crossing)
                else (last.end if isinstance(last, Meal) else last.depart)
            )
            active += (end - day.leave_at).total_seconds() / 60
        crossings = day.crossings
        for out, back in zip(crossings, crossings[1:], strict=False):
            if out.direction_from == day.city_start and back.direction_from != day.city_start:
                abroad += (back.option.report_by - out.option.arrive).total_seconds() / 60
    last = plan.days[-1]
    final = last.items[-1] if last.items else None
    if final is None:
        finish = last.start
    elif isinstance(final, Crossing):
        finish = final.option.arrive
    else:
        finish = final.end if isinstance(final, Meal) else final.depart
    if last.end_leg:
        finish += timedelta(minutes=last.end_leg.minutes)
    return {
        "idle": plan.stats["idle_min"],
        "border": plan.stats["border_min"],
        "abroad": abroad,
        "travel_share": plan.stats["travel_min"] / active if active else 0.0,
        "missed_meals": plan.stats["missed_meals"],
        "margin": (plan.request.depart - finish).total_seconds() / 60,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=2.0, help="the cap per plan")
    args = parser.parse_args()
    # The quality peer: ten times the work budget of the default.
    slow_budget = WorkBudget(DEFAULT_BUDGET.iterations * 10, DEFAULT_BUDGET.no_improvement * 10)
    cat = load_catalogue()
    plan_trip(requests()[0], catalogue=cat, time_limit=0.05)  # warm caches (hours, data)
    times, ratios, real = [], [], []
    print(
        f"{'#':>2} {'stay':16} {'start':10} {'pace':8} {'nat':3} {'secs':>6} {'score':>6} "
        f"{'stops':>5} {'vs 10x':>8} {'idle':>5} {'border':>6} {'abroad':>6} {'travel':>6} "
        f"{'meals-':>6} {'margin':>6}"
    )
    for i, req in enumerate(requests()):
        t0 = time.perf_counter()
        plan = plan_trip(req, catalogue=cat, time_limit=args.time_limit)
        elapsed = time.perf_counter() - t0
        slow = plan_trip(req, catalogue=cat, time_limit=args.time_limit * 10, budget=slow_budget)
        ratio = plan.score / slow.score if slow.score else float("nan")
        times.append(elapsed)
        ratios.append(ratio)
        stops = sum(len(d.stops) for d in plan.days)
        r = realism(plan)
        real.append(r)
        print(
            f"{i:>2} {req.stay[0]:16} {req.arrive.date()!s:10} {req.pace:8} "
            f"{req.nationality:3} {elapsed:6.3f} {plan.score:6d} {stops:5d} {ratio:8.3f} "
            f"{r['idle']:5.0f} {r['border']:6.0f} {r['abroad']:6.0f} {r['travel_share']:6.2f} "
            f"{r['missed_meals']:6d} {r['margin']:6.0f}"
        )
    times.sort()
    p95 = times[int(round(0.95 * (len(times) - 1)))]
    print(
        f"\nplan_trip over {len(times)} requests: p50 {statistics.median(times):.3f} s, "
        f"p95 {p95:.3f} s, max {times[-1]:.3f} s (target p95 < 0.5 s)"
    )
    print(
        "score over a plan on ten times the work budget (same run): "
        f"mean {statistics.fmean(ratios):.3f}, min {min(ratios):.3f}"
    )
    from planner.plan_check import check_plan

    broken = sum(
        len(check_plan(plan_trip(req, catalogue=cat, time_limit=args.time_limit), cat))
        for req in requests()
    )
    print(f"hard-rule violations found by planner.plan_check over the 20 plans: {broken}")
    abroad_plans = [r for r in real if r["abroad"]]
    print(
        "realism (mean per 3-day plan): "
        f"idle {statistics.fmean(r['idle'] for r in real):.0f} min; "
        f"border {statistics.fmean(r['border'] for r in abroad_plans or real):.0f} min for "
        f"{statistics.fmean(r['abroad'] for r in abroad_plans or real):.0f} min abroad "
        f"({len(abroad_plans)} plans with a day abroad); "
        f"travel {statistics.fmean(r['travel_share'] for r in real):.0%} of the active day; "
        f"missed meals {sum(r['missed_meals'] for r in real)} in total; "
        f"margin at the final departure min {min(r['margin'] for r in real):.0f} min"
    )
    from guide import report

    report(cat)


if __name__ == "__main__":
    main()
