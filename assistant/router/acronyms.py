"""Acronyms the documents never write, read as the phrases whose initials they are.

Officers shorten what the documents spell out: "KS1 writing" for "Key Stage 1 Writing", "KSIs" for
people "killed or seriously injured". The documents' own phrases of a few words are indexed by their
initials (small words skipped, a number kept whole), and a question's acronym that the documents never
write is replaced by the one phrase that clearly owns those initials.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

#: Words skipped when taking initials ("killed or seriously injured" is KSI).
SMALL_WORDS = frozenset({"of", "the", "for", "in", "on", "to", "a", "an", "and", "or", "&"})
#: A phrase is two to this many words that are not small words.
MAX_PHRASE_WORDS = 4
#: A phrase owns its initials when the documents write it at least this many times...
MIN_PHRASE_COUNT = 2
#: ...and at least this many times as often as any other phrase with the same initials.
DOMINANCE = 2.0
#: Initials at least this long that a single phrase of the documents has are that phrase's even when it
#: is written once ("IDVA": Independent Domestic Violence Advisors); shorter ones are too often chance.
UNIQUE_INITIALS = 4

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
#: A token a question may use as an acronym: two capitals or more ("KSIs", "PCN"), or letters and a
#: digit ("KS1", "ks2"); lower-case words are never taken for acronyms.
_ACRONYM = re.compile(r"(?<![\w'])(?=[A-Za-z]*\d|(?:[A-Z][a-z]?){2})[A-Za-z]{1,6}\d?(?![\w'])")


def phrase_initials(texts: Iterable[str]) -> dict[str, str]:
    """Initials (lower case) -> the phrase of the documents that owns them, written as first seen."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    first_form: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            words = _WORD.findall(line)
            for i, first in enumerate(words):
                if first.lower() in SMALL_WORDS or first.isdigit():
                    continue
                initials, content = "", 0
                for j in range(i, min(len(words), i + 2 * MAX_PHRASE_WORDS)):
                    word = words[j]
                    if word.lower() in SMALL_WORDS:
                        continue
                    content += 1
                    if content > MAX_PHRASE_WORDS:
                        break
                    initials += word if word.isdigit() else word[0].lower()
                    if content >= 2:
                        phrase = " ".join(words[i:j + 1])
                        key = phrase.lower()
                        counts[initials][key] += 1
                        first_form.setdefault(key, phrase)
                    if word.isdigit():
                        break   # a number ends the phrase ("Key Stage 1")
    owned: dict[str, str] = {}
    for initials, phrases in counts.items():
        ranked = phrases.most_common(2)
        best, n = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0
        # a long acronym whose initials one phrase alone has is owned by it, written once or not
        alone = runner == 0 and len(initials) >= UNIQUE_INITIALS
        if (n >= MIN_PHRASE_COUNT or alone) and n >= DOMINANCE * runner:
            owned[initials] = first_form[best]
    return owned


def expand_acronyms(text: str, initials: dict[str, str], vocabulary: frozenset[str]) -> str:
    """The question with each acronym the documents never write replaced by the phrase it stands for."""
    if not initials:
        return text

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in vocabulary or len(low) < 2:
            return word
        # a plural ("KSIs") is the acronym of its singular
        forms = [low] + ([low[:-1]] if low.endswith("s") and word[-1] == "s" and low[:-1] not in vocabulary else [])
        return next((initials[f] for f in forms if f in initials), word)

    return _ACRONYM.sub(repl, text)


#: The longest acronym a passage writes that a question may spell out, in capitals (one per word).
MAX_ACRONYM = 6
#: An acronym a passage writes: two capitals or more ("GRT", "SARs" less its plural).
_WRITTEN_ACRONYM = re.compile(r"\b([A-Z]{2,%d})s?\b" % MAX_ACRONYM)


#: An acronym as a question types it: capitals, perhaps a plural "s" ("SARs", "EHCPs", "NNR").
_TYPED_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")


def acronyms_spelled(question: str, text: str) -> set[str]:
    """The acronyms the question types ("SARs") that `text` does not write but spells out, its words'
    initials in order ("Subject Access requests"): the text names them in full."""
    words = [w for w in _WORD.findall(text) if w.lower() not in SMALL_WORDS and not w.isdigit()]
    initials = "".join(w[0].lower() for w in words)
    found: set[str] = set()
    for m in _TYPED_ACRONYM.finditer(question):
        acronym = m.group(1).lower()
        if re.search(rf"\b{acronym}s?\b", text, re.IGNORECASE):
            continue   # written as it is: nothing to spell out
        start = initials.find(acronym)
        if start >= 0 and any(w[0].isupper() for w in words[start:start + len(acronym)]):
            found.add(m.group(0).lower())
    return found


def spelled_out_words(question: str, text: str) -> set[str]:
    """Words of the question that spell out an acronym `text` writes ("Gypsy, Roma and Traveller" when
    the passage says "GRT"): the passage names them, in short."""
    written = {m.group(1).lower() for m in _WRITTEN_ACRONYM.finditer(text)}
    if not written:
        return set()
    words = _WORD.findall(question)
    out: set[str] = set()
    for i, first in enumerate(words):
        if first.lower() in SMALL_WORDS or first.isdigit():
            continue
        initials, used = "", []
        for word in words[i:i + 2 * MAX_PHRASE_WORDS]:
            if word.lower() in SMALL_WORDS:
                continue
            initials += word[0].lower()
            used.append(word)
            if len(used) >= 2 and initials in written:
                out.update(w.lower() for w in used)
            if len(used) >= MAX_ACRONYM:
                break
    return out


#: Initials a follow-up may make of a name the conversation has used: this many letters at least (two
#: letters, "ok", "hr", match too many pairs of words by chance) and at most...
MIN_FOLLOW_INITIALS = 3
MAX_FOLLOW_INITIALS = 5


def initials_of_previous(question: str, previous: str, known: Callable[[str], bool]) -> str:
    """The question with initials it makes of a name the previous turns wrote in full ("which dvm action
    ..." after "derwent valley mills external funding"), written as they wrote it; any case, since people
    type initials in lower case. `known`: whether the documents or the lexicon already know a word or name
    ("asch" is a department's), never read as initials."""
    spans = [m for m in _WORD.finditer(previous) if m.group(0).lower() not in SMALL_WORDS]
    if len(spans) < 2:
        return question

    def repl(m: re.Match[str]) -> str:
        token = m.group(0)
        low = token.lower()
        if not MIN_FOLLOW_INITIALS <= len(low) <= MAX_FOLLOW_INITIALS or known(low):
            return token
        n = len(low)
        found = {previous[spans[i].start():spans[i + n - 1].end()].lower(): previous[spans[i].start():spans[i + n - 1].end()]
                 for i in range(len(spans) - n + 1)
                 if "".join(w.group(0)[0] for w in spans[i:i + n]).lower() == low}
        found = {k: v for k, v in found.items() if "\n" not in v}   # a name is written on one line
        return next(iter(found.values())) if len(found) == 1 else token

    return re.sub(r"(?<![\w'])[A-Za-z]{%d,%d}(?![\w'])" % (MIN_FOLLOW_INITIALS, MAX_FOLLOW_INITIALS), repl, question)
