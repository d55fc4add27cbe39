"""Numbers, dates, money and country names as the reader writes them (CLDR, through Babel).

Pure formatting, no message codes: planner/messages.py renders messages with these, and the
outputs call them directly.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from planner.languages import babel_locale  # the registry's locale; the default's if unknown

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2}")


def iso_in_words(value: str, lang: str) -> str:
    """An ISO date ('2027-01-20') or moment with offset as the reader writes it ('20 янв. 2027
    г.', '2027年1月20日', 'Jan 20, 2027, 09:00 (UTC+8)'); anything else stays as given."""
    if _ISO_DAY.fullmatch(value):
        return format_skeleton("yMMMd", date.fromisoformat(value), locale=babel_locale(lang))
    if _ISO_MOMENT.fullmatch(value):
        moment = datetime.fromisoformat(value)
        hours = int(moment.utcoffset().total_seconds() // 3600)  # type: ignore[union-attr]
        day = format_skeleton("yMMMd", moment, locale=babel_locale(lang))
        return f"{day}, {moment:%H:%M} (UTC{hours:+d})"
    return value


def number_text(value: float, lang: str, digits: int = 0, least: int = 0) -> str:
    """A number as the reader writes it: '2 650' and '0,2' in Russian, '2,650' and '0.2' in
    English and Chinese (CLDR, through Babel); *digits* decimals at most, *least* at least."""
    pattern = "#,##0" + ("." + "0" * least + "#" * (digits - least) if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def money_text(amount: float, currency: str, lang: str) -> str:
    """'2 650 RUB': the amount in the reader's number format, then the ISO currency code."""
    return f"{number_text(amount, lang)}\u00a0{currency}"


def month_days(text: str, lang: str) -> str:
    """'05-10 – 10-25' (month-day, as the data writes seasons) as '10 мая – 25 окт.', 'May 10 –
    Oct 25', '5月10日 – 10月25日': read as day-month, 10-05 would be 10 May."""

    def words(match: re.Match[str]) -> str:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            return format_skeleton("MMMd", date(2000, month, day), locale=babel_locale(lang))
        except ValueError:
            return match.group(0)

    return re.sub(r"\b(\d{2})-(\d{2})\b", words, text)


def country_name(code: str, lang: str) -> str:
    """A country (ISO 3166 alpha-2) by its name in *lang*; an unknown code stays as given."""
    return babel_locale(lang).territories.get(code.upper(), code)
