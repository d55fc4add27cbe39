"""Speed of plan_trip(): 20 varied 3-day requests over the whole catalogue.

Prints each request's wall time and score, then p50/p95/max. The target is p95 < 0.5 s.
As a quality peer in the same run, each request is also planned with a ten times longer solver
budget; the printed ratio is our score over that score (1.0 = nothing lost by planning fast).

    .venv/bin/python bench/plan.py [--time-limit 0.25]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.catalogue import load_catalogue  # noqa: E402
from planner.planning import TripRequest, plan_trip  # noqa: E402
from planner.timeutil import BLAGOVESHCHENSK_TZ, HEIHE_TZ  # noqa: E402

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
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=0.25)
    args = parser.parse_args()
    cat = load_catalogue()
    plan_trip(requests()[0], catalogue=cat, time_limit=0.05)  # warm caches (hours, data)
    times, ratios = [], []
    print(
        f"{'#':>2} {'stay':16} {'start':10} {'pace':8} {'nat':3} {'secs':>6} {'score':>6} "
        f"{'stops':>5} {'vs 10x':>8}"
    )
    for i, req in enumerate(requests()):
        t0 = time.perf_counter()
        plan = plan_trip(req, catalogue=cat, time_limit=args.time_limit, seed=i)
        elapsed = time.perf_counter() - t0
        slow = plan_trip(req, catalogue=cat, time_limit=args.time_limit * 10, seed=i)
        ratio = plan.score / slow.score if slow.score else float("nan")
        times.append(elapsed)
        ratios.append(ratio)
        stops = sum(len(d.stops) for d in plan.days)
        print(
            f"{i:>2} {req.stay[0]:16} {req.arrive.date()!s:10} {req.pace:8} "
            f"{req.nationality:3} {elapsed:6.3f} {plan.score:6d} {stops:5d} {ratio:8.3f}"
        )
    times.sort()
    p95 = times[int(round(0.95 * (len(times) - 1)))]
    print(
        f"\nplan_trip over {len(times)} requests: p50 {statistics.median(times):.3f} s, "
        f"p95 {p95:.3f} s, max {times[-1]:.3f} s (target p95 < 0.5 s)"
    )
    print(
        f"score over a {args.time_limit * 10:g} s-budget plan (same run): "
        f"mean {statistics.fmean(ratios):.3f}, min {min(ratios):.3f}"
    )


if __name__ == "__main__":
    main()
