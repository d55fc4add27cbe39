"""The quiet reading of a plan: each warning said once, a few a day, left-out places grouped.

The itinerary keeps every warning on its day and every place left out with its reason (the JSON
API and the edits read those); what a person reads (the text of the command line, the plan page,
the print) goes through here. Pure Python on codes: the adapters put the words in.

- A warning about the whole trip (the timetable of a year not yet published, check-point times
  estimated, the stay limit, an entry rule), and one repeated on several days, is said once, in
  the plan's list; the places whose hours are not verified, or whose position is approximate,
  are named once for the plan.
- A crossing's own warnings and papers are said at the first crossing they concern, not again.
- A day keeps at most `DAY_LIMIT` warnings, its crossings' own counted, red first; the rest go
  to the plan's list, never lost. A red warning (the plan is not safe as it stands) always stays
  on its day.
- Places left out are grouped by reason with a count; only those that match the traveller's
  interests (and those they excluded) are named; a must-see left out is named with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.languages import list_separator
from planner.messages import LEFT_OUT_GROUP_LABELS, LEFT_OUT_MORE, LEFT_OUT_OTHER, Message
from planner.plan_document import CrossingEntry, PlanDocument
from planner.plan_document import Notice as DocNotice
from planner.planning.notices import AMBER_CODES, SKIP_CODES
from planner.serialize import SETTLED_BY_PLAN
from planner.trip import SEVERITIES, Notice

DAY_LIMIT = 5
# Warnings that hold for the whole trip wherever they are raised: said once, in the plan's list.
TRIP_WIDE_CODES = frozenset(
    {
        "timetable_from_year",
        "checkpoint_minutes_estimated",
        "stay_limited",
        "entry_rule_extension",
        "entry_rule_extension_verified",
        "entry_rule_low_confidence",
        "entry_rule_ends",
        "entry_rule_ends_extension_reported",
        "extension_reported",
    }
)
# Warnings naming places (param "places"): one for the plan, naming each place once.
PLACE_LIST_CODES = ("hours_unverified", "position_approximate")
# The order of the left-out groups: what the traveller can change first, the data's limits last.
LEFT_OUT_ORDER = (
    "excluded",
    "no_time",
    "over_budget",
    "closed",
    "season",
    "not_reachable",
    "too_far",
    "position_unknown",
)


def _key(message: Message) -> str:
    """A message's identity (params read back from JSON may hold unhashable values)."""
    return repr((message.code, sorted(message.params.items(), key=lambda kv: kv[0])))


def _rank(notice: Notice) -> int:
    return SEVERITIES.index(notice.severity) if notice.severity in SEVERITIES else len(SEVERITIES)


def crossing_severity(message: Message) -> str:
    """How serious a crossing's warning is, as the day's warnings rate it."""
    return "amber" if message.code in AMBER_CODES else "info"


@dataclass(frozen=True)
class QuietNotices:
    """What each part of a plan says: per day, per crossing of each day, and for the trip."""

    # At most DAY_LIMIT a day, the day's crossings' own warnings counted (more only when red).
    days: tuple[tuple[Notice, ...], ...]
    crossing_warnings: tuple[tuple[tuple[Message, ...], ...], ...]  # [day][crossing]
    crossing_documents: tuple[tuple[tuple[Message, ...], ...], ...]  # [day][crossing]
    trip: tuple[Notice, ...]  # red first


class _Said:
    """Messages in first-seen order, each once."""

    def __init__(self) -> None:
        self.items: dict[str, Notice] = {}

    def add(self, notice: Notice) -> None:
        self.items.setdefault(_key(notice.message), notice)

    def __contains__(self, message: Message) -> bool:
        return _key(message) in self.items


def quiet_notices(
    days: Sequence[Sequence[Notice]],
    trip: Sequence[Notice],
    crossing_warnings: Sequence[Sequence[Sequence[Message]]] = (),
    crossing_documents: Sequence[Sequence[Sequence[Message]]] = (),
) -> QuietNotices:
    """Arrange a plan's warnings so that each is said once and no day is crowded.

    Parameters: the warnings of each day and of the trip, as planned; the warnings and the
    papers of each crossing of each day (empty when the output shows no crossings).
    Returns: what to show on each day, at each crossing, and in the plan's list.
    """
    plan = _Said()
    for notice in trip:
        plan.add(notice)
    # A crossing's warnings: the trip-wide ones in the plan's list, the rest at the first
    # crossing they concern; papers likewise at the first crossing that needs them.
    at_crossings: set[str] = set()
    shown: set[str] = set()
    warnings_out: list[tuple[tuple[Message, ...], ...]] = []
    for day in crossing_warnings:
        per_day = []
        for messages in day:
            mine = []
            for m in messages:
                if m.code in SKIP_CODES or m.code in SETTLED_BY_PLAN:
                    continue
                at_crossings.add(_key(m))
                if m.code in TRIP_WIDE_CODES:
                    plan.add(Notice(crossing_severity(m), m))
                elif _key(m) not in shown:
                    shown.add(_key(m))
                    mine.append(m)
            per_day.append(tuple(mine))
        warnings_out.append(tuple(per_day))
    papers: set[str] = set()
    documents_out: list[tuple[tuple[Message, ...], ...]] = []
    for day in crossing_documents:
        per_day = []
        for messages in day:
            mine = [m for m in messages if _key(m) not in papers]
            papers.update(_key(m) for m in mine)
            per_day.append(tuple(mine))
        documents_out.append(tuple(per_day))
    # The days: a crossing's warning is said at the crossing; places are named once a plan;
    # what recurs on several days, or holds for the whole trip, goes to the plan's list.
    places: dict[str, dict[str, object]] = {code: {} for code in PLACE_LIST_CODES}
    severity: dict[str, str] = {}
    kept: list[list[Notice]] = []
    seen_on: dict[str, int] = {}
    for notices in days:
        own: list[Notice] = []
        unique: dict[str, Notice] = {}
        for n in notices:
            unique.setdefault(n.severity + _key(n.message), n)
        for n in unique.values():
            m = n.message
            if n.severity != "red":
                if _key(m) in at_crossings:
                    continue
                if m.code in PLACE_LIST_CODES:
                    names = m.params.get("places") or ()
                    for name in names if isinstance(names, tuple) else (names,):
                        places[m.code].setdefault(repr(name), name)
                    severity.setdefault(m.code, n.severity)
                    continue
                if m.code in TRIP_WIDE_CODES:
                    plan.add(n)
                    continue
            own.append(n)
        for n in {_key(n.message): n for n in own}.values():
            seen_on[_key(n.message)] = seen_on.get(_key(n.message), 0) + 1
        kept.append(own)
    for code in PLACE_LIST_CODES:
        if places[code]:
            names = tuple(places[code].values())
            plan.add(Notice(severity[code], Message(code, {"places": names})))
    days_out: list[tuple[Notice, ...]] = []
    several = len(days) > 1
    for d, own in enumerate(kept):
        stay: list[Notice] = []
        for n in own:
            if n.severity != "red" and several and seen_on[_key(n.message)] > 1:
                plan.add(n)  # said on several days: once, for the plan
            else:
                stay.append(n)
        # The day's crossings count towards its limit: (notice, crossing index or -1).
        crossings = warnings_out[d] if d < len(warnings_out) else ()
        said = [(n, -1) for n in stay] + [
            (Notice(crossing_severity(m), m), k) for k, ms in enumerate(crossings) for m in ms
        ]
        said.sort(key=lambda pair: _rank(pair[0]))  # stable: the day's own first
        red = [pair for pair in said if pair[0].severity == "red"]
        rest = [pair for pair in said if pair[0].severity != "red"]
        room = max(0, DAY_LIMIT - len(red))
        for n, _ in rest[room:]:
            plan.add(n)  # folded into the plan's list, never lost
        shown_here = red + rest[:room]
        days_out.append(tuple(n for n, k in shown_here if k < 0))
        if crossings:
            warnings_out[d] = tuple(
                tuple(n.message for n, j in shown_here if j == k) for k in range(len(crossings))
            )
    return QuietNotices(
        tuple(days_out),
        tuple(warnings_out),
        tuple(documents_out),
        tuple(sorted(plan.items.values(), key=_rank)),
    )


def quiet_document(doc: PlanDocument) -> QuietNotices:
    """`quiet_notices` of a plan document (a saved plan, or the one the command line made)."""

    def notices(raw: Sequence[DocNotice]) -> list[Notice]:
        return [Notice(n.severity, n.to_message()) for n in raw]

    crossings = [[i for i in d.items if isinstance(i, CrossingEntry)] for d in doc.days]
    return quiet_notices(
        [notices(d.warnings) for d in doc.days],
        notices(doc.warnings),
        [[[m.to_message() for m in c.warnings] for c in d] for d in crossings],
        [[[m.to_message() for m in c.documents] for c in d] for d in crossings],
    )


# --------------------------------------------------------------------------- places left out


@dataclass(frozen=True)
class LeftOutGroup:
    """Places left out for one reason: how many, and the ids of those worth naming."""

    reason: str
    count: int
    named: tuple[str, ...]


@dataclass(frozen=True)
class LeftOutView:
    """The must-sees left out (ids, named with their reason), then the others by reason."""

    must_see: tuple[str, ...]
    groups: tuple[LeftOutGroup, ...]


def group_left_out(
    left: Iterable[tuple[str, str]],
    place_interests: Mapping[str, Iterable[str]],
    interests: Iterable[str],
    must_see: Iterable[str] = (),
) -> LeftOutView:
    """Group (place id, reason) pairs by reason, in the order given within a group.

    A must-see comes first, on its own; a place matching one of *interests* (by
    *place_interests*), or excluded by the traveller, is named in its group; the others are
    only counted.
    """
    wanted, must = set(interests), set(must_see)
    must_left: list[str] = []
    groups: dict[str, list[tuple[str, bool]]] = {}
    for pid, reason in left:
        if pid in must:
            must_left.append(pid)
            continue
        named = reason == "excluded" or bool(wanted & set(place_interests.get(pid, ())))
        groups.setdefault(reason, []).append((pid, named))

    def order(reason: str) -> tuple[int, str]:
        known = reason in LEFT_OUT_ORDER
        return (LEFT_OUT_ORDER.index(reason) if known else len(LEFT_OUT_ORDER), reason)

    return LeftOutView(
        tuple(must_left),
        tuple(
            LeftOutGroup(reason, len(rows), tuple(pid for pid, named in rows if named))
            for reason, rows in sorted(groups.items(), key=lambda kv: order(kv[0]))
        ),
    )


def group_heading(group: LeftOutGroup, gettext: Callable[[str], str]) -> str:
    """'Not in season (12)': the group's reason in the reader's words, with its count."""
    label = gettext(LEFT_OUT_GROUP_LABELS.get(group.reason, LEFT_OUT_OTHER))
    return f"{label} ({group.count})"


def group_names(
    group: LeftOutGroup, names: Mapping[str, str], gettext: Callable[[str], str], lang: str
) -> str:
    """'Central Street, Night market and 7 more' ('' when none is named)."""
    if not group.named:
        return ""
    text = list_separator(lang).join(names.get(pid, pid) for pid in group.named)
    more = group.count - len(group.named)
    return gettext(LEFT_OUT_MORE) % {"names": text, "n": more} if more else text
