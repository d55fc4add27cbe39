"""The entry rules of data/crossing.json (who may enter which country of the region, on which
terms, until when, and what is known of later extensions): frozen pydantic models, read as
they are by entry.py. The rest of the file's facts are in schema.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from planner import region
from planner.crossing.formats import (
    Closed,
    Count,
    FieldProblems,
    IsoCountry,
    IsoDate,
    Listed,
    OptionalSentence,
    Sentence,
    Sources,
    Text,
    only_tertiary,
)


def _region_country(value: str) -> str:
    """A country of the loaded region's cities."""
    countries = region.current().countries
    if value not in countries:
        raise ValueError(f"unknown country {value!r}: expected one of {', '.join(countries)}")
    return value


def _region_nationality(value: str) -> str:
    """A country of the region, or "other" (every other passport)."""
    return value if value == "other" else _region_country(value)


Country = Annotated[str, AfterValidator(_region_country)]
Nationality = Annotated[str, AfterValidator(_region_nationality)]
Confidence = Literal["high", "medium", "low"]


class Extension(Closed):
    """A later end date of an entry rule, often less certain than the rule itself."""

    valid_until: IsoDate
    confidence: Confidence
    verify: bool = False
    text: Sentence
    sources: Sources


class AppliedExtension(Extension):
    """An extension the planner applies: verified, so it needs a primary source."""

    @model_validator(mode="after")
    def _verified(self) -> AppliedExtension:
        problems = []
        if self.verify or self.confidence == "low":
            problems.append(
                (
                    "confidence",
                    "an applied extension must be verified (not low, not verify): "
                    "put a reported one under 'reported_extensions'",
                )
            )
        if not any(s.grade == "primary" for s in self.sources):
            problems.append(("sources", "an applied extension needs a primary source"))
        if problems:
            raise FieldProblems(problems)
        return self


class AfterEnd(Closed):
    status: Literal["visa_required", "unknown"]
    text: Sentence


class EntryRule(Closed):
    """Who may enter which country on which terms, and what happens after the end date."""

    id: Text
    enters: Annotated[Listed[Country], Field(min_length=1)]
    nationalities: Annotated[Listed[Nationality], Field(min_length=1)]
    # For 'other': the rule applies only to these ISO 3166-1 alpha-2 codes (empty: all others).
    countries: Listed[IsoCountry] = ()
    permits: bool
    title: Sentence
    valid_from: IsoDate
    valid_until: IsoDate | None = None
    party_min: Annotated[int, Field(ge=1)] = 1
    party_max: Annotated[int, Field(ge=1)] | None = None
    max_stay_days: Count | None = None
    confidence: Confidence
    documents: Listed[Sentence] = ()
    extensions: Listed[AppliedExtension] = ()
    # Reported but unverified extensions: shown as a note, never applied.
    reported_extensions: Listed[Extension] = ()
    after_end: AfterEnd | None = None
    note: OptionalSentence = None
    checked: IsoDate
    sources: Sources

    @model_validator(mode="after")
    def _graded_confidence(self) -> EntryRule:
        problems = []
        if only_tertiary(self.sources) and self.confidence != "low":
            problems.append(("confidence", "a rule resting only on tertiary sources must be 'low'"))
        for index, ext in enumerate(self.reported_extensions):
            if only_tertiary(ext.sources) and ext.confidence != "low":
                problems.append(
                    (
                        f"reported_extensions[{index}].confidence",
                        "an extension resting only on tertiary sources must be 'low'",
                    )
                )
        if self.countries and "other" not in self.nationalities:
            problems.append(("countries", "a country list narrows 'other': add 'other'"))
        if self.valid_until is not None and self.permits and self.after_end is None:
            problems.append(("after_end", "a rule with an end date must say what applies after it"))
        if problems:
            raise FieldProblems(problems)
        return self
