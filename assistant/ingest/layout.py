"""Page geometry: positioned words into lines, cells and text columns (no PDF library needed).

Works on plain ``Word`` values so that it can be tested without a PDF. A line is a run of words
whose vertical centres agree; two words that overlap horizontally never share a line (text layers
printed over each other, as in some exported spreadsheets, come out as separate lines instead of
interleaved letters). Wide gaps inside a line split it into segments (cells of an unruled table);
a gutter crossed by long segments on both sides splits a page region into text columns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

#: A gap between two words wider than this many font sizes separates two cells of a line.
#: Ordinary word spacing is about 0.25-0.35 em, justified text rarely exceeds 1 em.
COLUMN_GAP_EM = 1.6
#: Two words share a line when their vertical centres differ by at most this share of the
#: smaller word's height.
LINE_CENTRE_TOLERANCE = 0.5
#: Horizontal overlap (share of the narrower word) above which two words are different layers.
OVERLAP_SHARE = 0.3
#: A vertical gap above this many line heights starts a new paragraph.
PARAGRAPH_GAP_LINES = 1.6
#: Text columns: the average words per segment on each side of a gutter must reach this
#: (table columns hold short cells), over at least ``MIN_COLUMN_LINES`` lines.
COLUMN_MIN_WORDS = 5.0
MIN_COLUMN_LINES = 6


@dataclass(frozen=True)
class Word:
    """One word with its box (PDF points, top-left origin) and style."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 10.0
    bold: bool = False
    style: str = ""  # text layer, set only where layers are printed over each other

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class Line:
    """Words on one baseline, left to right."""

    words: list[Word] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The font size most of the line's letters are set in."""
        c: Counter[float] = Counter()
        for w in self.words:
            c[round(w.size, 1)] += len(w.text)
        return c.most_common(1)[0][0] if c else 0.0

    @property
    def bold_share(self) -> float:
        total = sum(len(w.text) for w in self.words) or 1
        return sum(len(w.text) for w in self.words if w.bold) / total

    def segments(self) -> list[list[Word]]:
        """Runs of words separated by gaps wider than ``COLUMN_GAP_EM`` font sizes."""
        out: list[list[Word]] = []
        for w in self.words:
            if out and w.x0 - out[-1][-1].x1 <= COLUMN_GAP_EM * max(w.size, out[-1][-1].size):
                out[-1].append(w)
            else:
                out.append([w])
        return out

    def text(self, cells: bool = True) -> str:
        """The line's text; with ``cells`` wide gaps become tabs."""
        if not cells:
            return " ".join(w.text for w in self.words)
        return "\t".join(" ".join(w.text for w in seg) for seg in self.segments())


def _overlap(a: Word, b: Word) -> float:
    inter = min(a.x1, b.x1) - max(a.x0, b.x0)
    if inter <= 0:
        return 0.0
    return inter / max(min(a.x1 - a.x0, b.x1 - b.x0), 0.1)


def build_lines(words: list[Word]) -> list[Line]:
    """Group words into lines (top to bottom, words left to right)."""
    lines: list[Line] = []
    open_lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        open_lines = [ln for ln in open_lines if ln.bottom >= w.top - w.height]
        target = None
        for ln in open_lines:
            ref = ln.words[0]
            if ref.style != w.style:
                continue  # another text layer printed over this one (styles are set only then)
            if abs(ref.centre - w.centre) > LINE_CENTRE_TOLERANCE * min(ref.height, w.height):
                continue
            target = ln
            break
        if target is None:
            target = Line()
            lines.append(target)
            open_lines.append(target)
        target.words.append(w)
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: (round(ln.top, 0), ln.x0))
    return lines


def lines_text(lines: list[Line]) -> str:
    return "\n".join(ln.text(cells=False) for ln in lines)


def find_gutter(lines: list[Line]) -> float | None:
    """The x of a gutter between two text columns, or None.

    A gutter is an x position crossed by no word on many lines, where the segments left and right
    of it are long (prose), unlike the short cells of an unruled table.
    """
    split = [ln for ln in lines if len(ln.segments()) == 2]
    if len(split) < MIN_COLUMN_LINES:
        return None
    starts = Counter(round(seg[0].x0 / 4) * 4 for ln in split for seg in ln.segments()[1:])
    for x, n in starts.most_common(3):
        if n < MIN_COLUMN_LINES:
            break
        left = [ln for ln in split if abs(round(ln.segments()[1][0].x0 / 4) * 4 - x) <= 4]
        lw = sum(len(ln.segments()[0]) for ln in left) / len(left)
        rw = sum(len(ln.segments()[1]) for ln in left) / len(left)
        if lw >= COLUMN_MIN_WORDS and rw >= COLUMN_MIN_WORDS:
            crossing = [ln for ln in lines if any(w.x0 < x - 2 < w.x1 for w in ln.words)]
            if len(crossing) <= len(lines) * 0.1:
                return x - 2
    return None


def split_columns(words: list[Word]) -> list[list[Line]]:
    """Lines of a region, one list per text column (a single list when there is no gutter)."""
    lines = build_lines(words)
    gutter = find_gutter(lines)
    if gutter is None:
        return [lines]
    left = [w for w in words if w.x1 <= gutter + 1]
    right = [w for w in words if w.x1 > gutter + 1]
    return [build_lines(left), build_lines(right)]


_WORD = re.compile(r"[A-Za-z0-9]+")


def vocabulary(texts: list[str]) -> Counter[str]:
    """Lower-case word counts of a document, used to mend words wrapped inside narrow cells."""
    c: Counter[str] = Counter()
    for t in texts:
        c.update(m.group(0).lower() for m in _WORD.finditer(t))
    return c


def join_wrapped(text: str, vocab: Counter[str] | None = None) -> str:
    """Join the lines of a wrapped cell into one line.

    Lines are joined with a space, except where a narrow cell broke a word: the two pieces form a
    word the document uses elsewhere while the first piece alone is not one ("Timescal" + "e",
    "SO" + "3,SO4"), or the line ends with a hyphenated prefix ("self-" + "harm").
    """
    parts = [p.strip() for p in text.split("\n")]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    out = parts[0]
    for nxt in parts[1:]:
        out += _joiner(out, nxt, vocab) + nxt
    return out


def _joiner(left: str, right: str, vocab: Counter[str] | None) -> str:
    m_left = re.search(r"([A-Za-z0-9]+)$", left)
    m_right = re.match(r"^([A-Za-z0-9]+)", right)
    if left.endswith("-") and len(left) > 1 and (
            (left[-2].isalpha() and right[:1].islower()) or (left[-2].isdigit() and right[:1].isdigit())):
        return ""
    if not (m_left and m_right and vocab):
        return " "
    a, b = m_left.group(1).lower(), m_right.group(1).lower()
    joined = vocab.get(a + b, 0)
    if joined and vocab.get(a, 0) < joined and (len(b) <= 2 or vocab.get(b, 0) < joined):
        return ""
    return " "
