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

from planner import region
from planner.crossing.base import Requirement, VisaBase
from planner.crossing.entry_schema import EntryRule, Extension
from planner.crossing.facts import EntryDecision
from planner.crossing.formats import GradedSource
from planner.crossing.schema import CrossingData, Note
from planner.messages import Message, data_note
from planner.model import LocalizedName, Source

# An ISO 3166-1 alpha-2 code, upper case and known: only normalize_nationality() makes one.
Nationality = NewType("Nationality", str)

ISO_ALPHA2: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)
COUNTRY_NAMES = {"CN": "China", "RU": "Russia"}
BASE_RULE_ID = "passport-index"  # the rule id of an entry the base layer permits


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


def sources_by_url(sources: Iterable[Source]) -> tuple[Source, ...]:
    """Each link once (several facts cite the same page for different things), with its latest
    check date, in first-seen order: what a reader is shown (the JSON keeps every source)."""
    latest: dict[str, Source] = {}
    for source in sources:
        if source.url not in latest or source.checked > latest[source.url].checked:
            latest[source.url] = source
    return tuple(latest.values())


REVIEW_DAYS = 90  # a rule last checked longer ago than this is shown with "verify before travel"


def rules_for(country: str, nationality: Nationality, data: CrossingData) -> tuple[EntryRule, ...]:
    """The entry rules that speak to a *nationality* entering *country*, in the file's order:
    the ones `entry_decision` weighs (a traveller's own country has none)."""
    if nationality == country:
        return ()
    group = nationality if nationality in region.current().countries else "other"
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


def _names(rule: EntryRule, nationality: Nationality) -> bool:
    """Whether *rule* speaks to this passport by name (its own country list, or a country of
    the region), not
    only through the catch-all 'other'."""
    if nationality in region.current().countries:
        return nationality in rule.nationalities
    return "other" in rule.nationalities and nationality in rule.countries


def _best_source(rule: EntryRule) -> Source | None:
    """The rule's strongest source: primary before secondary before tertiary, else the first."""
    order = {"primary": 0, "secondary": 1, "tertiary": 2}
    return min(rule.sources, key=lambda s: order.get(getattr(s, "grade", ""), 3), default=None)


def rule_layer(rule: EntryRule) -> Message:
    """'rule: <title> (checked <date>; <grade> source <url>)': the sourced rule as a layer."""
    best = _best_source(rule)
    return Message(
        "entry_layer_rule",
        {
            "rule": rule.id,
            "title": rule.title,
            "checked": rule.checked.isoformat() if rule.checked else "",
            "url": best.url if best else "",
            "grade": getattr(best, "grade", "") if best else "",
        },
    )


def base_requirement_message(requirement: Requirement) -> Message:
    """What the base layer says for a passport, as a coded phrase."""
    if requirement.kind == "visa_free" and requirement.days:
        return Message("base_visa_free_days", {"days": requirement.days})
    return Message(f"base_{requirement.kind}")


def base_layer(base: VisaBase, requirement: Requirement | None) -> Message:
    """'passport-index dataset of <date> (secondary): <requirement>': the base layer as a layer."""
    said = base_requirement_message(requirement) if requirement else Message("base_no_row")
    return Message(
        "entry_layer_base",
        {
            "date": base.date.isoformat(),
            "grade": base.grade,
            "commit": base.commit[:7],
            "checked": base.checked.isoformat(),
            "requirement": said,
        },
    )


def base_source(base: VisaBase) -> GradedSource:
    # The base layer's grade is checked when it is read (base.py).
    return GradedSource(
        url=base.url, supports=base.supports, checked=base.checked, grade=base.grade
    )


def entry_decision(
    country: str,
    nationality: Nationality,
    day: date,
    party_size: int = 1,
    entry_permits: Iterable[Nationality] = (),
    data: CrossingData | None = None,
) -> EntryDecision:
    """Whether a traveller of *nationality* may enter *country* (CN or RU) on *day*.

    Two layers. The sourced rules of data/crossing.json come first and win: the first that
    permits entry applies, and a rule that names this passport (in its country list, or CN/RU)
    but is not in force on *day* (ended, or not yet begun) decides too: entry is then not
    permitted, and the older base layer is never used to bring the regime back. Only where no
    rule names the passport does the base layer (data/passport_index.csv, a dated secondary
    dataset) answer: a number of days or "visa free" permits entry; an e-visa, a visa on
    arrival or a visa requirement does not, and the traveller is told which paper to get.
    A rule whose end date passed without a verified extension falls to its `after_end` status;
    "unknown" is treated like "visa required" so that no plan relies on an unverified regime.
    `entry_permits` lists the countries the traveller already holds a visa for.
    """
    if data is None:
        from planner.crossing.load import load_crossing_data

        data = load_crossing_data()
    permits = set(entry_permits)
    own_docs = data.documents.get(nationality) or data.documents["other"]
    own = data_note(own_docs.text)
    if nationality == country:
        return EntryDecision(
            True,
            "own-citizen",
            (own,),
            (),
            own_docs.sources,
            None,
            layer="own",
            basis=Message("entry_layer_own", {"country": country}),
        )
    group_key = nationality if nationality in region.current().countries else "other"
    notes: list[Message] = []
    soft_warnings: list[Message] = []
    note_sources: list[tuple[Source, ...]] = []
    deciding: EntryRule | None = None  # a named rule out of force: it decides, not the base
    for rule in data.entry_rules:
        if country not in rule.enters or group_key not in rule.nationalities:
            continue
        if group_key == "other" and rule.countries and nationality not in rule.countries:
            continue
        named = {"rule": rule.id, "title": rule.title}
        if not rule.permits:
            if _names(rule, nationality) and deciding is None:
                deciding = rule  # a "no" that names the passport overrides the base layer
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
            if _names(rule, nationality) and deciding is None:
                deciding = rule
                note_sources.append(rule.sources)
            continue
        extension = None
        if rule.valid_until is not None and day > rule.valid_until:
            extension = next((e for e in rule.extensions if day <= e.valid_until), None)
            if extension is None:
                last_end = max([rule.valid_until, *(e.valid_until for e in rule.extensions)])
                after = rule.after_end.text if rule.after_end else Message("visa_needed")
                notes.append(
                    Message(
                        "entry_rule_ended",
                        {**named, "end": last_end.isoformat(), "after": after},
                    )
                )
                note_sources.append(rule.sources)
                if _names(rule, nationality) and deciding is None:
                    deciding = rule
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
        return _permitted_by_rule(rule, extension, country, day, own, own_docs.sources, data)
    base = data.visa_base
    requirement = base.requirement(nationality, country) if base is not None else None
    base_basis = base_layer(base, requirement) if base is not None else None
    base_sources = (base_source(base),) if base is not None else ()
    base_free = requirement is not None and requirement.kind == "visa_free"
    if deciding is None and base is not None and base_free and country not in permits:
        assert requirement is not None and base_basis is not None
        return _permitted_by_base(
            country, nationality, requirement, base_basis, base_sources, own, own_docs, data
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
            layer="declared",
            basis=Message("entry_layer_declared", {"country": country}),
        )
    details: list[Message] = []
    if deciding is not None:
        basis: Message | None = rule_layer(deciding)
        layer, layer_date = "rule", deciding.checked
        details.append(basis)  # the layer that decided, first, as for the base layer
        if base_free and base_basis is not None:
            # The dataset may still show the regime that has ended (or not begun): say so.
            details.append(
                Message("entry_base_not_applied", {"base": base_basis, "title": deciding.title})
            )
            note_sources.append(base_sources)
    elif base is not None:
        basis, layer, layer_date = base_basis, "base", base.date
        assert basis is not None
        details.append(basis)
        kind = requirement.kind if requirement else ""
        if kind == "e_visa":
            details.append(Message("e_visa_needed", {"country": country}))
        elif kind == "visa_on_arrival":
            details.append(Message("visa_on_arrival_unconfirmed", {"country": country}))
        note_sources.append(base_sources)
    else:
        basis, layer, layer_date = None, "none", None
    details += notes
    if not details:
        details.append(Message("no_visa_free_rule", {"nationality": nationality}))
    reason = Message(
        "entry_not_permitted",
        {
            "country": country,
            "nationality": nationality,
            "day": day.isoformat(),
            "details": tuple(details),
            "layer": layer,
            "layer_date": layer_date.isoformat() if layer_date else "",
        },
    )
    return EntryDecision(
        False,
        "",
        (),
        (),
        unique_sources(note_sources),
        reason,
        layer=layer,
        basis=basis,
        layer_date=layer_date,
    )


def _permitted_by_rule(
    rule: EntryRule,
    extension: Extension | None,
    country: str,
    day: date,
    own: Message,
    own_sources: tuple[Source, ...],
    data: CrossingData,
) -> EntryDecision:
    """Entry under a sourced rule of data/crossing.json, with its papers and warnings."""
    named = {"rule": rule.id, "title": rule.title}
    warnings: list[Message] = []
    sources = [rule.sources, own_sources]
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
        after: LocalizedName | Message = (
            rule.after_end.text if rule.after_end else Message("visa_needed")
        )
        params = {**named, "end": end.isoformat(), "days": rule.max_stay_days or horizon}
        later = [e for e in (*rule.extensions, *rule.reported_extensions) if e.valid_until > end]
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
        warnings.append(Message("stay_limited", {"country": country, "days": rule.max_stay_days}))
    return EntryDecision(
        True,
        rule.id,
        tuple(documents),
        tuple(warnings),
        unique_sources(sources),
        None,
        layer="rule",
        basis=rule_layer(rule),
        layer_date=rule.checked,
        max_stay_days=rule.max_stay_days,
    )


def _permitted_by_base(
    country: str,
    nationality: Nationality,
    requirement: Requirement,
    basis: Message,
    base_sources: tuple[Source, ...],
    own: Message,
    own_docs: Note,
    data: CrossingData,
) -> EntryDecision:
    """Visa-free entry on the base layer's word alone: secondary, dated, to verify."""
    assert data.visa_base is not None
    sources = [base_sources, own_docs.sources]
    documents = [own]
    card = data.documents.get("arrival_card_CN")
    if country == "CN" and card is not None:
        documents.append(data_note(card.text))
        sources.append(card.sources)
    warnings = [
        Message(
            "entry_base_verify",
            {
                "country": country,
                "nationality": nationality,
                "date": data.visa_base.date.isoformat(),
            },
        )
    ]
    if requirement.days:
        warnings.append(Message("stay_limited", {"country": country, "days": requirement.days}))
    return EntryDecision(
        True,
        BASE_RULE_ID,
        tuple(documents),
        tuple(warnings),
        unique_sources(sources),
        None,
        layer="base",
        basis=basis,
        layer_date=data.visa_base.date,
        max_stay_days=requirement.days,
    )
