"""The first solution: mandatory nodes first, then greedy insertion by value^2 / shift."""

from __future__ import annotations

from planner.solver.state import Routes


def construct(state: Routes) -> None:
    """Fill empty routes greedily; `fill()` already ranks feasible mandatory nodes first."""
    state.fill()
