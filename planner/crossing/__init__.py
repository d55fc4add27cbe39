"""The border crossing between the region's cities, read from its crossing.json.

Pure Python (no Flask). Four rooms: `schema` (the facts: frozen pydantic models that validate
the file and are read as they are; their value types in `formats`) + `load` (reading it once),
`facts` (the answers), `entry`
(who may enter, nationality codes) and `options` (seasons, closures, timetables -> options).
Their JSON is in planner/serialize.py; their sentences in planner/messages.py. Format of the
data: docs/crossing.md. Callers import from here.
"""

from planner.crossing.base import DEFAULT_BASE_PATH, Requirement, VisaBase, load_visa_base
from planner.crossing.entry import (
    BASE_RULE_ID,
    COUNTRY_NAMES,
    ISO_ALPHA2,
    REVIEW_DAYS,
    Nationality,
    base_layer,
    entry_decision,
    needs_review,
    normalize_nationality,
    require_nationality,
    rules_for,
    sources_by_url,
)
from planner.crossing.entry_schema import EntryRule, Extension
from planner.crossing.facts import (
    COORD_CONFIDENCE,
    MODES,
    TIMETABLE_STATUSES,
    CrossingAnswer,
    CrossingOption,
    EntryDecision,
)
from planner.crossing.formats import GradedSource
from planner.crossing.load import (
    DEFAULT_PATH,
    CrossingDataError,
    load_crossing_data,
    parse_crossing_data,
)
from planner.crossing.options import (
    ClosureHit,
    closures_on,
    crossing_options,
    last_return_option,
    last_safe_return,
    options_on_day,
)
from planner.crossing.schema import (
    CheckpointMinutes,
    Closure,
    CrossingData,
    Fare,
    HolidayNote,
    IceRisk,
    Mode,
    Note,
    Point,
    PortHours,
    Ride,
    Season,
    SpringFestivalRule,
    Timetable,
)
from planner.crossing.seasons import ModeSeason, season_overview

__all__ = [
    "BASE_RULE_ID",
    "DEFAULT_BASE_PATH",
    "Requirement",
    "VisaBase",
    "base_layer",
    "load_visa_base",
    "COORD_CONFIDENCE",
    "COUNTRY_NAMES",
    "DEFAULT_PATH",
    "ISO_ALPHA2",
    "MODES",
    "REVIEW_DAYS",
    "TIMETABLE_STATUSES",
    "CheckpointMinutes",
    "Closure",
    "ClosureHit",
    "CrossingAnswer",
    "CrossingData",
    "CrossingDataError",
    "CrossingOption",
    "EntryDecision",
    "EntryRule",
    "Extension",
    "HolidayNote",
    "IceRisk",
    "Mode",
    "Nationality",
    "Note",
    "Point",
    "PortHours",
    "Ride",
    "SpringFestivalRule",
    "Timetable",
    "Season",
    "Fare",
    "GradedSource",
    "closures_on",
    "crossing_options",
    "entry_decision",
    "last_return_option",
    "last_safe_return",
    "load_crossing_data",
    "needs_review",
    "normalize_nationality",
    "options_on_day",
    "ModeSeason",
    "season_overview",
    "parse_crossing_data",
    "require_nationality",
    "rules_for",
    "sources_by_url",
]
