"""Shared text handling: normalising, tokenising, stemming and stop words (issue 9, item 3).

The router, retrieval and eval read words through this one module, so that a question's words
are cut, stemmed and filtered the same way wherever they are compared. Each tokeniser and each
stop-word set below is named for its job and defined once; callers import them from here.

Importing this module is cheap (``re`` and ``unicodedata``); PyStemmer is imported on the first
stem. PyStemmer is a runtime dependency (and comes with bm25s): without it, stemming raises
``StemmerMissing`` instead of falling back to a cruder stemmer that would silently change which
words match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# ----------------------------------------------------------------------------- stop words

# The Lucene English stop words: the list bm25s ships as ``bm25s.stopwords.STOPWORDS_EN``, written
# out so that tokenising a question does not import bm25s.
LUCENE_STOPWORDS: frozenset[str] = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there "
    "these they this to was will with".split())

# Words of questions rather than of content, dropped by the BM25 index on top of the Lucene list.
QUESTION_WORDS: frozenset[str] = frozenset(
    "what which who whom whose how when where why do does did doing done has have had about any "
    "many much can could would should shall been being me i you your we our us its tell please "
    "from was were am".split())

# What the BM25 index (and its queries) leave out.
RETRIEVAL_STOPWORDS: frozenset[str] = LUCENE_STOPWORDS | QUESTION_WORDS

# The router's wider list: function words, question words and the words every question about the
# documents shares ("plan", "council", "documents"), which say nothing about which row is meant.
ROUTER_STOPWORDS: frozenset[str] = frozenset("""a an the of and or to in on at by for from with without into onto over under is are
was were be been being do does did done have has had what which who whom whose when where why how
this that these those it its they them their there here i me my we our you your he she his her
will would shall should can could may might must not no nor any all some each every both either
about as than then so if but also just only very more most less least much many per via up down
out off please tell show give list name find me us does doing say says said according documents
document plan plans council happen happened happening mean means tell regarding concerning currently
there whats anything something everything stuff named called across throughout within between among
promise promised promises promising shown shows showing against already really""".split())

# ----------------------------------------------------------------------------- stemming

STEM_CACHE_SIZE = 50_000  # distinct words whose stems are remembered (a corpus has ~10k)


class StemmerMissing(ImportError):
    """PyStemmer (the Snowball stemmer) is not installed."""


@lru_cache(maxsize=1)
def stemmer() -> Any:
    """The English Snowball stemmer (one instance, built on first use)."""
    try:
        import Stemmer  # PyStemmer
    except ImportError as exc:
        raise StemmerMissing("PyStemmer is required for stemming: pip install 'PyStemmer>=2.2' "
                             "(it is a dependency of plan-assistant and of bm25s)") from exc
    return Stemmer.Stemmer("english")


#: A number written as a plural ("over 85s", "under 18s", "the 1990s", "4x4s"): the number itself.
_PLURAL_NUMBER = re.compile(r"\d+(?:x\d+)?s")


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """The Snowball stem of a word, lower-cased: 'Inspections' -> 'inspect'; '85s' -> '85', '4x4s' -> '4x4'."""
    word = word.lower()
    return word[:-1] if _PLURAL_NUMBER.fullmatch(word) else stemmer().stemWord(word)


def stem_words(words: list[str]) -> list[str]:
    """The Snowball stems of several (already lower-case) words, in order."""
    if not words:
        return []
    return [w[:-1] if _PLURAL_NUMBER.fullmatch(w) else s for w, s in zip(words, stemmer().stemWords(words))]


# ----------------------------------------------------------------------------- tokenisers

_INDEX_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default token: two or more word characters
_TERM_TOKEN = re.compile(r"[a-z0-9£%]+")     # router terms keep '£' and '%' ("£1m", "95%")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_UNICODE_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-case ASCII letter-and-digit runs: "Cllr O'Neil's 2021" -> cllr, o, neil, s, 2021."""
    return _ASCII_WORD.findall(text.lower())


def unicode_words(text: str) -> list[str]:
    """Lower-case runs of word characters (any script, digits, '_'): for matching filter values."""
    return _UNICODE_WORD.findall(text.lower())


def index_tokens(text: str) -> list[str]:
    """The BM25 index's tokens: words of two or more characters, less ``RETRIEVAL_STOPWORDS``,
    stemmed."""
    return stem_words([w for w in _INDEX_TOKEN.findall(text.lower()) if w not in RETRIEVAL_STOPWORDS])


#: A verb with "not" written short ("doesn't", "won't", "isn’t"): its verb and "not", never a word "doesn".
_NEGATED_SHORT = re.compile(r"\b(?:(won)|(can)|(\w+)n)['’]t\b")


def negations_spelt_out(text: str) -> str:
    """The text with each "n't" written as " not" ("doesn't" -> "does not", "won't" -> "will not")."""
    return _NEGATED_SHORT.sub(lambda m: ("will" if m.group(1) else m.group(2) or m.group(3)) + " not", text)


def terms(text: str) -> list[str]:
    """The router's content terms: words (with '£' and '%') of two or more characters, less
    ``ROUTER_STOPWORDS``, stemmed, in order and with repeats ("doesn't" is "does not")."""
    return [stem(w) for w in _TERM_TOKEN.findall(negations_spelt_out(text.lower()))
            if w not in ROUTER_STOPWORDS and len(w) > 1]


#: Stems of one word family ("exclus" of exclusions, "exclud" of excluded; "provis" / "provid") share
#: at least this many leading letters and differ in at most the last letter of each.
FAMILY_PREFIX = 5


def same_family(a: str, b: str) -> bool:
    """Two stems of one word family that the stemmer keeps apart ("exclus" / "exclud"), not two
    different words that start alike ("communiti" / "communic")."""
    if a == b:
        return True
    return len(a) == len(b) and len(a) > FAMILY_PREFIX and a[:-1] == b[:-1] and a[:-1].isalpha()


def as_written(stems: tuple[str, ...] | list[str], text: str) -> list[str]:
    """Each stem shown as `text` writes the word ("capit" -> "capital"), or as itself when it does not."""
    shown = {stem(w): w for w in (v.rstrip("'-") for v in re.findall(r"[A-Za-z][\w'-]*", text))}   # "parent'" quoted
    return [shown.get(t, t) for t in stems]


# ----------------------------------------------------------------------------- normalising

#: Counts written as words, one place for every reader ("the three lines", "three family hubs").
NUMBER_WORDS: dict[str, int] = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": " ",
                         "\u2014": " ", "\u2010": " ", "\u2011": " ", "-": " ", "*": " ", "\t": " "})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def collapse_spaces(text: str) -> str:
    """Runs of whitespace as one space, ends stripped; nothing else changes (case, punctuation)."""
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case, '&' as 'and', possessive 's, apostrophes and punctuation (but '£ % / . -')
    removed, spaces collapsed: for matching a phrase inside a question."""
    text = re.sub(r"['\u2019]s\b", "", text.lower()).replace("&", " and ").replace("'", "")
    return _SPACES.sub(" ", re.sub(r"[^\w£%/.-]+", " ", text)).strip()


def normalise(text: str) -> str:
    """Lower case with typographic quotes, dashes, hyphens and '*' folded, thousands separators
    dropped ('£1,200' -> '£1200') and spaces collapsed: for finding an expected fact in an answer."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = _THOUSANDS.sub("", text)
    return _SPACES.sub(" ", text).strip()


# ----------------------------------------------------------------------------- sizes

#: A size written as a number and its unit ("3.0t", "18t", "7.5t"): the tokeniser keeps no decimals, so
#: sizes are compared as written.
SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(t|kg|kw|kwh|mw|m2|ha|mm|cm|km|l)\b")


def sizes_in(text: str) -> set[tuple[float, str]]:
    """The sizes a text writes, as (number, unit): "3.0t Van" gives {(3.0, "t")}."""
    return {(float(n), unit) for n, unit in SIZE.findall(text.lower())}


def size_pattern(size: tuple[float, str] | None, unit: str) -> str:
    """A regular expression (RE2, no look-behind) for a size as any spelling writes it ("3t", "3.0 t"),
    or, with no size, for any size in that unit."""
    if size is None:
        number = r"\d+(\.\d+)?"
    else:
        whole, _, part = f"{size[0]:g}".partition(".")
        number = re.escape(whole) + (r"\." + re.escape(part) + "0*" if part else r"(\.0+)?")
    return rf"(^|[^0-9.a-z]){number}\s?{re.escape(unit)}\b"

