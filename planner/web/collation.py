"""Sorting names the way a reader of each language expects.

Chinese by pinyin (pypinyin: Python's code-point order for Hanzi is meaningless to a reader,
and ICU would need a compiled extension); Russian with ё as е; English case-insensitively.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def name_key(text: str, lang: str) -> str:
    if lang == "zh":
        return " ".join(lazy_pinyin(text, style=Style.TONE3)).casefold()
    if lang == "ru":
        return text.casefold().replace("ё", "е")
    return text.casefold()
