"""Pages of a PDF source: which page each line of its text is on, and a line's number on its page.

Citations count lines through a document's whole extracted text; a reader of a PDF thinks in pages
("page 3, lines 12–14"). ``PageMap`` converts between the two, and ``PageCitation`` is a citation
that also carries its lines counted on its page, for labels. Nothing here imports textual.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.models import Citation


@dataclass(frozen=True)
class PageCitation(Citation):
    """A PDF citation with its span also counted from the first line of its page (1-based)."""

    page_line_start: int | None = None
    page_line_end: int | None = None


class PageMap:
    """The page of each line of a document (1-based lines), from the reader's ``line_pages``."""

    def __init__(self, line_pages: tuple[int | None, ...]) -> None:
        self.line_pages = tuple(line_pages)
        self.first_lines: dict[int, int] = {}  # page -> its first line
        for n, page in enumerate(self.line_pages, 1):
            if page is not None:
                self.first_lines.setdefault(page, n)
        self.numbers: tuple[int, ...] = tuple(sorted(self.first_lines))

    def __bool__(self) -> bool:
        return bool(self.numbers)

    @property
    def count(self) -> int:
        """How many pages: the last page number (a page without text still counts)."""
        return self.numbers[-1] if self.numbers else 0

    def page_of(self, line: int) -> int | None:
        """The page ``line`` is on (the page before it, for a line without one), None without pages."""
        if not self.numbers or line < 1:
            return None
        for n in range(min(line, len(self.line_pages)), 0, -1):
            if self.line_pages[n - 1] is not None:
                return self.line_pages[n - 1]
        return self.numbers[0]

    def first_line(self, page: int) -> int | None:
        """The first line of ``page``, or of the nearest page after it with text."""
        following = [p for p in self.numbers if p >= page]
        return self.first_lines[following[0]] if following else None

    def local(self, line: int) -> int:
        """``line`` counted from the first line of its page (1-based); the line itself without pages."""
        page = self.page_of(line)
        first = self.first_lines.get(page) if page is not None else None
        return line - first + 1 if first is not None and line >= first else line

    def step(self, page: int, delta: int) -> int | None:
        """The page with text ``delta`` pages after (or before) ``page``; None past either end."""
        if not self.numbers:
            return None
        if delta > 0:
            later = [p for p in self.numbers if p > page]
            return later[min(delta, len(later)) - 1] if later else None
        earlier = [p for p in self.numbers if p < page]
        return earlier[max(delta, -len(earlier))] if earlier else None

    def cite(self, citation: Citation) -> Citation:
        """``citation`` with its page (when missing) and its lines on that page, as a PageCitation."""
        if not self.numbers or citation.line_start < 1:
            return citation
        page = self.page_of(citation.line_start)
        first = self.first_lines.get(page) if page is not None else None
        if first is None or citation.line_start < first:
            return citation
        end = max(citation.line_start, citation.line_end)
        fields = {k: getattr(citation, k) for k in Citation.__dataclass_fields__}
        fields["page"] = page
        return PageCitation(**fields, page_line_start=citation.line_start - first + 1,
                            page_line_end=end - first + 1)


def page_span(citation: Citation) -> tuple[int, int] | None:
    """The citation's lines counted on its page, when it carries them."""
    start = getattr(citation, "page_line_start", None)
    end = getattr(citation, "page_line_end", None)
    return (start, end if isinstance(end, int) else start) if isinstance(start, int) else None


def with_page(citation: Citation, page: int | None) -> Citation:
    """The citation with ``page`` set (unchanged when None)."""
    return replace(citation, page=page) if page else citation
