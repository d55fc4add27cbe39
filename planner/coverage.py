"""What a source supports, as codes: read from the head of each clause of its `supports` text.

A place's `supports` stays free text for editors ("facts: 1891, ~20 m; hours: open-air; price:
free"), but a traveller reads it in zh, ru or en: so the pages show the codes' labels, never the
text. The text is a list of clauses separated by `;` (outside brackets); each clause starts
with the name of what it supports, one of the heads in `HEADS`. A clause that starts with none
of them is an error, not a guess: the catalogue does not load until the editor names it.

A clause whose note says the figure was "not used" (an undated or past hours or price) still
says what the source speaks of, and is marked so: the page says "(not used)" beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.errors import PlannerError

# Codes in the order a page lists them.
CODES: tuple[str, ...] = (
    "coordinates",
    "reference_point",
    "address",
    "hours",
    "price",
    "dates",
    "times",
    "visit_minutes",
    "return_km",
    "facts",
)

# The head a clause starts with -> what it supports. Checked in order: the longer heads first.
HEADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coordinates and address", ("coordinates", "address")),
    ("coordinates", ("coordinates",)),
    # A point that is not the place's own: a town's centre, or a cross-check of the point.
    ("reference point", ("reference_point",)),
    ("a point", ("reference_point",)),
    ("price and hours", ("price", "hours")),
    ("hours", ("hours",)),
    ("price", ("price",)),
    ("facts", ("facts",)),
    ("dates", ("dates",)),
    ("time", ("times",)),
    ("visit_minutes", ("visit_minutes",)),
    ("return_km", ("return_km",)),
)
_HEAD = [(re.compile(re.escape(head) + r"\b", re.IGNORECASE), codes) for head, codes in HEADS]

# "(not used, undated)", "(undated, not used)", "(guide point; not used)", "; not used: ...":
# the source gives the figure, the data does not take it.
_NOT_USED = re.compile(r"\(not used\b|\bnot used\)|^not used\b", re.IGNORECASE)


class CoverageError(PlannerError, ValueError):
    """A `supports` text with a clause whose head names nothing in `HEADS`."""


@dataclass(frozen=True)
class Coverage:
    """What one source supports: codes in `CODES` order; `unused` names the codes whose
    figures the source gives but the data does not take (undated, past)."""

    codes: tuple[str, ...]
    unused: frozenset[str] = frozenset()

    def as_list(self) -> list[dict[str, object]]:
        return [{"code": code, "used": code not in self.unused} for code in self.codes]


def _clauses(text: str) -> list[str]:
    """*text* split at the semicolons that stand outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def coverage_of(supports: str) -> Coverage:
    """The codes a `supports` text names, or CoverageError when its first clause names none.

    A clause that starts with no head goes on with the clause before it ("facts: 1891; rebuilt
    2003"); the first clause must start with one.
    """
    segments: list[tuple[tuple[str, ...], bool]] = []  # (codes, used) of each named part
    for clause in _clauses(supports):
        codes = next((codes for pattern, codes in _HEAD if pattern.match(clause)), None)
        if codes is not None:
            segments.append((codes, True))
        elif not segments:
            heads = ", ".join(repr(head) for head, _ in HEADS)
            raise CoverageError(
                f"cannot tell what {clause[:60]!r} supports: start the text (and each part after "
                f"a ';' that names another fact) with one of {heads}"
            )
        if _NOT_USED.search(clause):
            segments[-1] = (segments[-1][0], False)
    if not segments:
        raise CoverageError("an empty text names nothing a source supports")
    named = {code for codes, _ in segments for code in codes}
    used = {code for codes, is_used in segments if is_used for code in codes}
    codes = tuple(code for code in CODES if code in named)
    return Coverage(codes, frozenset(named - used))
