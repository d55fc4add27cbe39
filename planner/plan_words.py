"""How a plan's legs and crossings read, the same on the page, in print, in the exports and in
the command line's text: one function each, fed by the plan document (planner.plan_document).
Pure Python: texts through the *gettext* given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from planner.messages import clock_text, leg_text, mode_word

Gettext = Callable[[str], str]


class LegLike(Protocol):
    """A leg: mode, whole minutes, km (the document's, or a planned itinerary's)."""

    @property
    def mode(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def km(self) -> float: ...


def leg_words(leg: LegLike | None, gettext: Gettext, lang: str) -> str:
    """'taxi 12 min, 3.4 km': the way to a stop; '' when there is none (or it takes no time)."""
    if leg is None or not leg.minutes:
        return ""
    return leg_text(leg.mode, leg.minutes, leg.km, gettext, lang)


def mode_words(mode: str, gettext: Gettext, lang: str) -> str:
    """A crossing's mode in the reader's words (an unknown mode stays as given)."""
    return mode_word(mode, gettext, lang)


@dataclass(frozen=True)
class CrossingClocks:
    """A crossing's times as a reader sees them: each on the clock of where it happens, and
    departure and arrival also on the other bank's clock ('10:00 <city> (UTC+8)')."""

    mode: str
    report_by: str
    report_by_other: str
    depart: str
    depart_other: str
    arrive: str
    arrive_other: str


def crossing_clocks(
    mode: str,
    report_by: datetime,
    depart: datetime,
    arrive: datetime,
    frm: str,
    to: str,
    gettext: Gettext,
    lang: str = "en",
) -> CrossingClocks:
    """The words of a crossing from *frm* to *to*: its mode and its times on both clocks."""
    return CrossingClocks(
        mode=mode_words(mode, gettext, lang),
        report_by=clock_text(report_by, frm, gettext, lang),
        report_by_other=clock_text(report_by, to, gettext, lang),
        depart=clock_text(depart, frm, gettext, lang),
        depart_other=clock_text(depart, to, gettext, lang),
        arrive=clock_text(arrive, to, gettext, lang),
        arrive_other=clock_text(arrive, frm, gettext, lang),
    )
