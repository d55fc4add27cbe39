"""Opening hours and seasons in words, in zh, ru and en: every value the catalogue uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations

from planner.catalogue import load_catalogue
from planner.hours_text import SEE_SOURCE, hours_in_words, months_in_words

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

# Every distinct opening_hours value of the shipped catalogue, in the three languages.
EXPECTED = {
    "24/7": {
        "en": "open 24 hours, every day",
        "zh": "每天24小时开放",
        "ru": "круглосуточно, без выходных",
    },
    "08:00-24:00": {
        "en": "daily 08:00–24:00",
        "zh": "每天 08:00–24:00",
        "ru": "ежедневно 08:00–24:00",
    },
    # The Aihui museum's two seasons run from one calendar day to another (issue 16).
    "May 01-Oct 07 09:10-18:00; Oct 08-Apr 30 Tu-Su 09:30-17:30": {
        "en": "May 1–Oct 7: daily 09:10–18:00, Oct 8–Apr 30: Tue–Sun 09:30–17:30",
        "zh": "5月1日至10月7日：每天 09:10–18:00，10月8日至4月30日：周二至周日 09:30–17:30",
        "ru": "1 мая–7 окт.: ежедневно 09:10–18:00, 8 окт.–30 апр.: Вт–Вс 09:30–17:30",
    },
    "Tu-Su 10:00-19:00; Mo off; Fr[-1] off": {
        "en": "Tue–Sun 10:00–19:00, closed on the last Friday of the month",
        "zh": "周二至周日 10:00–19:00，每月最后一个周五闭馆",
        "ru": "Вт–Вс 10:00–19:00, последняя пятница месяца — выходной",
    },
}


def gettext_for(lang: str):
    return Translations.load(str(TRANSLATIONS), [lang]).gettext


def test_every_value_in_the_catalogue_has_expected_words():
    used = {a.opening_hours for a in load_catalogue().attractions if a.opening_hours}
    assert used == set(EXPECTED), "a new opening_hours value: add its words here"


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
@pytest.mark.parametrize("expression", sorted(EXPECTED))
def test_catalogue_hours_in_words(expression, lang):
    assert hours_in_words(expression, gettext_for(lang), lang) == EXPECTED[expression][lang]


@pytest.mark.parametrize(
    ("expression", "lang", "words"),
    [
        ("Mo-Fr 09:00-17:00; PH off", "en", "Mon–Fri 09:00–17:00, closed on public holidays"),
        ("Mo-Fr 09:00-17:00; PH off", "zh", "周一至周五 09:00–17:00，法定节假日闭馆"),
        ("Mo-Fr 09:00-17:00; PH off", "ru", "Пн–Пт 09:00–17:00, в праздничные дни — выходной"),
        ("May-Oct 10:00-18:00", "en", "May–Oct: daily 10:00–18:00"),
        ("May-Oct 10:00-18:00", "ru", "Май–Окт.: ежедневно 10:00–18:00"),
        ("Mo-Sa 10:00-13:00,14:00-18:00; Su off", "en", "Mon–Sat 10:00–13:00, 14:00–18:00"),
        ("Mo-Fr 10:00-18:00; We off", "en", "Mon–Fri 10:00–18:00, closed on Wed"),
        ("Dec 25-Jan 07 off", "en", "closed on Dec 25–Jan 7"),
        ("Jun 01-Aug 31 Sa,Su 11:00-15:00", "en", "Jun 1–Aug 31: Sat, Sun 11:00–15:00"),
    ],
)
def test_other_supported_forms(expression, lang, words):
    assert hours_in_words(expression, gettext_for(lang), lang) == words


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
@pytest.mark.parametrize(
    "expression",
    [
        "sunrise-sunset",
        'Mo-Su 10:00-18:00 "ask"',
        "Fr[1] 10:00-12:00",
        "week 1-5",
        "Feb 30-Mar 01 10:00-12:00",
    ],
)
def test_unknown_syntax_says_see_the_source_never_the_syntax(expression, lang):
    words = hours_in_words(expression, gettext_for(lang), lang)
    assert words == gettext_for(lang)(SEE_SOURCE)
    assert expression not in words


def test_unknown_hours_are_none():
    assert hours_in_words(None, gettext_for("en"), "en") is None


@pytest.mark.parametrize(
    ("months", "lang", "words"),
    [
        ([1, 2, 12], "en", "December to February"),
        ([1, 2, 12], "zh", "十二月至二月"),
        ([6, 7, 8], "ru", "Июнь — август"),
        ([9], "en", "September"),
        ([9], "ru", "Сентябрь"),
        (list(range(1, 13)), "zh", "全年"),
    ],
)
def test_seasons_in_words(months, lang, words):
    assert months_in_words(months, gettext_for(lang), lang) == words


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_every_event_has_its_season_in_words(lang):
    places = load_catalogue().attractions
    assert any(place.kind == "event" for place in places), "the catalogue has events"
    for place in places:
        if place.kind == "event":
            words = months_in_words(place.months, gettext_for(lang), lang)
            assert words and not any(ch.isdigit() for ch in words), place.id
