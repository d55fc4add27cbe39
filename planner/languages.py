"""The languages a traveller can read the app in: one registry, read by every adapter and output.

Adding a language is its catalogue (translations/<code>/LC_MESSAGES/messages.po, compiled) and
one `Language` entry below. The web's switcher, `?lang=`, the cookie and Accept-Language, the
`lang` of a plan request (form, API, OpenAPI enum), the CLI's `--lang`, Babel's day, month and
number names, `lang=""` attributes and the PDF's font all read this table.

Data texts (names, notes) stay in the languages the data is written in (zh, ru, en); a reader of
another language sees the text of their `fallback` language (`text_in`). Pure: no Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from babel import Locale

from planner.errors import PlannerError


@dataclass(frozen=True)
class Language:
    """One language of the app's interface."""

    code: str  # `?lang=`, the cookie, a plan's `lang`, the catalogue's directory: "ko", "zh_Hant"
    native_name: str  # the switcher's label: each language names itself, so never translated
    babel_locale: str  # CLDR locale of day, month and number names
    html_lang: str  # BCP 47 tag for `lang=""`, so that browsers and WeasyPrint pick the glyphs
    fallback: str | None = "en"  # whose data text a reader sees where the data has none in theirs
    pdf_font: str | None = None  # the (system, Noto) font family the PDF sets this language in
    list_separator: str = ", "  # between the items of a list inside a sentence
    clause_separator: str = ", "  # between the clauses of one sentence


# The order is the switcher's.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            "zh",
            "中文",
            "zh_Hans_CN",
            "zh-Hans",
            pdf_font="Noto Sans CJK SC",
            list_separator="、",
            clause_separator="，",
        ),
        Language("ru", "Русский", "ru", "ru", pdf_font="Noto Sans"),
        Language("en", "English", "en", "en", fallback=None, pdf_font="Noto Sans"),
    )
}
DEFAULT = "en"
# The languages the data's texts are written in (names, notes, crossing texts, agency notices),
# one field each. A reader of any other language reads one of them through `text_in`, so every
# fallback chain must reach one (tests/test_i18n.py checks).
DATA_LANGUAGES = ("zh", "ru", "en")


class UnknownLanguage(PlannerError, ValueError):
    """A language code that is not in the registry."""


def codes() -> tuple[str, ...]:
    """Every registered language's code, in the switcher's order."""
    return tuple(LANGUAGES)


def is_known(code: object) -> bool:
    return isinstance(code, str) and code in LANGUAGES


def get(code: str) -> Language:
    """The language of *code*; UnknownLanguage for a code that is not registered."""
    try:
        return LANGUAGES[code]
    except (KeyError, TypeError):
        raise UnknownLanguage(f"unknown language {code!r}: one of {', '.join(codes())}") from None


def default() -> Language:
    return LANGUAGES[DEFAULT]


def resolve(code: object) -> Language:
    """The language of *code*, or the default one for an unknown or missing code."""
    return LANGUAGES.get(code, LANGUAGES[DEFAULT]) if isinstance(code, str) else default()


def native_names() -> dict[str, str]:
    """Code -> the language's own name, for a switcher or a select."""
    return {code: lang.native_name for code, lang in LANGUAGES.items()}


def fallback_chain(code: str) -> tuple[str, ...]:
    """*code*, then its fallback, then the fallback's, ... ending with the default language."""
    chain: list[str] = []
    current: str | None = code
    while current and current not in chain:
        chain.append(current)
        current = LANGUAGES[current].fallback if current in LANGUAGES else DEFAULT
    if DEFAULT not in chain:
        chain.append(DEFAULT)
    return tuple(chain)


def data_language(code: str) -> str:
    """The language of the data a reader of *code* reads: *code* itself when the data is written
    in it, else the first data language of its fallback chain (Korean: en)."""
    return next((lang for lang in fallback_chain(code) if lang in DATA_LANGUAGES), DEFAULT)


def text_in(texts: object, code: str) -> str:
    """A trilingual data text (a {zh, ru, en} mapping or an object with those attributes) in the
    reader's language, else in the first language of its fallback chain that has one, else ""."""
    for lang in fallback_chain(code):
        if lang not in LANGUAGES and lang not in DATA_LANGUAGES:
            continue  # an unknown code reads nothing (not an attribute such as "__doc__")
        value = texts.get(lang) if isinstance(texts, Mapping) else getattr(texts, lang, None)
        if isinstance(value, str) and value:
            return value
    return ""


def babel_locale(code: str) -> Locale:
    """Babel's locale for *code* (day, month and number names); the default's if unknown."""
    return Locale.parse(resolve(code).babel_locale)


def html_lang(code: str) -> str:
    return resolve(code).html_lang


def list_separator(code: str) -> str:
    return resolve(code).list_separator


def clause_separator(code: str) -> str:
    return resolve(code).clause_separator


def pdf_fonts() -> list[tuple[str, str]]:
    """(html lang tag, CSS font stack) of each language that names a PDF font: its own font
    first, then the others' (a Chinese name inside a Russian line still needs a CJK font)."""
    fonts = [lang.pdf_font for lang in LANGUAGES.values() if lang.pdf_font]
    return [
        (lang.html_lang, ", ".join([*dict.fromkeys([lang.pdf_font, *fonts]), "sans-serif"]))
        for lang in LANGUAGES.values()
        if lang.pdf_font
    ]
