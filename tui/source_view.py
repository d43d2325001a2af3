"""The source viewer's document widget: a whole file, numbered, scrollable, searchable.

A Line API widget (``ScrollView.render_line``), so a file of thousands of lines costs only the
rows on screen. Prose lines wrap to the width; runs of table lines (tab-separated, or Markdown
pipes) are laid out in aligned columns, each cell wrapped inside its column, and scroll
sideways when wider than the screen. The cited span is highlighted; search matches too.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.pages import PageMap
from tui.text import safe

GUTTER = 8  # "12345 ▌ ": line number, a marker for cited lines, a space
TABLE_COLUMN_MAX = 40  # a table cell wider than this wraps inside its column
COLUMN_GAP = " │ "
MIN_TEXT_WIDTH = 20  # prose never wraps narrower than this, however small the window


@dataclass(frozen=True)
class Row:
    """One screen row: the 1-based source line it shows and its text (first: the line's first row)."""

    line: int
    text: str
    first: bool
    page_break: bool = False  # a "── page N of M ──" rule before the first line of a PDF page


def split_cells(line: str) -> list[str] | None:
    """The cells of a table line (tab-separated, or ``| a | b |``), None for a prose line."""
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return [c.strip() for c in stripped.strip("|").split("|")]
    return None


def layout(lines: list[str], width: int, pages: tuple[int | None, ...] = ()) -> list[Row]:
    """Screen rows for ``lines`` at ``width`` columns of text (see the module docstring); with the
    page of each line (PDF sources), a rule "── page N of M ──" marks where each page starts."""
    width = max(MIN_TEXT_WIDTH, width)
    rows: list[Row] = []
    n = 0
    while n < len(lines):
        if split_cells(lines[n]) is not None:
            end = n
            while end < len(lines) and split_cells(lines[end]) is not None:
                end += 1
            rows.extend(_table_rows(lines, n, end))
            n = end
            continue
        text = safe(lines[n]).replace("\t", " ")
        wrapped = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False,
                                drop_whitespace=True, replace_whitespace=False) or [""]
        rows.extend(Row(n + 1, part, i == 0) for i, part in enumerate(wrapped))
        n += 1
    return _mark_pages(rows, pages) if pages else rows


def _mark_pages(rows: list[Row], pages: tuple[int | None, ...]) -> list[Row]:
    out: list[Row] = []
    previous: int | None = None
    total = PageMap(pages).count
    for row in rows:
        page = pages[row.line - 1] if row.first and row.line <= len(pages) else None
        if page is not None and page != previous:
            out.append(Row(row.line, f"── page {page} of {total} ──", False, page_break=True))
            previous = page
        out.append(row)
    return out


def _table_rows(lines: list[str], start: int, end: int) -> list[Row]:
    """Aligned rows for the table lines ``lines[start:end]``."""
    cells = [[safe(c) for c in split_cells(lines[n]) or []] for n in range(start, end)]
    columns = max(len(r) for r in cells)
    widths = [0] * columns
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], min(len(cell), TABLE_COLUMN_MAX))
    widths = [max(1, w) for w in widths]
    out: list[Row] = []
    for offset, row in enumerate(cells):
        wrapped = [textwrap.wrap(cell, widths[i], break_long_words=True) or [""] for i, cell in enumerate(row)]
        wrapped += [[""]] * (columns - len(wrapped))
        for r in range(max(len(w) for w in wrapped)):
            parts = [(w[r] if r < len(w) else "").ljust(widths[i]) for i, w in enumerate(wrapped)]
            out.append(Row(start + offset + 1, COLUMN_GAP.join(parts).rstrip(), r == 0))
    return out


class SourceView(ScrollView, can_focus=True):
    """A whole source file with line numbers; the cited span highlighted; search matches marked.

    For a PDF (``pages`` given) each page starts under a "page N of M" rule, the gutter counts the
    lines of each page from 1 (as PDF citations do), and ``current_page`` is the page being read."""

    COMPONENT_CLASSES = {"source--gutter", "source--cited", "source--cited-gutter", "source--match",
                         "source--current-match"}
    DEFAULT_CSS = """
    SourceView { scrollbar-size: 1 1; }
    SourceView > .source--gutter { color: $text-muted; }
    SourceView > .source--cited { background: $primary 35%; }
    SourceView > .source--cited-gutter { color: $primary-lighten-2; text-style: bold; }
    SourceView > .source--match { background: $warning 70%; color: $background; }
    SourceView > .source--current-match { background: $warning; color: $background; text-style: bold underline; }
    """

    def __init__(self, lines: list[str], cited: tuple[int, int] = (0, -1),
                 pages: tuple[int | None, ...] = (), **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines = lines
        self.cited = cited
        self.pages = pages
        self.page_map = PageMap(pages)
        self.anchor = 0  # the line the screen last jumped to; its page is current while it is on screen
        self.rows: list[Row] = []
        self.first_row: dict[int, int] = {}
        self.search_text = ""
        self.current_match_line = 0
        self._laid_out_width = -1

    # -- layout -------------------------------------------------------------------------------
    def set_document(self, lines: list[str], cited: tuple[int, int], pages: tuple[int | None, ...] = ()) -> None:
        """Show another file (or span) and lay it out again."""
        self.lines, self.cited, self.pages = lines, cited, pages
        self.page_map = PageMap(pages)
        self.anchor = 0
        self._laid_out_width = -1
        self._relayout()

    def _text_width(self) -> int:
        return max(MIN_TEXT_WIDTH, self.scrollable_content_region.width - GUTTER)

    def _relayout(self) -> None:
        width = self._text_width()
        if width == self._laid_out_width:
            return
        top = self.top_line()
        self._laid_out_width = width
        self.rows = layout(self.lines, width, self.pages)
        self.first_row = {}
        for i, row in enumerate(self.rows):
            self.first_row.setdefault(row.line, i)
        wide = max((len(r.text) for r in self.rows), default=0)
        self.virtual_size = Size(GUTTER + max(width, wide), len(self.rows))
        if top:
            self.scroll_to_line(top, lead=0)
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()

    def on_mount(self) -> None:
        self.call_after_refresh(self._relayout)

    # -- navigation ---------------------------------------------------------------------------
    def page_of(self, line: int) -> int | None:
        """The page a line is on (PDF sources), else None."""
        return self.page_map.page_of(line)

    def current_page(self) -> int | None:
        """The page being read: that of the line last jumped to while it is on screen, else the
        page at the top of the view (None for a source without pages)."""
        if not self.page_map:
            return None
        if self.anchor and self.anchor in self.visible_lines():
            return self.page_of(self.anchor)
        return self.page_of(self.top_line() or 1)

    def go_to_page(self, page: int) -> None:
        """Show ``page`` from its rule at the top of the view."""
        first = self.page_map.first_line(page)
        if first is not None:
            self.scroll_to_line(first, lead=0)

    def top_line(self) -> int:
        """The source line at the top of the view (0 before layout)."""
        y = int(self.scroll_offset.y)
        return self.rows[y].line if 0 <= y < len(self.rows) else 0

    def visible_lines(self) -> range:
        """The source lines with at least one row on screen."""
        if not self.rows:
            return range(0)
        y = int(self.scroll_offset.y)
        last = min(len(self.rows) - 1, y + max(1, self.scrollable_content_region.height) - 1)
        return range(self.rows[y].line, self.rows[last].line + 1)

    def show_span(self, start: int, end: int, lead: int = 3) -> None:
        """Bring lines ``start``..``end`` into view: for a PDF, from the top of their page when the
        span fits on screen that way (the page is read from its start), else ``lead`` rows above."""
        if not self.rows:
            self._relayout()
        first = self.page_map.first_line(self.page_of(start) or 0) if self.page_map else None
        rule = self.first_row.get(first, -1) if first is not None else -1
        last_row = self.first_row.get(min(end + 1, len(self.lines) + 1), len(self.rows)) - 1
        if 0 <= rule and last_row - rule < max(1, self.scrollable_content_region.height):
            self.scroll_to(y=rule, animate=False, immediate=True)
            self.anchor = start
            return
        self.scroll_to_line(start, lead)

    def scroll_to_line(self, line: int, lead: int = 3) -> None:
        """Scroll so that ``line`` is near the top, ``lead`` rows of context above it."""
        if not self.rows:
            self._relayout()
        line = max(1, min(line, len(self.lines)))
        self.anchor = line
        row = self.first_row.get(line, 0)
        top = max(0, row - lead)
        if self.page_map:  # context never reaches back over the page's rule: the view opens on its page
            first = self.page_map.first_line(self.page_of(line) or 0)
            rule = self.first_row.get(first, -1) if first is not None else -1  # a page's rule row comes first
            if 0 <= rule < len(self.rows) and self.rows[rule].page_break:
                top = max(top, rule)
        self.scroll_to(y=top, animate=False, immediate=True)

    # -- search -------------------------------------------------------------------------------
    def matches(self, text: str) -> list[int]:
        """Lines containing ``text`` (case-insensitive), in order."""
        needle = text.casefold()
        if not needle:
            return []
        return [n for n, line in enumerate(self.lines, 1) if needle in safe(line).replace("\t", " ").casefold()]

    def set_search(self, text: str, current_line: int = 0) -> None:
        """Highlight ``text`` everywhere, and the match on ``current_line`` more strongly."""
        self.search_text = text
        self.current_match_line = current_line
        self.refresh()

    # -- rendering ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        start, end = self.cited
        cited = start <= row.line <= end and not row.page_break
        base = self.rich_style
        cited_style = self.get_component_rich_style("source--cited") if cited else Style()
        gutter_style = self.get_component_rich_style("source--cited-gutter" if cited else "source--gutter")
        shown = self.page_map.local(row.line) if self.page_map else row.line
        number = f"{shown:>5}" if row.first else "     "
        gutter = Text(f"{number} {'▌' if cited else ' '} ", style=gutter_style, end="")
        text = Text(row.text, style="dim" if row.page_break else "", end="")
        if self.search_text and not row.page_break:
            style = self.get_component_rich_style(
                "source--current-match" if row.line == self.current_match_line else "source--match")
            _highlight(text, self.search_text, style)
        console = self.app.console
        gutter_strip = Strip(list(gutter.render(console)), GUTTER)
        body = Strip(list(text.render(console)), text.cell_len)
        body = body.crop_extend(int(scroll_x), int(scroll_x) + max(0, width - GUTTER), None)
        strip = Strip.join([gutter_strip, body]).apply_style(base + cited_style)
        return strip.crop_extend(0, width, base + cited_style)


def _highlight(text: Text, needle: str, style: Style) -> None:
    """Style every case-insensitive occurrence of ``needle`` in ``text``."""
    hay, low = text.plain.casefold(), needle.casefold()
    at = hay.find(low)
    while low and at >= 0:
        text.stylize(style, at, at + len(needle))
        at = hay.find(low, at + len(needle))

