"""Text that crosses a trust boundary: user input in, document data out to a terminal.

Two directions, one module:

- ``clean_input(text)``: what a user typed or piped (questions, search queries, ``--jsonl`` lines).
  Undecodable bytes (surrogate escapes from a non-UTF-8 argv) become U+FFFD, full-width and
  half-width forms become their ordinary characters ("Ｗｈｏ" -> "Who"), control and bidi
  characters become spaces.
- ``plain(value)``: anything from the data (document text, file names, SQL results, questions
  echoed back) on its way to a terminal. Control characters, escape sequences and bidi overrides
  are shown as visible placeholders instead of being interpreted; it stays plain text, so rich
  markup (``[/b]``, ``[link=...]``) and emoji codes (``:x:``) mean nothing once printed through
  ``rich_text`` or a ``plain_console``.

The CLI prints data only through these; the TUI does the same with its own widgets (see
docs/HARDENING.md). ``rich`` is imported lazily so the core never needs it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Unicode format characters that reorder or hide text (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NOT_ESCAPED_BYTE = re.compile(r"[\ud800-\udc7f\udd00-\udfff]")
_FULLWIDTH = re.compile(r"[\u3000\uff01-\uff5e\uff61-\uffef]")
_INPUT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_OUTPUT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                             r"\ud800-\udfff]")


def fix_surrogates(text: str) -> str:
    """Lone surrogates (bytes that were not UTF-8, kept by ``surrogateescape``) as U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        text = _NOT_ESCAPED_BYTE.sub("\ufffd", text)  # surrogates that never were a byte
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def unwiden(text: str) -> str:
    """Full-width and half-width compatibility forms as ordinary characters (NFKC of those only,
    so that '²', 'ﬁ' or '½' elsewhere in the text are left as written)."""
    return _FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def clean_input(text: str) -> str:
    """A user's question or query as safe, normalised text (see the module docstring)."""
    return _INPUT_CONTROL.sub(" ", unwiden(fix_surrogates(text)))


def _placeholder(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␀ for NUL...
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"<U+{code:04X}>"


def plain(value: Any, newlines: bool = True) -> str:
    """``value`` as text that is safe to print: no control characters, escape sequences or bidi
    overrides (shown as visible placeholders). Tabs stay; newlines stay unless ``newlines=False``
    (then shown as ' ↵ ')."""
    text = "" if value is None else str(value)
    text = _OUTPUT_CONTROL.sub(_placeholder, text).replace("\t", "    ")
    if not newlines:
        text = text.replace("\n", " \u21b5 ")
    return text


def rich_text(value: Any, style: str = "", newlines: bool = True) -> Any:
    """A ``rich.text.Text`` of ``plain(value)``: never parsed as markup, never turned into emoji."""
    from rich.text import Text

    return Text(plain(value, newlines=newlines), style=style)


def plain_console(stderr: bool = False) -> Any:
    """A ``rich`` console for printing data: markup, emoji codes and highlighting all off."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False)`` that is also safe to print: DEL, C1 controls, bidi
    overrides and lone surrogates are written as ``\\uXXXX`` escapes (the same JSON value; C0
    controls are always escaped by ``json``)."""
    import json

    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(value: Any, limit: int = 300) -> str:
    """An error message or name as one safe line, cut at ``limit`` characters."""
    text = " ".join(plain(value, newlines=False).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
