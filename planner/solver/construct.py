"""The first solution: mandatory nodes first, then greedy insertion by value^2 / shift."""

from __future__ import annotations

from collections.abc import Callable

from planner.solver.state import Routes
from planner.solver.stop import never


def construct(state: Routes, halt: Callable[[], bool] = never) -> None:
    """Fill empty routes greedily; `fill()` already ranks feasible mandatory nodes first.

    `halt` is asked before each insertion, so a spent time limit leaves a partial (feasible)
    first solution rather than overrunning.
    """
    state.fill(halt=halt)
