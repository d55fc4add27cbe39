"""Text from the data made safe for a terminal: no escape sequences, no control characters.

A catalogue name such as "\\x1b[31m..." or "\\x1b]0;title\\x07" would otherwise recolour, retitle
or rewrite the terminal of whoever runs the command line; bidirectional overrides (U+202E) would
show text in another order than it is stored. Newlines and tabs stay.
"""

from __future__ import annotations

import re

# ESC sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and two-byte ESC x.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
)
# C0 (but tab and newline), DEL, C1 (0x9b is an 8-bit CSI), bidi embeddings, overrides, isolates;
# and the invisible marks that hide or reorder text as well: direction marks (LRM U+200E, RLM
# U+200F, the Arabic letter mark U+061C), zero width space (U+200B), the combining grapheme
# joiner (U+034F), line and paragraph separators (U+2028, U+2029: a line break JavaScript and
# JSON readers disagree on) and the byte order mark / zero width no-break space (U+FEFF). Zero
# width (non-)joiners U+200C/U+200D stay: scripts and emoji need them.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    "\u034f\u061c\u200b\u200e\u200f\u2028\u2029\ufeff]"
)


def terminal_text(text: str) -> str:
    """*text* with escape sequences and control characters removed (newlines, tabs kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))


def terminal_json(text: str) -> str:
    """JSON text with the characters a terminal would act on written as \\uXXXX escapes: the
    same JSON value, harmless on a screen (json.dumps escapes only C0 with ensure_ascii=False)."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def user_text(text: str) -> str:
    """Text a person typed, as stored and shown: without control characters (but tab and
    newline; CR LF becomes LF) and bidirectional embeddings, overrides and isolates, which would
    reorder the text next to it (a name ending in U+202E shows the document number reversed).
    A lone CR is a line break (old Mac text), kept as one."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_if_text(value: object) -> object:
    """`user_text` of *value* when it is text; anything else as it is (for validators)."""
    return user_text(value) if isinstance(value, str) else value
