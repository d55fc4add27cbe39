"""The trip solver: a team orienteering problem with time windows, in integers.

Knows nothing of cities, dates or Flask: `planner.planning` builds an `Instance`.
"""

from planner.solver.instance import Instance, RouteSpec
from planner.solver.result import CheckReport, Result, check
from planner.solver.search import SearchParams, solve
from planner.solver.stop import FirstOf, MaxIterations, MaxRuntime, NoImprovement, StoppingCriterion

__all__ = [
    "CheckReport",
    "FirstOf",
    "Instance",
    "MaxIterations",
    "MaxRuntime",
    "NoImprovement",
    "Result",
    "RouteSpec",
    "SearchParams",
    "StoppingCriterion",
    "check",
    "solve",
]
