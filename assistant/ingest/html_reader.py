"""HTML reader: headings, paragraphs, list items and tables from the markup (standard library only).

``<h1>``-``<h6>`` are headings (``<h1>`` is level 2: level 1 is kept for departments), ``<p>``,
``<li>`` and other block elements are lines, and ``<table>`` becomes a grid in which ``colspan``
and ``rowspan`` leave positions covered by a merged cell. Scripts, styles and the head are skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from assistant.errors import IngestError
from assistant.ingest.compose import Composed, PageItems, TableItem, TextItem, compose
from assistant.ingest.grid import GridRow
from assistant.ingest.layout import vocabulary

BLOCKS = {"p", "div", "li", "dt", "dd", "blockquote", "pre", "section", "article", "header", "footer",
          "address", "figcaption", "main", "aside", "ul", "ol", "dl", "br", "hr", "tr", "title"}
SKIP = {"script", "style", "head", "noscript", "template", "svg"}
HEADINGS = {f"h{i}": i for i in range(1, 7)}
#: <h1> is level 2 (level 1 is for department headings); deeper headings follow.
HEADING_LEVEL_OFFSET = 1
MAX_LEVEL = 6


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[str | None]] = []
        self.covered: list[set[int]] = []
        self.pending: dict[int, int] = {}  # column -> rows still covered by a rowspan
        self.row: list[str | None] | None = None
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)
        self.caption: list[str] | None = None

    def start_row(self) -> None:
        self.end_row()
        self.row = []
        self.covered.append(set())
        self._fill_pending()

    def _fill_pending(self) -> None:
        assert self.row is not None
        while len(self.row) in self.pending:
            col = len(self.row)
            self.row.append(None)
            self.covered[-1].add(col)
            self.pending[col] -= 1
            if self.pending[col] <= 0:
                del self.pending[col]

    def start_cell(self, colspan: int, rowspan: int) -> None:
        if self.row is None:
            self.start_row()
        self.end_cell()
        self._fill_pending()
        self.cell = []
        self.cell_span = (colspan, rowspan)

    def end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        text = "\n".join(p.strip() for p in "".join(self.cell).split("\n") if p.strip())
        colspan, rowspan = self.cell_span
        start = len(self.row)
        self.row.append(text)
        self.row.extend([None] * (colspan - 1))
        if rowspan > 1:
            for c in range(start, start + colspan):
                self.pending[c] = rowspan - 1
        self.cell = None
        self._fill_pending()

    def end_row(self) -> None:
        self.end_cell()
        if self.row is not None:
            self.rows.append(self.row)
        self.row = None


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[TextItem | TableItem] = []
        self.buf: list[str] = []
        self.skip = 0
        self.heading: int | None = None
        self.tables: list[_Table] = []
        self.list_depth = 0

    # -- text
    def flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.buf))
        self.buf = []
        for k, part in enumerate(p.strip() for p in text.split("\n")):
            if part:
                self.items.append(TextItem(part, None, None, self.heading, new_block=k == 0))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if self.tables:
            t = self.tables[-1]
            if tag == "table":
                self.tables.append(_Table())  # nested table: read on its own
            elif tag == "tr":
                t.start_row()
            elif tag in ("td", "th"):
                t.start_cell(_int(a.get("colspan")), _int(a.get("rowspan")))
            elif tag == "caption":
                t.caption = []
            elif tag in BLOCKS or tag in HEADINGS:
                self._cell_text("\n")
            return
        if tag == "table":
            self.flush()
            self.tables.append(_Table())
            return
        if tag in HEADINGS:
            self.flush()
            self.heading = min(HEADINGS[tag] + HEADING_LEVEL_OFFSET, MAX_LEVEL)
        elif tag in BLOCKS:
            self.flush()
            if tag == "li":
                self.buf.append("- ")
            if tag == "br":
                self.buf.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if self.tables:
            t = self.tables[-1]
            if tag == "table":
                t.end_row()
                self.tables.pop()
                self._emit(t)
            elif tag in ("td", "th"):
                t.end_cell()
            elif tag == "tr":
                t.end_row()
            elif tag == "caption" and t.caption is not None:
                self.items.append(TextItem(" ".join("".join(t.caption).split()), None, None, 3, new_block=True))
                t.caption = None
            return
        if tag in HEADINGS:
            self.flush()
            self.heading = None
        elif tag in BLOCKS:
            self.flush()

    def _cell_text(self, data: str) -> None:
        t = self.tables[-1]
        if t.caption is not None:
            t.caption.append(data)
        elif t.cell is not None:
            t.cell.append(data)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.tables:
            self._cell_text(data)
            return
        self.buf.append(data)

    def _emit(self, t: _Table) -> None:
        rows = [GridRow(list(r), None, None, frozenset(c)) for r, c in zip(t.rows, t.covered)]
        if rows:
            self.items.append(TableItem(rows))

    def close(self) -> None:  # type: ignore[override]
        super().close()
        while self.tables:
            t = self.tables.pop()
            t.end_row()
            self._emit(t)
        self.flush()


def _decode(data: bytes) -> str:
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:2048], re.I)
    for enc in ([m.group(1).decode("ascii", "ignore")] if m else []) + ["utf-8-sig", "cp1252"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def read_html(data: bytes) -> Composed:
    """Read an HTML page into composed lines, tables and headings."""
    text = _decode(data)
    if "<" not in text:
        raise IngestError("not an HTML document: no markup found")
    parser = _Parser()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything else is a broken file
        raise IngestError(f"HTML could not be read: {type(exc).__name__}: {exc}") from exc
    texts = [i.text for i in parser.items if isinstance(i, TextItem)]
    texts += [c for i in parser.items if isinstance(i, TableItem) for r in i.rows for c in r.cells if c]
    return compose([PageItems(1, parser.items)], vocabulary(texts), fmt="html", paginated=False)
