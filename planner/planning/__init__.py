"""Trip planning: `plan_trip(request) -> Itinerary`, the one service every adapter calls.

service.py orchestrates; days.py chooses crossings; builder.py makes the solver instance;
decode.py re-times the answer with real legs; notices.py says what the traveller must know;
rules.py holds the margins, windows and weights.
"""

from planner.planning.rules import PACES
from planner.planning.service import DEFAULT_BUDGET, WorkBudget, plan_trip
from planner.trip import (
    Crossing,
    DayPlan,
    Itinerary,
    LeftOut,
    Leg,
    Meal,
    Notice,
    PlanningError,
    TripRequest,
    Visit,
)

__all__ = [
    "DEFAULT_BUDGET",
    "PACES",
    "Crossing",
    "DayPlan",
    "Itinerary",
    "Leg",
    "LeftOut",
    "Meal",
    "Notice",
    "PlanningError",
    "TripRequest",
    "Visit",
    "WorkBudget",
    "plan_trip",
]
