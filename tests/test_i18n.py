"""Every UI string is translated in every registered language (planner/languages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from planner import languages

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@pytest.mark.parametrize("lang", languages.codes())
def test_catalogue_has_no_untranslated_or_fuzzy_entry(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    with open(TRANSLATIONS / "messages.pot", "rb") as fh:
        pot_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert pot_ids <= template_ids, f"run make translations-update: {pot_ids - template_ids}"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            problems.append(message.id)
    assert not problems, f"{lang}: untranslated or fuzzy: {problems}"


def _pot_ids() -> set[str]:
    with open(TRANSLATIONS / "messages.pot", "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", languages.codes())
def test_every_registered_language_has_a_compiled_catalogue_of_every_ui_string(lang):
    """What the app loads (the .mo of `pybabel compile`), not only the .po, has every string of
    the templates and the code: a language with a stale or missing .mo shows English."""
    compiled = Translations.load(str(TRANSLATIONS), [lang])
    assert isinstance(compiled, Translations), f"no translations/{lang}/LC_MESSAGES/messages.mo"
    have = {key if isinstance(key, str) else key[0] for key in compiled._catalog if key}
    pot_ids = _pot_ids()
    assert len(pot_ids) > 100  # the templates' and the code's strings were found
    assert pot_ids <= have, f"{lang}: run pybabel compile: {sorted(pot_ids - have)[:5]}"


def test_every_registered_language_is_one_babel_knows():
    assert len(languages.LANGUAGES) >= 3
    for lang in languages.LANGUAGES.values():
        assert languages.babel_locale(lang.code).language == lang.babel_locale.split("_")[0]
        assert lang.native_name and lang.html_lang.split("-")[0] == lang.code
    assert languages.DEFAULT in languages.codes()


def test_every_registered_language_reads_the_data_in_a_language_it_is_written_in():
    """A reader of a language the data lacks (names are zh, ru and en) gets a name, not '':
    every fallback chain ends at the default language, so the default must be a data language."""
    name = {"zh": "黑河", "ru": "Хэйхэ", "en": "Heihe"}
    assert set(name) == set(languages.DATA_LANGUAGES)
    assert languages.codes()
    for code in languages.codes():
        assert languages.text_in(name, code) in name.values()
    assert languages.text_in({languages.DEFAULT: "Heihe"}, "xx") == "Heihe"


@pytest.mark.parametrize("lang", [c for c in languages.codes() if c != languages.DEFAULT])
def test_translated_strings_are_not_left_in_english(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    same = [m.id for m in catalog if m.id and isinstance(m.id, str) and m.string == m.id]
    assert not same, f"{lang}: copied English: {same}"


def test_countries_and_numbers_are_written_the_readers_way():
    """No bare 'CN' in a sentence, and '1,5 км' / '2 650 RUB' in Russian, '1.5' in English."""
    from planner.messages import Message, render
    from planner.wording import money_text

    message = Message("no_visa_free_rule", {"nationality": "CN"})
    assert "Китай" in render(message, _ru_gettext(), "ru") and "CN" not in render(
        message, _ru_gettext(), "ru"
    )
    assert "China" in render(message, lambda s: s, "en")
    assert "中国" in render(message, _zh_gettext(), "zh")
    rough = Message("position_unknown_must_see", {"place": "X", "km": 1.5})
    assert "1,5" in render(rough, _ru_gettext(), "ru")
    assert "1.5" in render(rough, lambda s: s, "en")
    assert money_text(2650, "RUB", "ru") == "2\u00a0650\u00a0RUB"
    assert money_text(2650, "RUB", "en") == "2,650\u00a0RUB"


def _ru_gettext():
    return _catalogue("ru").gettext


def _zh_gettext():
    return _catalogue("zh").gettext


def _catalogue(lang: str):
    from babel.support import Translations

    from planner.resources import ROOT

    return Translations.load(str(ROOT / "translations"), [lang])


def test_season_dates_and_chinese_holidays_read_in_russian():
    """'01-10 – 04-05' is 10 January to 5 April, not 1 October; China's National Day in Russian."""
    from datetime import date

    from planner.crossing.options import _holiday_words
    from planner.messages import Message, render

    season = Message("season_typical", {"periods": "01-10 – 04-05"})
    text = render(season, _ru_gettext(), "ru")
    assert "10 янв." in text and "5 апр." in text and "01-10" not in text
    assert "Jan 10" in render(season, lambda s: s, "en")
    assert _holiday_words("CN", date(2027, 10, 1)).ru == "День образования КНР"
