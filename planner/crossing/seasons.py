"""Which crossing runs in which month: the season overview the crossing page shows.

Read from the same seasons (dated windows, else the typical periods) that `crossing_options`
uses, so the overview can never promise a month the options deny.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from planner.crossing.load import load_crossing_data
from planner.crossing.options import _season
from planner.crossing.schema import CrossingData, Mode
from planner.model import LocalizedName

# How a mode runs in a month: every day, some days, or not at all.
ALL, PART, NONE = "all", "part", "none"


@dataclass(frozen=True)
class ModeSeason:
    """One mode's months of a year: 12 marks (ALL, PART, NONE), January first."""

    mode: str
    name: LocalizedName
    in_service: bool
    months: tuple[str, ...]
    estimated: bool  # some running day of the year rests on an estimated season


def _month_mark(mode: Mode, year: int, month: int) -> tuple[str, bool]:
    days = calendar.monthrange(year, month)[1]
    first = date(year, month, 1)
    running = estimated = 0
    for offset in range(days):
        runs, guessed, _sources, _text = _season(mode, first + timedelta(days=offset))
        if runs:
            running += 1
            estimated += guessed
    mark = ALL if running == days else PART if running else NONE
    return mark, bool(estimated)


def season_overview(year: int, data: CrossingData | None = None) -> tuple[ModeSeason, ...]:
    """Each mode of the data with the months of *year* it runs (a mode out of service: none)."""
    data = data or load_crossing_data()
    rows: list[ModeSeason] = []
    for mode_id, mode in data.modes.items():
        if not mode.in_service:
            rows.append(ModeSeason(mode_id, mode.name, False, (NONE,) * 12, False))
            continue
        marks = [_month_mark(mode, year, month) for month in range(1, 13)]
        rows.append(
            ModeSeason(
                mode_id,
                mode.name,
                True,
                tuple(mark for mark, _ in marks),
                any(guessed for _, guessed in marks),
            )
        )
    return tuple(rows)
