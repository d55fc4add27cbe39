"""The answers built on the crossing facts (schema.py): frozen dataclasses, computed per query.

options.py and entry.py build these from the facts of data/crossing.json; the answers carry
`Message` codes that the adapters render in the traveller's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import get_args

from planner.crossing.formats import GradedSource
from planner.crossing.schema import CoordConfidence, Fare, Modes, Point, TimetableStatus
from planner.messages import Message
from planner.model import LocalizedName

MODES: tuple[str, ...] = tuple(Modes.model_fields)
TIMETABLE_STATUSES: tuple[str, ...] = get_args(TimetableStatus)
COORD_CONFIDENCE: tuple[str, ...] = get_args(CoordConfidence)

# --------------------------------------------------------------------------- the answers


@dataclass(frozen=True)
class CrossingOption:
    """One real departure: times on each side's own clock, door-to-door minutes, fare, sources.

    `report_by` is when to be at `from_point` (exit control and the buffer before `depart`);
    `arrive` is when the traveller is through entry control on the other side;
    `minutes` = arrive - report_by.
    """

    mode: str
    mode_name: LocalizedName
    depart: datetime
    arrive: datetime
    report_by: datetime
    minutes: int
    fare: Fare
    from_point: Point
    to_point: Point
    documents: tuple[Message, ...]
    warnings: tuple[Message, ...]
    sources: tuple[GradedSource, ...]
    entry_rule: str
    estimated: bool
    # "about 10:00 (indicative)": the time is mirrored, reinterpreted, estimated or from an
    # earlier year's timetable than the travel day's year.
    indicative: bool = False
    # Which layer let the traveller in, with its date ("entry_layer_*" messages).
    entry_basis: Message | None = None


@dataclass(frozen=True)
class CrossingAnswer:
    """The options in time order, the deadline to come back, and why there are none or fewer."""

    direction_from: str
    direction_to: str
    after: datetime
    until: datetime
    nationality: str
    party_size: int
    options: tuple[CrossingOption, ...]
    last_return: datetime | None
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class EntryDecision:
    """Whether a traveller may enter a country on a day, under which rule and with what papers."""

    permitted: bool
    rule_id: str
    documents: tuple[Message, ...]
    warnings: tuple[Message, ...]
    sources: tuple[GradedSource, ...]
    reason: Message | None
    # "own", "rule" (data/crossing.json), "base" (the passport-index layer), "declared" or "none"
    layer: str = "none"
    basis: Message | None = None  # the layer and its date, as an "entry_layer_*" message
    layer_date: date | None = None  # the rule's check date, or the base layer's dataset date
    max_stay_days: int | None = None
