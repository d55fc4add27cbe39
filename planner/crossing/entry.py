"""Who may enter China or Russia on a day: nationality codes and the entry rules of the data.

`normalize_nationality()` is for the adapters (web, API, command line, the trip request): they call
it once on what a person typed. The core functions take its result, a `Nationality`, and only
check that it is one, so a bad code fails at the edge with a clear ValueError.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NewType

import pycountry

from planner.crossing.facts import CrossingData, EntryDecision, EntryRule
from planner.messages import Message, data_note
from planner.model import Source

# An ISO 3166-1 alpha-2 code, upper case and known: only normalize_nationality() makes one.
Nationality = NewType("Nationality", str)

ISO_ALPHA2: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)
COUNTRY_NAMES = {"CN": "China", "RU": "Russia"}


def normalize_nationality(code: str, what: str = "nationality") -> Nationality:
    """What a person typed, as an upper-case ISO 3166-1 alpha-2 code; else a ValueError naming
    *what* was typed ('nationality', 'visa country')."""
    value = code.strip().upper() if isinstance(code, str) else ""
    if value not in ISO_ALPHA2:
        raise ValueError(
            f"unknown {what} {code!r}: expected an ISO 3166-1 alpha-2 code such as RU, CN or DE"
        )
    return Nationality(value)


def require_nationality(code: str, what: str = "nationality") -> Nationality:
    """Check (not repair) a code that the edge should have normalised already."""
    if code not in ISO_ALPHA2:
        raise ValueError(
            f"unknown {what} {code!r}: expected an upper-case ISO 3166-1 alpha-2 code "
            "(call normalize_nationality() on user input)"
        )
    return Nationality(code)


def unique_sources(groups: Iterable[Iterable[Source]]) -> tuple[Source, ...]:
    """The sources of several facts, each once, in first-seen order."""
    seen: dict[tuple[str, str], Source] = {}
    for group in groups:
        for source in group:
            seen.setdefault((source.url, source.supports), source)
    return tuple(seen.values())


REVIEW_DAYS = 90  # a rule last checked longer ago than this is shown with "verify before travel"


def rules_for(country: str, nationality: Nationality, data: CrossingData) -> tuple[EntryRule, ...]:
    """The entry rules that speak to a *nationality* entering *country*, in the file's order:
    the ones `entry_decision` weighs (a traveller's own country has none)."""
    if nationality == country:
        return ()
    group = nationality if nationality in ("CN", "RU") else "other"
    return tuple(
        rule
        for rule in data.entry_rules
        if country in rule.enters
        and group in rule.nationalities
        and not (group == "other" and rule.countries and nationality not in rule.countries)
    )


def needs_review(rule: EntryRule, today: date, days: int = REVIEW_DAYS) -> bool:
    """Whether a rule was last checked more than *days* before *today* (or never dated)."""
    return rule.checked is None or (today - rule.checked).days > days


def entry_decision(
    country: str,
    nationality: Nationality,
    day: date,
    party_size: int = 1,
    entry_permits: Iterable[Nationality] = (),
    data: CrossingData | None = None,
) -> EntryDecision:
    """Whether a traveller of *nationality* may enter *country* (CN or RU) on *day*.

    *nationality* and *entry_permits* are codes from normalize_nationality(). A rule whose end
    date passed without a verified extension falls to its `after_end` status; "unknown" is
    treated like "visa required" so that no plan relies on an unverified regime.
    `entry_permits` lists the countries the traveller already holds a visa for.
    """
    if data is None:
        from planner.crossing.load import load_crossing_data

        data = load_crossing_data()
    permits = set(entry_permits)
    own_docs = data.documents.get(nationality) or data.documents["other"]
    own = data_note(own_docs.text)
    if nationality == country:
        return EntryDecision(True, "own-citizen", (own,), (), own_docs.sources, None)
    group_key = nationality if nationality in ("CN", "RU") else "other"
    notes: list[Message] = []
    soft_warnings: list[Message] = []
    note_sources: list[tuple[Source, ...]] = []
    for rule in data.entry_rules:
        if country not in rule.enters or group_key not in rule.nationalities:
            continue
        if group_key == "other" and rule.countries and nationality not in rule.countries:
            continue
        named = {"rule": rule.id, "title": rule.title}
        if not rule.permits:
            if rule.note is not None:
                notes.append(Message("entry_rule_does_not_apply", {**named, "note": rule.note}))
            else:
                notes.append(data_note(rule.title))
            note_sources.append(rule.sources)
            if rule.confidence == "low" and rule.note is not None:
                soft_warnings.append(data_note(rule.note))
            continue
        size_ok = party_size >= rule.party_min and (
            rule.party_max is None or party_size <= rule.party_max
        )
        if not size_ok:
            upper = rule.party_max or "any"
            notes.append(
                Message("entry_rule_party_size", {**named, "min": rule.party_min, "max": upper})
            )
            continue
        if day < rule.valid_from:
            start = rule.valid_from.isoformat()
            notes.append(Message("entry_rule_not_yet", {**named, "start": start}))
            continue
        extension = None
        if rule.valid_until is not None and day > rule.valid_until:
            extension = next((e for e in rule.extensions if day <= e.valid_until), None)
            if extension is None:
                last_end = max([rule.valid_until, *(e.valid_until for e in rule.extensions)])
                after = rule.after_end_text or Message("visa_needed")
                notes.append(
                    Message(
                        "entry_rule_ended",
                        {**named, "end": last_end.isoformat(), "after": after},
                    )
                )
                note_sources.append(rule.sources)
                # A reported extension is shown (its confidence in the text), never applied.
                for reported in rule.reported_extensions:
                    if day <= reported.valid_until:
                        text = Message(
                            "extension_reported",
                            {"confidence": reported.confidence, "text": reported.text},
                        )
                        notes.append(text)
                        soft_warnings.append(text)
                        note_sources.append(reported.sources)
                continue
        warnings: list[Message] = []
        sources = [rule.sources, own_docs.sources]
        end = extension.valid_until if extension else rule.valid_until
        if extension is not None:
            code = "entry_rule_extension" if extension.verify else "entry_rule_extension_verified"
            warnings.append(
                Message(
                    code,
                    {
                        **named,
                        "end": end.isoformat() if end else "",
                        "extension": extension.text,
                        "confidence": extension.confidence,
                        "verify": extension.verify,
                    },
                )
            )
            sources.append(extension.sources)
        elif rule.confidence == "low":
            warnings.append(Message("entry_rule_low_confidence", named))
        horizon = max(data.expiry_warning_days, rule.max_stay_days or 0)
        if end is not None and (end - day).days < horizon:
            after: str | Message = rule.after_end_text or Message("visa_needed")
            params = {**named, "end": end.isoformat(), "days": rule.max_stay_days or horizon}
            later = [
                e for e in (*rule.extensions, *rule.reported_extensions) if e.valid_until > end
            ]
            if later:
                sources.append(later[0].sources)
                warnings.append(
                    Message(
                        "entry_rule_ends_extension_reported",
                        {
                            **params,
                            "extension": later[0].text,
                            "confidence": later[0].confidence,
                            "after": after,
                        },
                    )
                )
            else:
                warnings.append(Message("entry_rule_ends", {**params, "after": after}))
        # `own` names the passport; the data's short "China arrival card" gives way to the
        # full arrival-card text when that applies.
        card = data.documents.get("arrival_card_CN")
        with_card = country == "CN" and rule.id != "group-visa-free" and card is not None
        papers = [d for d in rule.documents if "passport" not in d.en]
        if with_card:
            papers = [d for d in papers if d.en != "China arrival card"]
        documents = [own, *(data_note(d) for d in papers)]
        if with_card and card is not None:
            documents.append(data_note(card.text))
            sources.append(card.sources)
        if rule.max_stay_days:
            warnings.append(
                Message("stay_limited", {"country": country, "days": rule.max_stay_days})
            )
        return EntryDecision(
            True, rule.id, tuple(documents), tuple(warnings), unique_sources(sources), None
        )
    if country in permits:
        documents = [own, Message("declared_visa", {"country": country})]
        if country == "CN" and "arrival_card_CN" in data.documents:
            documents.append(data_note(data.documents["arrival_card_CN"].text))
        return EntryDecision(
            True,
            "declared-visa",
            tuple(documents),
            tuple(soft_warnings),
            unique_sources([own_docs.sources, *note_sources]),
            None,
        )
    details = tuple(notes) or (Message("no_visa_free_rule", {"nationality": nationality}),)
    reason = Message(
        "entry_not_permitted",
        {
            "country": country,
            "nationality": nationality,
            "day": day.isoformat(),
            "details": details,
        },
    )
    return EntryDecision(False, "", (), (), unique_sources(note_sources), reason)
