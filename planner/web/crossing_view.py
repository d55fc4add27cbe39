"""The crossing page's words: departures as cards, each warning once per page, each link once.

Presentation only (the options come from planner.crossing unchanged): an answer with twenty
departures carries the same six to eight warnings and twenty sources on each, which the page
shows once, saying which departures they apply to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_skeleton

from planner import languages
from planner.crossing import CrossingAnswer, CrossingOption, sources_by_url
from planner.messages import Message, clock_text, render
from planner.model import LocalizedName, Source
from planner.wording import money_text

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Note:
    """A warning or a document, said once, with the departures (card numbers) it applies to."""

    number: int
    kind: str  # "warning", "document" or "entry"
    text: str
    cards: tuple[int, ...]
    everywhere: bool  # it applies to every departure shown


@dataclass(frozen=True)
class Card:
    """One departure in words: times with their day and clock, the fare, its notes and links."""

    number: int
    option: CrossingOption
    day: str  # the departure's day in words ('Sun, Jul 11')
    report_by: str  # 'HH:MM', with the day in words when it is not the departure's day
    depart: str
    arrive: str
    from_clock: str  # '<city> (UTC+8)': whose clock the times are on
    to_clock: str
    fare: str | None  # None: unknown
    notes: tuple[int, ...]  # numbers of the page's notes that apply here and not everywhere


@dataclass(frozen=True)
class Day:
    """The departures of one local day of the departure side, under its date in words."""

    words: str
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class CrossingView:
    cards: tuple[Card, ...]
    days: tuple[Day, ...]
    notes: tuple[Note, ...]
    sources: tuple[tuple[LocalizedName, tuple[Source, ...]], ...]  # per mode, each link once


def day_words(moment: datetime, lang: str) -> str:
    """The local day of *moment* as the reader writes it: 'Sun, Jul 11', 'вс, 11 июл.'."""
    return format_skeleton("MMMEd", moment, locale=languages.babel_locale(lang))


def _time(moment: datetime, depart: datetime, lang: str) -> str:
    """'09:40', or '00:20 (Mon, Jul 12)' when it falls on another day than the departure."""
    if moment.date() == depart.date():
        return f"{moment:%H:%M}"
    return f"{moment:%H:%M} ({day_words(moment, lang)})"


def _clock(moment: datetime, city: str, gettext: Gettext, lang: str) -> str:
    """'<city> (UTC+8)': the city whose clock a time is on, and its offset."""
    return clock_text(moment, city, gettext, lang).split(" ", 1)[1]


def _said(option: CrossingOption) -> list[tuple[str, Message]]:
    said: list[tuple[str, Message]] = []
    if option.entry_basis is not None:
        said.append(("entry", option.entry_basis))
    said += [("document", d) for d in option.documents]
    said += [("warning", w) for w in option.warnings]
    return said


def crossing_view(answer: CrossingAnswer, gettext: Gettext, lang: str) -> CrossingView:
    """The answer's departures as cards, with the notes and sources they share said once."""
    options = answer.options
    numbers = range(1, len(options) + 1)
    found: dict[tuple[str, str], list[int]] = {}
    for number, option in zip(numbers, options, strict=True):
        for kind, message in _said(option):
            text = render(message, gettext, lang, dates=True)
            cards = found.setdefault((kind, text), [])
            if number not in cards:
                cards.append(number)
    order = {"entry": 0, "document": 1, "warning": 2}
    keys = sorted(found, key=lambda key: order[key[0]])  # stable: first-seen order within a kind
    notes = tuple(
        Note(i, kind, text, tuple(found[(kind, text)]), len(found[(kind, text)]) == len(options))
        for i, (kind, text) in enumerate(keys, start=1)
    )
    by_mode: dict[str, tuple[LocalizedName, list[Source]]] = {}
    for option in options:
        by_mode.setdefault(option.mode, (option.mode_name, []))[1].extend(option.sources)
    sources = tuple((name, sources_by_url(group)) for name, group in by_mode.values())
    cards = []
    for number, option in zip(numbers, options, strict=True):
        cards.append(
            Card(
                number=number,
                option=option,
                day=day_words(option.depart, lang),
                report_by=_time(option.report_by, option.depart, lang),
                depart=_time(option.depart, option.depart, lang),
                arrive=_time(option.arrive, option.depart, lang),
                from_clock=_clock(option.depart, answer.direction_from, gettext, lang),
                to_clock=_clock(option.arrive, answer.direction_to, gettext, lang),
                fare=None
                if option.fare.amount is None
                else money_text(option.fare.amount, option.fare.currency, lang),
                notes=tuple(n.number for n in notes if number in n.cards and not n.everywhere),
            )
        )
    days: dict[str, list[Card]] = {}
    for card in cards:
        days.setdefault(card.day, []).append(card)
    return CrossingView(
        tuple(cards),
        tuple(Day(words, tuple(group)) for words, group in days.items()),
        notes,
        sources,
    )
