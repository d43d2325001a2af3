"""PDF reader: pages to positioned words, tables from ruling lines, headings from fonts.

pdfplumber (over pdfminer.six) gives every word with its box and font. Tables come from the
ruling lines (``page.find_tables``); cell text is read from our own words, so that text layers
printed over each other are kept apart. Text outside tables becomes lines; wide gaps inside a line
become tabs (an unruled table, found later from its alignment), and a gutter crossed by long lines
on both sides splits a page into text columns. Lines set larger than the body text, or bold and
standing alone, are headings. Running headers and footers repeated on many pages are furniture.

A file that is encrypted, corrupt, or has no text layer raises ``IngestError`` with a one-line reason.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.compose import ROLE_LINE, Composed, PageItems, TableItem, TextItem, compose, is_total_row
from assistant.ingest.grid import GridRow
from assistant.ingest.layout import PARAGRAPH_GAP_LINES, Line, Word, build_lines, split_columns, vocabulary

log = logging.getLogger(__name__)

PageProgress = Callable[[int, int], None]

#: A line set this much larger than the body text is a heading.
HEADING_SIZE_RATIO = 1.15
#: A bold line is a heading when at least this share of its letters is bold ...
HEADING_BOLD_SHARE = 0.8
#: ... and it has at most this many words.
HEADING_MAX_WORDS = 16
#: Running headers and footers sit in this top / bottom share of the page ...
FURNITURE_MARGIN = 0.1
#: ... and repeat on at least this share of the pages (and on 3 pages or more).
FURNITURE_SHARE = 0.3
FURNITURE_MIN_PAGES = 3
#: Two characters of different styles overlapping by this share of their width are two layers.
CHAR_OVERLAP_SHARE = 0.5
#: A table inside another table's box by this share of its area is dropped (the outer one stays).
NESTED_SHARE = 0.9
#: A gradient or shaded cell drawn as a stack of thin filled strips: strips thinner than the page's
#: usual text size (no row of a table is thinner than the text it holds; pdfplumber snaps edges closer
#: than 3 pt together, so a stack of such strips chains every ruling line across it into one line at
#: the stack's middle), this size when the page has no text ...
STRIP_DEFAULT_THICKNESS = 8.0
#: ... abutting within this gap and sharing their two long sides within this tolerance (points) ...
STRIP_GAP = 0.6
#: ... at least this many in a run, are one shaded area: only its outline is a ruling line.
STRIP_MIN_RUN = 3

#: Words of one merged cell go to separate columns only across a gap this many times the text size.
SPLIT_GAP_EM = 2.0
#: Cells of one line of words no further apart than a word space (this many times the text size),
#: at least this many, are one text line cut by drawn lines, not columns.
WORD_GAP_EM = 0.5
RUN_MIN_CELLS = 3

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_KEY_VALUE = re.compile(r"^[^:]{1,40}:\s+\S")
_NUMBERED = re.compile(r"^(\d+)(\.\d+)*\.?\s+\S")
_PART = re.compile(r"^(section|appendix|part|chapter|annex|schedule)\b", re.I)


def _style(ch: dict) -> str:
    color = ch.get("non_stroking_color")
    return f"{ch.get('fontname', '')}|{round(float(ch.get('size', 0)), 1)}|{color}"


def _has_overprint(chars: list[dict]) -> bool:
    """Whether characters of different styles are printed over each other on this page."""
    buckets: dict[int, list[dict]] = {}
    for ch in chars:
        if ch.get("text", "").strip():
            buckets.setdefault(int(ch["top"] // 4), []).append(ch)
    for key, group in buckets.items():
        near = sorted(group + buckets.get(key + 1, []), key=lambda c: c["x0"])
        for a, b in zip(near, near[1:]):
            width = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
            if width > 0 and (a["x1"] - b["x0"]) / width > CHAR_OVERLAP_SHARE and _style(a) != _style(b) \
                    and abs(a["top"] - b["top"]) < max(a["size"], b["size"]):
                return True
    return False


def _to_words(raw: list[dict], layer: str = "") -> list[Word]:
    out = []
    for w in raw:
        font = str(w.get("fontname", ""))
        size = float(w.get("size", 10.0) or 10.0)
        out.append(Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), size,
                        bool(_BOLD.search(font)), layer))
    return out


def page_words(page) -> tuple[list[Word], set[int]]:  # page: pdfplumber.page.Page
    """The words of a page, and the indices of overprinted words.

    Where text layers are printed over each other, each style is read as its own layer; the
    words of the smaller layer that cover words of another are the overprint.
    """
    opts = {"x_tolerance": 3, "y_tolerance": 3, "keep_blank_chars": False, "extra_attrs": ["fontname", "size"]}
    if not _has_overprint(page.chars):
        return _to_words(page.extract_words(**opts)), set()
    sizes = Counter(_style(c) for c in page.chars if c.get("text", "").strip())
    words: list[Word] = []
    for s in sorted(sizes):
        layer = page.filter(lambda o, s=s: o.get("object_type") != "char" or _style(o) == s)
        words.extend(_to_words(layer.extract_words(**opts), s))
    over: set[int] = set()
    for i, a in enumerate(words):
        for b in words:
            if a.style == b.style or (a.size, -sizes[a.style]) < (b.size, -sizes[b.style]):
                continue  # the larger type (then the smaller layer) is the one printed over
            xo = min(a.x1, b.x1) - max(a.x0, b.x0)
            yo = min(a.bottom, b.bottom) - max(a.top, b.top)
            if xo > 0 and yo > 0.3 * min(a.height, b.height):
                over.add(i)
                break
    # a word of the overprint layer on the same line as overprinted words belongs to it too
    layers = {words[i].style for i in over}
    for i, w in enumerate(words):
        if w.style in layers and any(abs(words[j].centre - w.centre) < 2 and words[j].style == w.style for j in over):
            over.add(i)
    return words, over


def _inside(w: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _area(b: tuple[float, float, float, float]) -> float:
    return max(b[2] - b[0], 0) * max(b[3] - b[1], 0)


def _contained(inner, outer) -> bool:
    x0, y0 = max(inner[0], outer[0]), max(inner[1], outer[1])
    x1, y1 = min(inner[2], outer[2]), min(inner[3], outer[3])
    return _area(inner) > 0 and _area((x0, y0, x1, y1)) / _area(inner) >= NESTED_SHARE


def _cell_text(words: list[Word]) -> str:
    return "\n".join(ln.text(cells=False) for ln in build_lines(words))


def _strip_runs(rects: list[dict], height: float, thickness: float = STRIP_DEFAULT_THICKNESS
                ) -> tuple[set[int], list[dict]]:
    """Stacks of thin filled strips (a gradient fill): the ids of the strips, and one rect per stack.

    Strips are stacked top to bottom (same left and right sides) or left to right (same top and
    bottom); a run of ``STRIP_MIN_RUN`` or more abutting strips is one shaded area.
    """
    members: set[int] = set()
    merged: list[dict] = []
    for thin, a0, a1, b0, b1 in (("height", "x0", "x1", "top", "bottom"), ("width", "top", "bottom", "x0", "x1")):
        groups: dict[tuple[float, float], list[dict]] = {}
        for r in rects:
            if r.get("fill") and 0 < float(r[thin]) < thickness and float(r[a1]) - float(r[a0]) > thickness:
                groups.setdefault((round(float(r[a0])), round(float(r[a1]))), []).append(r)
        for (lo, hi), group in groups.items():
            group.sort(key=lambda r: float(r[b0]))
            run: list[dict] = []
            for r in group + [None]:  # type: ignore[list-item]
                if r is not None and run and float(r[b0]) - float(run[-1][b1]) <= STRIP_GAP and \
                        abs(float(r[a0]) - float(run[-1][a0])) <= STRIP_GAP and \
                        abs(float(r[a1]) - float(run[-1][a1])) <= STRIP_GAP:
                    run.append(r)
                    continue
                if len(run) >= STRIP_MIN_RUN:
                    members.update(id(x) for x in run)
                    box = {a0: min(float(x[a0]) for x in run), a1: max(float(x[a1]) for x in run),
                           b0: float(run[0][b0]), b1: max(float(x[b1]) for x in run)}
                    merged.append({"object_type": "rect", **box, "width": box["x1"] - box["x0"],
                                   "height": box["bottom"] - box["top"], "doctop": box["top"],
                                   "y0": height - box["bottom"], "y1": height - box["top"],
                                   "page_number": run[0].get("page_number")})
                run = [r] if r is not None else []
    return members, merged


def find_page_tables(page) -> list:  # -> list[pdfplumber.table.Table]
    """pdfplumber's tables of a page, with gradient fills read as one shaded area each.

    A cell shaded by a stack of thin strips would otherwise give a ruling line every 1-2 points,
    which pdfplumber snaps into one line at the stack's middle, losing the row lines at its edges
    (two rows read as one, a header's last line read into the first row).
    """
    sizes = sorted(float(c.get("size", 0)) for c in page.chars if c.get("text", "").strip())
    text_size = sizes[len(sizes) // 2] if sizes else STRIP_DEFAULT_THICKNESS
    strips, merged = _strip_runs(list(page.rects), float(page.height), text_size)
    if not strips:
        return page.find_tables()
    plain = page.filter(lambda o: o.get("object_type") != "rect" or id(o) not in strips)
    return plain.find_tables({"explicit_vertical_lines": merged, "explicit_horizontal_lines": merged})


def page_tables(page, words: list[Word], number: int, over: set[int] | None = None
                ) -> tuple[list[TableItem], set[int]]:
    """Tables found by ruling lines, cells read from our words; and the indices of words used.

    Overprinted words inside a table become a row of their own (a label) above the row they cover.
    """
    over = over or set()
    try:
        found = find_page_tables(page)
    except Exception as exc:  # a broken drawing must not lose the page's text
        log.warning("page %d: table finder failed: %s", number, exc)
        return [], set()
    boxes = [t.bbox for t in found]
    keep = [t for i, t in enumerate(found)
            if not any(j != i and _contained(t.bbox, boxes[j]) and _area(boxes[j]) > _area(t.bbox)
                       for j in range(len(found)))]
    used: set[int] = set()
    items: list[TableItem] = []
    for t in keep:
        if len(t.rows) < 2 or max((len(r.cells) for r in t.rows), default=0) < 2:
            boxes_1 = [b for b in t.rows[0].cells if b is not None] if len(t.rows) == 1 else []
            texts = [_cell_text([w for i, w in enumerate(words) if i not in used and _inside(w, b)]) for b in boxes_1]
            if len(boxes_1) < 2 or not is_total_row(texts):
                continue  # a framed line or a box around text: its words stay running text
            # a framed total line ("TOTAL £m | 345.0 | 290.0"): a one-row table, joined to its table later
        rows: list[GridRow] = []
        widest: list[float] = []
        widest_end: list[float] = []
        labels = [i for i in over if _inside(words[i], t.bbox)]
        used.update(labels)
        starts = _column_starts(t.rows)
        # words by cell: centre inside the cell, else (text running over a ruling line) the nearest
        # cell of the row whose height holds the word
        members: dict[tuple[int, int], list[int]] = {}
        for r, row in enumerate(t.rows):
            for j, box in enumerate(row.cells):
                if box is not None:
                    members[(r, j)] = [i for i, w in enumerate(words) if i not in used and _inside(w, box)]
                    used.update(members[(r, j)])
        for i, w in enumerate(words):
            if i in used or not _inside(w, t.bbox):
                continue
            near = [(min(abs(w.x0 - box[2]), abs(w.x1 - box[0]), 0 if box[0] <= w.x0 <= box[2] else 1e9), (r, j))
                    for r, row in enumerate(t.rows) for j, box in enumerate(row.cells)
                    if box is not None and box[1] <= w.centre <= box[3]]
            if near:
                members[min(near)[1]].append(i)
                used.add(i)
        for r, row in enumerate(t.rows):
            cells: list[str | None] = []
            xs = []
            real = [b for b in row.cells if b is not None]
            above: set[int] = set()
            for j, box in enumerate(row.cells):
                if box is None:
                    cells.append(None)
                    if not _covered_across(starts[j] if j < len(starts) else None, real):
                        above.add(j)
                    continue
                xs.append(float(box[0]))
                cells.append(_cell_text([words[i] for i in members.get((r, j), [])]))
            row_words = [[words[i] for i in members.get((r, j), [])] for j in range(len(row.cells))]
            if _text_run_across_cells(row_words):
                first_cell = next(j for j, ws in enumerate(row_words) if ws)
                text = " ".join(w.text for w in sorted((w for ws in row_words for w in ws), key=lambda w: w.x0))
                cells = [text if j == first_cell else (None if row.cells[j] is not None else c)
                         for j, c in enumerate(cells)]
            else:
                _split_merged_cells(row.cells, cells, row_words, starts)
            if len(xs) > len(widest):
                widest = xs
                widest_end = [float(b[2]) for b in row.cells if b is not None]
            bbox = (min(b[0] for b in real), min(b[1] for b in real), max(b[2] for b in real),
                    max(b[3] for b in real)) if real else None
            mine = [i for i in labels if bbox and bbox[1] <= words[i].centre <= bbox[3]]
            if mine:
                text = " ".join(ln.text(cells=False) for ln in build_lines([words[i] for i in mine]))
                rows.append(GridRow([text] + [None] * (len(row.cells) - 1), number, bbox))
                labels = [i for i in labels if i not in mine]
            rows.append(GridRow(cells, number, bbox, frozenset(above)))
        used.update(i for i, w in enumerate(words) if _inside(w, t.bbox))
        items.append(TableItem(rows, number, tuple(float(v) for v in t.bbox), widest, col_x1=widest_end))
    return items, used


def _text_run_across_cells(cell_words: list[list[Word]]) -> bool:
    """One line of running text cut into cells by drawn lines (each word of a title underlined by a
    box of its own): at least ``RUN_MIN_CELLS`` cells of words, on one line, every gap between
    neighbouring cells no wider than a word space (``WORD_GAP_EM`` times the text size)."""
    filled = [sorted(ws, key=lambda w: w.x0) for ws in cell_words if ws]
    texts = [" ".join(w.text for w in ws) for ws in filled]
    if len(filled) < RUN_MIN_CELLS or any(re.fullmatch(r"[-–(£$€]*[\d.,]+[%)kmKM]*", t) for t in texts) or \
            sum(any(c.isalpha() for c in t) for t in texts) < RUN_MIN_CELLS:
        return False  # figures side by side are a table row however close
    every = [w for ws in filled for w in ws]
    if len(build_lines(every)) != 1:
        return False
    size = max(w.size for w in every)
    return all(0 <= b[0].x0 - a[-1].x1 <= WORD_GAP_EM * size for a, b in zip(filled, filled[1:]))


def _split_merged_cells(boxes: list, cells: list[str | None], cell_words: list[list[Word]],
                        starts: list[float | None]) -> None:
    """A merged cell holding one line of words in separate columns ("Directorate ... Dir" over a name
    column and an acronym column) gives each column its own words, when a wide gap (at least
    ``SPLIT_GAP_EM`` times the text size) holds each column edge. Text running across the edges
    (a wrapped title, a group label) stays in the merged cell."""
    for j, box in enumerate(boxes):
        if box is None or not cell_words[j]:
            continue
        span = [j]
        while span[-1] + 1 < len(boxes) and boxes[span[-1] + 1] is None and span[-1] + 1 < len(starts) and \
                _covered_across(starts[span[-1] + 1], [box]):
            span.append(span[-1] + 1)
        ws = sorted(cell_words[j], key=lambda w: w.x0)
        if len(span) < 2 or len(build_lines(ws)) != 1:
            continue
        groups: dict[int, list[Word]] = {}
        for w in ws:
            col = max(c for c in span if c == j or (starts[c] is not None and w.x0 >= starts[c]))
            groups.setdefault(col, []).append(w)
        if len(groups) < 2:
            continue
        cols = sorted(groups)
        size = max(w.size for w in ws)
        if any(groups[b][0].x0 - groups[a][-1].x1 < SPLIT_GAP_EM * size or groups[a][-1].x1 > (starts[b] or 0)
               for a, b in zip(cols, cols[1:])):
            continue
        for c in span:
            cells[c] = " ".join(w.text for w in groups[c]) if c in groups else ""


def _column_starts(rows) -> list[float | None]:
    """The left edge of each column of a pdfplumber table, from whichever row has a cell there."""
    width = max((len(r.cells) for r in rows), default=0)
    starts: list[float | None] = [None] * width
    for r in rows:
        for j, box in enumerate(r.cells):
            if box is not None and (starts[j] is None or box[0] < starts[j]):
                starts[j] = float(box[0])
    return starts


def _covered_across(x: float | None, real: list) -> bool:
    """Whether a column starting at x is covered by a wider cell of the same row (a horizontal
    merge), as opposed to a taller cell of a row above."""
    return x is not None and any(b[0] + 1 < x < b[2] - 1 for b in real)


def _line_item(line: Line, number: int) -> TextItem:
    return TextItem(line.text(cells=True), number, (line.x0, line.top, line.x1, line.bottom))


def page_items(page, number: int) -> tuple[PageItems, list[tuple[Line, TextItem]]]:
    """Items of one page in reading order, and the text lines with their geometry."""
    if not any(c.get("text", "").strip() for c in page.chars):
        return PageItems(number, [], has_text=False), []
    words, over = page_words(page)
    tables, used = page_tables(page, words, number, over)
    free = [w for i, w in enumerate(words) if i not in used]
    columns = split_columns(free)
    placed: list[tuple[int, float, TextItem | TableItem]] = []
    geometry: list[tuple[Line, TextItem]] = []
    for col, lines in enumerate(columns):
        prev: Line | None = None
        for ln in lines:
            item = _line_item(ln, number)
            if prev is not None and len(ln.segments()) > 1 and len(prev.segments()) > 1:
                item.new_block = False  # rows of a table drawn without lines stay one block
            elif prev is not None:
                gap = ln.top - prev.bottom
                item.new_block = gap > (PARAGRAPH_GAP_LINES - 1) * max(ln.size, prev.size) or \
                    abs(ln.size - prev.size) > 0.5 or (ln.bold_share >= HEADING_BOLD_SHARE) != (prev.bold_share >= HEADING_BOLD_SHARE)
            placed.append((col, ln.top, item))
            geometry.append((ln, item))
            prev = ln
    for t in tables:
        placed.append((0, t.bbox[1] if t.bbox else 0.0, t))
    if len(columns) > 1:
        placed.sort(key=lambda p: (p[0], p[1]))
    else:
        placed.sort(key=lambda p: p[1])
    return PageItems(number, [p[2] for p in placed]), geometry


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def mark_furniture(pages: list[PageItems], geometry: dict[int, list[tuple[Line, TextItem]]],
                   heights: dict[int, float]) -> None:
    """Running headers/footers: text repeated near the top or bottom of many pages (the first
    occurrence stays content), and bare page numbers."""
    n = len(pages)
    counts: Counter[str] = Counter()
    for p in pages:
        seen = set()
        for item in p.items:
            key = _item_key(item)
            if key and key not in seen and _near_edge(item, heights.get(p.number, 0)):
                seen.add(key)
        counts.update(seen)
    threshold = max(FURNITURE_MIN_PAGES, FURNITURE_SHARE * n)
    first_seen: set[str] = set()
    for p in pages:
        for item in p.items:
            key = _item_key(item)
            if not key:
                continue
            repeated = counts[key] >= threshold and _near_edge(item, heights.get(p.number, 0))
            page_no = isinstance(item, TextItem) and re.fullmatch(r"(page\s*)?#(\s*of\s*#)?", key) is not None \
                and _near_edge(item, heights.get(p.number, 0))
            if page_no or (repeated and key in first_seen):
                item.furniture = True
            if repeated:
                first_seen.add(key)


def _item_key(item: TextItem | TableItem) -> str:
    if isinstance(item, TextItem):
        return _furniture_key(item.text)
    if len(item.rows) == 1:
        return _furniture_key(" ".join(c or "" for c in item.rows[0].cells))
    return ""


def _near_edge(item: TextItem | TableItem, height: float) -> bool:
    if not item.bbox or not height:
        return False
    return item.bbox[1] <= height * FURNITURE_MARGIN or item.bbox[3] >= height * (1 - FURNITURE_MARGIN)


#: A section number set apart from its title by a wide gap (read as a tab): "7.\tFinancial Implications".
_NUMBER_TAB = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*\.?)\t([^\t]+)$")


def mark_headings(pages: list[PageItems], geometry: dict[int, list[tuple[Line, TextItem]]]) -> None:
    """Headings from fonts: larger than the body text, or bold and standing alone."""
    sizes: Counter[float] = Counter()
    for lines in geometry.values():
        for ln, item in lines:
            sizes[round(ln.size, 1)] += len(item.text)
    if not sizes:
        return
    body = sizes.most_common(1)[0][0]
    candidates: list[tuple[Line, TextItem, bool]] = []
    for number in sorted(geometry):
        lines = geometry[number]
        prev: tuple[Line, TextItem, bool] | None = None
        for k, (ln, item) in enumerate(lines):
            numbered = _NUMBER_TAB.match(item.text)
            if numbered and ln.bold_share >= HEADING_BOLD_SHARE:
                # "7.<gap>Financial Implications": a numbered heading whose number stands apart, not a table row
                item.text = f"{numbered.group(1)} {numbered.group(2).strip()}"
            if item.furniture or "\t" in item.text:
                prev = None
                continue
            if prev is not None and not item.new_block and round(ln.size, 1) == round(prev[0].size, 1) and \
                    (ln.bold_share >= HEADING_BOLD_SHARE) == (prev[0].bold_share >= HEADING_BOLD_SHARE) and \
                    len(item.text.split()) <= HEADING_MAX_WORDS:
                prev = (ln, item, prev[2])  # the next line of a heading set over two lines ("... 2025-26")
                candidates.append(prev)
                continue
            prev = None
            nxt = lines[k + 1][1] if k + 1 < len(lines) else None
            if nxt is not None and not nxt.new_block and nxt.text[:1].islower():
                continue  # the first line of a paragraph that happens to be bold
            text = item.text.strip()
            words = text.split()
            if not words or len(words) > HEADING_MAX_WORDS or not re.search(r"[A-Za-z]{2}", text):
                continue
            large = ln.size >= body * HEADING_SIZE_RATIO
            bold = ln.bold_share >= HEADING_BOLD_SHARE and ln.size >= body - 0.5
            if not (large or bold):
                continue
            if not large and (text.endswith((".", ",", ";")) or _KEY_VALUE.match(text) or text[0].islower()):
                continue
            if ROLE_LINE.match(text):
                continue  # "Corporate Director: Richard Smith" says who, under a heading
            prev = (ln, item, large)
            candidates.append(prev)
    head_sizes = sorted({round(ln.size, 1) for ln, _, large in candidates if large}, reverse=True)
    for ln, item, large in candidates:
        level = 2 if large and head_sizes and round(ln.size, 1) == head_sizes[0] else 3
        text = item.text.strip()
        m = _NUMBERED.match(text)
        if m:
            level = 2 if m.group(2) is None else 3
        if _PART.match(text):
            level = 2
        item.heading = level
    _merge_heading_runs(pages)


def _merge_heading_runs(pages: list[PageItems]) -> None:
    """A heading set over several lines ("Improving Health and / Wellbeing ~ ...") is one heading."""
    for p in pages:
        out: list[TextItem | TableItem] = []
        for item in p.items:
            prev = out[-1] if out else None
            if isinstance(item, TextItem) and isinstance(prev, TextItem) and item.heading is not None \
                    and prev.heading == item.heading and not item.new_block and not _PART.match(item.text) \
                    and not _NUMBERED.match(item.text):
                prev.text = f"{prev.text.strip()} {item.text.strip()}"
                if prev.bbox and item.bbox:
                    prev.bbox = (min(prev.bbox[0], item.bbox[0]), prev.bbox[1], max(prev.bbox[2], item.bbox[2]),
                                 item.bbox[3])
                continue
            out.append(item)
        p.items = out


def open_pdf(path: Path):  # -> pdfplumber.PDF
    """Open a PDF, turning encrypted and corrupt files into one-line ``IngestError`` reasons."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # parses the page tree: corrupt files fail here
        return pdf
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower() or \
                "encrypt" in str(cause).lower():
            raise IngestError("encrypted PDF: it needs a password to open; save an unprotected copy") from exc
        raise IngestError(f"corrupt PDF: cannot be read ({type(cause).__name__}: {cause})".rstrip(": )") + ")") from exc
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise IngestError(f"corrupt PDF: cannot be read ({type(exc).__name__})") from exc


def read_pdf(path: Path, progress: PageProgress | None = None) -> Composed:
    """Read a PDF into composed lines, tables, headings and page spans."""
    pdf = open_pdf(path)
    try:
        total = len(pdf.pages)
        pages: list[PageItems] = []
        geometry: dict[int, list[tuple[Line, TextItem]]] = {}
        heights: dict[int, float] = {}
        texts: list[str] = []
        for i, page in enumerate(pdf.pages, start=1):
            if progress:
                progress(i - 1, total)
            try:
                items, lines = page_items(page, i)
            except Exception as exc:  # one damaged page must not lose the others
                log.warning("%s page %d unreadable: %s", path.name, i, exc)
                items, lines = PageItems(i, [], has_text=False), []
            pages.append(items)
            geometry[i] = lines
            heights[i] = float(page.height)
            texts.extend(it.text for _, it in lines)
            for t in items.items:
                if isinstance(t, TableItem):
                    texts.extend(c for r in t.rows for c in r.cells if c)
            page.flush_cache()
        if progress:
            progress(total, total)
    finally:
        pdf.close()
    if total == 0:
        raise IngestError("PDF has no pages")
    if all(not p.has_text for p in pages):
        raise IngestError("no text layer (scanned or image-only PDF); OCR is not supported")
    mark_furniture(pages, geometry, heights)
    mark_headings(pages, geometry)
    return compose(pages, vocabulary(texts), fmt="pdf")
