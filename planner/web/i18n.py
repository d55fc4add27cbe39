"""Locale choice: ?lang= (remembered in a cookie), then the cookie, then Accept-Language."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from babel.dates import format_date
from flask import Flask, g, request
from flask_babel import Babel

from planner import languages
from planner.totals import reader_sums
from planner.web.security import secure_cookies
from planner.wording import money_text, number_text

COOKIE = "lang"


def select_locale() -> str:
    asked = request.args.get("lang", "")
    if languages.is_known(asked):
        g.set_lang_cookie = asked
        return asked
    cookie = request.cookies.get(COOKIE, "")
    if languages.is_known(cookie):
        return cookie
    best = request.accept_languages.best_match(languages.codes(), default=languages.DEFAULT)
    return best or languages.DEFAULT


def current_lang() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    if locale is None:
        return languages.DEFAULT
    code = str(locale)  # "zh", or "zh_Hant" for a registered language with a script
    return code if languages.is_known(code) else locale.language


def lang_query(args, code: str) -> str:
    """The current query string with lang replaced, for the language switcher links."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k != "lang"] + [("lang", code)]
    return urlencode(pairs)


def day_text(value: date | str) -> str:
    """A day (or an ISO date as the data files write it) in the reader's format."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "medium", locale=languages.babel_locale(current_lang()))


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["lang_query"] = lang_query
    app.jinja_env.filters["amount"] = lambda value: number_text(value, current_lang())
    # "2,6" in Russian, "2.6" in English and Chinese: every number with decimals on a page.
    app.jinja_env.filters["decimal"] = lambda value, digits=1: number_text(
        value, current_lang(), digits=digits
    )
    # A total in the reader's currency (roubles for Russian, yuan for Chinese, both in English).
    app.jinja_env.globals["reader_sums"] = lambda totals: [
        money_text(s["amount"], s["currency"], current_lang())
        for s in reader_sums(totals, current_lang())
    ]
    # A day as the reader writes it: "7 дек. 2026 г.", "2026年12月7日", "Dec 7, 2026".
    app.jinja_env.filters["day"] = day_text

    @app.after_request
    def remember_language(response):
        lang = g.get("set_lang_cookie")
        if lang:
            response.set_cookie(
                COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", secure=secure_cookies()
            )
        return response

    @app.context_processor
    def language_context() -> dict:
        lang = current_lang()
        return {
            "languages": languages.native_names(),
            "lang": lang,
            "html_lang": languages.html_lang(lang),
            "language_fonts": languages.pdf_fonts(),
            "data_languages": languages.DATA_LANGUAGES,
        }


def site_name() -> str:
    """The site's name in the reader's language: the region's own (region.json texts.site_name)
    where it has one, else the product's name from the catalogues."""
    from flask_babel import gettext

    from planner import region

    own = region.current().texts.site_name
    return own.get(current_lang()) if own is not None else gettext("Amur Twin Cities Planner")
