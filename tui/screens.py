"""Secondary screens: source viewer, table view, help, history search, filters and the first-run ingest.

Every dialog opens with its first control focused; text from data is shown as ``Text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, OptionList, ProgressBar, Select, Static
from textual.widgets.option_list import Option

from assistant.models import Answer, Citation, Filters
from tui.backend import FilterOptions, Heading
from tui.export import page_of
from tui.history import History
from tui.keys import WIDGET_KEYS, KeySpec, display_key
from tui.pages import PageMap, page_span, with_page
from tui.rows import RowView, is_date_column, row_view, short, sort_key
from tui.source_view import SourceView
from tui.text import one_line, safe
from tui.widgets import place_label, span_text

LEAD_LINES = 3  # lines of context kept visible above a cited span or a match
PAGE_REQUEST = re.compile(r"(?:p|page)\s*\.?\s*(\d+)")  # "p 5", "p5", "page 5" in the go-to prompt
TABLE_CELL_CHARS = 40  # widest cell in the table view; the detail pane shows the whole text


class PromptInput(Input):
    """A one-line prompt inside a screen: Esc hides it instead of closing the screen."""

    BINDINGS = [Binding("escape", "dismiss_prompt", "Close prompt", show=False)]

    class Dismissed(Message):
        """The user left the prompt with Esc."""

    def action_dismiss_prompt(self) -> None:
        self.post_message(self.Dismissed())


@dataclass
class SourceDocs:
    """What the source viewer shows: each cited file's lines, section headings and line pages."""

    lines: dict[str, list[str]]
    outlines: dict[str, list[Heading]]
    pages: dict[str, tuple[int | None, ...]] = field(default_factory=dict)


class SourceScreen(Screen[None]):
    """A whole cited file, scrolled to the cited span, which is highlighted; search, go to a line
    or a section, and step through the answer's citations."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("slash", "prompt('search')", "Search"),
        Binding("n", "match(1)", "Next match"),
        Binding("N", "match(-1)", "Prev match", show=False),
        Binding("g", "prompt('goto')", "Go to line"),
        Binding("s", "sections", "Sections"),
        Binding("right_square_bracket", "step(1)", "Next source"),
        Binding("left_square_bracket", "step(-1)", "Prev source"),
        Binding("p", "page(1)", "Next page"),
        Binding("P", "page(-1)", "Prev page"),
    ]
    LETTER_ACTIONS = frozenset({"prompt", "match", "sections", "step", "close", "page"})

    def __init__(self, citations: tuple[Citation, ...], index: int, docs: SourceDocs) -> None:
        super().__init__()
        self.citations = citations
        self.index = index
        self.docs = docs
        self.prompt_mode = ""
        self.found: list[int] = []
        self.found_at = -1
        self.message = ""  # the status line's message, after "page N of M" for a PDF
        self.message_is_error = False

    @property
    def citation(self) -> Citation:
        return self.citations[self.index]

    @property
    def lines(self) -> list[str]:
        return self.docs.lines.get(self.citation.file, [])

    @property
    def pages(self) -> tuple[int | None, ...]:
        return self.docs.pages.get(self.citation.file, ())

    def page(self) -> int | None:
        """The cited page: from the page of its first line, else from the citation."""
        return PageMap(self.pages).page_of(self.citation.line_start) or page_of(self.citation)

    def placed(self) -> Citation:
        """The citation with its page and its lines on that page, for a PDF (as cited)."""
        placed = PageMap(self.pages).cite(self.citation)
        return placed if placed is not self.citation else with_page(self.citation, page_of(self.citation))

    @property
    def view(self) -> SourceView:
        return self.query_one(SourceView)

    def compose(self) -> ComposeResult:
        yield Static(id="source-head")
        yield SourceView(self.lines, self._span(), self.pages, id="source-body")
        yield PromptInput(id="source-prompt")
        yield Static(id="source-status")
        yield Footer(show_command_palette=False)

    def _span(self) -> tuple[int, int]:
        c = self.citation
        return max(1, c.line_start), max(c.line_start, c.line_end)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letter keys type into the prompt while it is open."""
        if action in self.LETTER_ACTIONS and self.query_one(PromptInput).has_focus:
            return False
        if action == "page" and not self.pages:
            return False  # a source without pages: no page keys in the footer
        return True

    def on_mount(self) -> None:
        self.query_one(PromptInput).display = False
        self.view.focus()
        self.watch(self.view, "scroll_y", self._scrolled, init=False)
        self.call_after_refresh(self.show_citation)

    def _scrolled(self) -> None:
        self._render_status()

    def show_citation(self) -> None:
        """Show the current citation's file, its span highlighted, with context above it."""
        c = self.citation
        start, end = self._span()
        total = len(self.lines)
        placed = self.placed()
        count = PageMap(self.pages).count
        span = page_span(placed)
        place = (f"page {placed.page} of {count} · {span_text(*span)}" if count and span and placed.page
                 else f"{place_label(placed)} of {total}")
        head = Text.assemble((f"[{self.index + 1}/{len(self.citations)}] ", "bold"),
                             (one_line(c.title or c.file), "bold"), f"  {one_line(c.file)}\n",
                             (one_line(c.section), "italic"), f"  ·  {place}")
        self.query_one("#source-head", Static).update(head)
        self.view.set_document(self.lines, (start, end), self.pages)
        if start > total:
            self.set_status(f"The cited lines {start}–{end} are beyond the end of {one_line(c.file)} ({total} "
                            "lines): the file changed since it was indexed; run `plan-assistant ingest`.", error=True)
            return
        self.view.show_span(start, end, lead=LEAD_LINES)
        self.set_status(self.hint())

    def hint(self) -> str:
        placed = self.placed()
        span = page_span(placed) or self._span()
        where = f"p. {placed.page} · " if page_of(placed) else ""
        keys = " · p / P next / previous page" if self.pages else ""
        return f"{where}{span_text(*span)} highlighted (the cited text){keys}"

    def set_status(self, message: str, error: bool = False) -> None:
        """Show ``message``; for a PDF after "page N of M", the page being read (kept up to date)."""
        self.message, self.message_is_error = message, error
        self._render_status()

    def _render_status(self) -> None:
        text = Text()
        page = self.view.current_page() if self.pages else None
        if page is not None:
            text.append(f"page {page} of {self.view.page_map.count}", style="bold")
            if self.message:
                text.append(" · ")
        text.append(safe(self.message), style="bold red" if self.message_is_error else "")
        self.query_one("#source-status", Static).update(text)

    # -- actions ------------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_page(self, delta: int) -> None:
        """Go to the next (or previous) page of a PDF source."""
        current = self.view.current_page()
        if current is None:
            return
        target = self.view.page_map.step(current, delta)
        if target is None:
            self.set_status("This is the " + ("last" if delta > 0 else "first") + " page.")
            return
        self.view.go_to_page(target)
        self.set_status(self.hint() if self.page() == target else "p / P next / previous page")

    def action_step(self, delta: int) -> None:
        if len(self.citations) > 1:
            self.index = (self.index + delta) % len(self.citations)
            if self.citation.file not in self.docs.lines:
                self.set_status(f"{one_line(self.citation.file)} could not be loaded", error=True)
                return
            self.show_citation()

    def action_prompt(self, mode: str) -> None:
        prompt = self.query_one(PromptInput)
        self.prompt_mode = mode
        pages = ", p 5 for a page," if self.pages else ""
        prompt.placeholder = ("search this document (Enter finds; n / N step through matches)" if mode == "search"
                              else f"go to: a line number{pages} or words of a section heading")
        prompt.value = self.view.search_text if mode == "search" else ""
        prompt.display = True
        prompt.focus()

    def on_prompt_input_dismissed(self) -> None:
        self._close_prompt()

    def _close_prompt(self) -> None:
        prompt = self.query_one(PromptInput)
        prompt.display = False
        self.view.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self._close_prompt()
        if not text:
            return
        if self.prompt_mode == "search":
            self.search(text)
        else:
            self.go_to(text)

    def search(self, text: str) -> None:
        """Find ``text``; jump to the first match at or after the top of the view."""
        self.found = self.view.matches(text)
        if not self.found:
            self.view.set_search("")
            self.set_status(f"No match for “{one_line(text)}” in this document.", error=True)
            return
        top = self.view.top_line()
        self.found_at = next((i for i, n in enumerate(self.found) if n >= top), 0)
        self.view.set_search(text)
        self._show_match()

    def action_match(self, delta: int) -> None:
        if not self.found:
            self.set_status("No search yet: press / and type what to find.")
            return
        self.found_at = (self.found_at + delta) % len(self.found)
        self._show_match()

    def _show_match(self) -> None:
        line = self.found[self.found_at]
        self.view.set_search(self.view.search_text, current_line=line)
        self.view.scroll_to_line(line, lead=LEAD_LINES)
        self.set_status(f"match {self.found_at + 1} of {len(self.found)} for “{one_line(self.view.search_text)}” "
                        f"at line {line} · n / N next / previous · / new search")

    def go_to(self, text: str) -> None:
        """A line number, or the first section heading containing the words of ``text``."""
        wanted_page = PAGE_REQUEST.fullmatch(text.casefold())
        if wanted_page and self.pages:
            page = int(wanted_page.group(1))
            if self.view.page_map.first_line(page) is None:
                self.set_status(f"There is no page {page} with text (the last is page {self.view.page_map.count}).",
                                error=True)
                return
            self.view.go_to_page(page)
            self.set_status("")
            return
        if text.isdigit():
            line = max(1, min(int(text), len(self.lines)))
            self.view.scroll_to_line(line, lead=0)
            page = self.view.page_of(line)
            where = f" (page {page}, line {self.view.page_map.local(line)} on the page)" if page else ""
            self.set_status(f"line {line} of {len(self.lines)}{where}")
            return
        words = text.casefold().split()
        for heading in self.outline():
            if all(w in heading.heading.casefold() for w in words):
                self.jump_to_heading(heading)
                return
        self.set_status(f"No section heading contains “{one_line(text)}”; press s to list them.", error=True)

    def outline(self) -> list[Heading]:
        return self.docs.outlines.get(self.citation.file, [])

    def jump_to_heading(self, heading: Heading) -> None:
        self.view.scroll_to_line(heading.line, lead=0)
        self.set_status(f"section “{one_line(heading.heading)}” at line {heading.line}")

    def action_sections(self) -> None:
        headings = self.outline()
        if not headings:
            self.set_status("No section headings are known for this document.", error=True)
            return
        self.app.push_screen(SectionsScreen(headings), self._section_chosen)

    def _section_chosen(self, heading: Heading | None) -> None:
        if heading is not None:
            self.jump_to_heading(heading)


class SectionsScreen(ModalScreen[Heading | None]):
    """The section headings of a document; type to narrow, Enter jumps."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("down", "to_list", show=False)]

    def __init__(self, headings: list[Heading]) -> None:
        super().__init__()
        self.headings = headings
        self.shown: list[Heading] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="sections-box", classes="dialog"):
            yield Static("Jump to a section", classes="dialog-title")
            yield Input(placeholder="type to narrow…", id="sections-search")
            yield OptionList(id="sections-list")
            yield Static("Enter jumps · ↓ to the list · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#sections-search", Input).focus()

    def _fill(self, text: str) -> None:
        words = text.casefold().split()
        self.shown = [h for h in self.headings if all(w in h.heading.casefold() for w in words)]
        options = self.query_one("#sections-list", OptionList)
        options.clear_options()
        top = min((h.level for h in self.headings), default=0)
        options.add_options([Option(Text(f"{'  ' * max(0, h.level - top)}{one_line(h.heading)}  · line {h.line}"))
                             for h in self.shown] or [Option("(no matching section)", disabled=True)])
        options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one("#sections-list", OptionList).highlighted
        if self.shown and highlighted is not None:
            self.dismiss(self.shown[highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.shown:
            self.dismiss(self.shown[event.option_index])

    def action_to_list(self) -> None:
        self.query_one("#sections-list", OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class TableScreen(Screen[None]):
    """Every row and column of an answer: sortable, scrolls sideways, the whole text of the row
    under the cursor in a pane below, Enter shows it in a dialog, o opens its source line."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("s", "sort", "Sort by column"),
        Binding("o", "source", "Source line"),
        Binding("d", "toggle_detail", "Detail pane"),
    ]

    class OpenSource(Message):
        """Open the source viewer at ``row`` of ``answer``."""

        def __init__(self, answer: Answer, row: int) -> None:
            super().__init__()
            self.answer, self.row = answer, row

    def __init__(self, answer: Answer, row: int = 0) -> None:
        super().__init__()
        self.answer = answer
        self.view: RowView = row_view(answer)
        self.order = list(range(len(self.view.rows)))
        self.sorted_by: int | None = None
        self.descending = False
        self.start_row = row

    @property
    def table(self) -> DataTable:
        return self.query_one("#table-rows", DataTable)

    def compose(self) -> ComposeResult:
        yield Static(id="table-head")
        yield DataTable(id="table-rows", cursor_type="cell", zebra_stripes=True)
        with VerticalScroll(id="table-detail"):
            yield Static(id="table-detail-text")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._fill()
        table = self.table
        table.move_cursor(row=max(0, min(self.start_row, len(self.order) - 1)), column=0)
        table.focus()
        self._update_head()
        self._update_detail()

    def _fill(self) -> None:
        table = self.table
        table.clear(columns=True)
        for i, title in enumerate(self.view.titles):
            arrow = (" ↓" if self.descending else " ↑") if i == self.sorted_by else ""
            table.add_column(Text(short(title, TABLE_CELL_CHARS) + arrow), key=str(i))
        for original in self.order:
            table.add_row(*(Text(short(v, TABLE_CELL_CHARS)) for v in self.view.rows[original]),
                          key=str(original))

    def _update_head(self) -> None:
        a, view = self.answer, self.view
        sort = ""
        if self.sorted_by is not None:
            order = "(high to low)" if self.descending else "(low to high)"
            sort = f" · sorted by {view.titles[self.sorted_by]} {order}"
        head = Text.assemble((one_line(a.question), "bold"), "\n",
                             f"{len(view.rows)} row{'s' if len(view.rows) != 1 else ''} · {view.width} columns{sort}"
                             " · ←/→ columns (scrollbar below) · s sort · Enter whole row · o source"
                             " · Esc back")
        self.query_one("#table-head", Static).update(head)

    def current(self) -> tuple[int, int]:
        """(original row index, column index) under the cursor."""
        coordinate = self.table.cursor_coordinate
        row = self.order[coordinate.row] if 0 <= coordinate.row < len(self.order) else 0
        return row, coordinate.column

    def _update_detail(self) -> None:
        if not self.order:
            return
        row, column = self.current()
        text = Text()
        text.append(f"Row {self.order.index(row) + 1} of {len(self.order)} · column {column + 1} of "
                    f"{self.view.width}: {self.view.titles[column]}\n", style="bold")
        for i, (title, value) in enumerate(zip(self.view.titles, self.view.rows[row])):
            text.append(f"{title}: ", style="bold reverse" if i == column else "bold")
            text.append(f"{value}\n")
        source = self.view.sources[row]
        if source is not None:
            text.append(f"Source: {one_line(source.file)} {place_label(source)} (press o)", style="dim")
        self.query_one("#table-detail-text", Static).update(text)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._update_detail()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row, column = self.current()
        self.app.push_screen(RowScreen(self.answer, self.view, row, column))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort(event.column_index)

    def action_sort(self) -> None:
        self.sort(self.table.cursor_coordinate.column)

    def sort(self, column: int) -> None:
        """Sort by ``column`` (numbers as numbers, empty cells last); again reverses the order."""
        row, _ = self.current()
        self.descending = not self.descending if self.sorted_by == column else False
        self.sorted_by = column
        cells = [row[column] for row in self.view.rows]
        dates = is_date_column(cells)
        filled = [i for i, cell in enumerate(cells) if cell.strip()]
        empty = [i for i, cell in enumerate(cells) if not cell.strip()]
        filled.sort(key=lambda i: sort_key(cells[i], dates), reverse=self.descending)
        self.order = filled + empty
        self._fill()
        self.table.move_cursor(row=self.order.index(row), column=column)
        self._update_head()
        self._update_detail()

    def action_source(self) -> None:
        row, _ = self.current()
        if self.view.sources[row] is None:
            self.notify("This row has no source line.", severity="warning")
            return
        self.post_message(self.OpenSource(self.answer, row))

    def action_toggle_detail(self) -> None:
        detail = self.query_one("#table-detail")
        detail.display = not detail.display

    def action_close(self) -> None:
        self.dismiss(None)


class RowScreen(ModalScreen[None]):
    """One row of an answer, every cell in full."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close"), Binding("o", "source", "Source line")]

    def __init__(self, answer: Answer, view: RowView, row: int, column: int = 0) -> None:
        super().__init__()
        self.answer, self.view, self.row, self.column = answer, view, row, column

    def compose(self) -> ComposeResult:
        text = Text()
        for i, (title, value) in enumerate(zip(self.view.titles, self.view.rows[self.row])):
            text.append(f"{title}\n", style="bold reverse" if i == self.column else "bold")
            text.append(f"{value or '(empty)'}\n\n")
        source = self.view.sources[self.row]
        if source is not None:
            text.append(f"Source: {one_line(source.file)} {place_label(source)} · o opens it", style="dim")
        with VerticalScroll(id="row-box", classes="dialog"):
            yield Static(f"Row {self.row + 1} of {len(self.view.rows)}", classes="dialog-title")
            yield Static(text)
            yield Static("Esc or Enter closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#row-box").focus()

    def action_source(self) -> None:
        if self.view.sources[self.row] is not None:
            self.dismiss(None)
            self.app.post_message(TableScreen.OpenSource(self.answer, self.row))

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key, from the key table in use."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, keymap: tuple[KeySpec, ...]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("Does")
        for spec in self.keymap:
            table.add_row(display_key(spec.keys), spec.description)
        table.add_row(display_key(self.app.COMMAND_PALETTE_BINDING), "Command palette: every action by name, themes")
        for keys, does in WIDGET_KEYS:
            table.add_row(keys, does)
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("Plan Assistant: keys", classes="dialog-title")
            yield Static(table)
            yield Static("Keys can be changed in $PLAN_ASSISTANT_HOME/tui-keys.json, "
                         'e.g. {"export": "ctrl+e"}. Esc closes.', classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class HistoryScreen(ModalScreen[str | None]):
    """Search earlier questions; Enter puts the chosen one in the question box."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("down", "to_list", show=False)]

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history
        self.found: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box", classes="dialog"):
            yield Static("Question history", classes="dialog-title")
            yield Input(placeholder="type to search…", id="history-search")
            yield OptionList(id="history-list")
            yield Static("Enter picks · ↓ to the list · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#history-search", Input).focus()

    def _fill(self, text: str) -> None:
        options = self.query_one("#history-list", OptionList)
        options.clear_options()
        self.found = self.history.search(text)
        if self.found:
            options.add_options([Option(Text(one_line(q))) for q in self.found])
            options.highlighted = 0
        else:
            options.add_option(Option("(no matching question)", disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one("#history-list", OptionList).highlighted
        if self.found and highlighted is not None:
            self.dismiss(self.found[highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.found:
            self.dismiss(self.found[event.option_index])

    def action_to_list(self) -> None:
        self.query_one("#history-list", OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class FiltersScreen(ModalScreen[Filters | None]):
    """Choose a council, document and department; returns the new Filters (None = unchanged).

    Opens with the council choice focused; the documents narrow to the chosen council and the
    departments to the chosen document (or council)."""

    BINDINGS = [Binding("escape", "close", "Cancel")]

    def __init__(self, options: FilterOptions, current: Filters) -> None:
        super().__init__()
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        o, c = self.options, self.current
        council = c.council if c.council in o.councils else None
        docs = o.documents_of(council)
        document = c.document if c.document in {d.doc_id for d in docs} else None
        departments = o.departments_of(council, document)
        with VerticalScroll(id="filters-box", classes="dialog"):
            yield Static("Filters", classes="dialog-title")
            yield Label("Council")
            yield Select([(Text(one_line(x)), x) for x in o.councils], value=council or Select.NULL,
                         prompt="any council", id="filter-council")
            yield Label("Document")
            yield Select(self._doc_options(docs), value=document or Select.NULL, prompt="any document",
                         id="filter-document")
            yield Label("Department")
            yield Select([(Text(one_line(x)), x) for x in departments],
                         value=c.department if c.department in departments else Select.NULL,
                         prompt="any department", id="filter-department")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")
            yield Static("Tab moves · Enter opens a list or presses a button · Esc cancels", classes="dialog-hint")

    @staticmethod
    def _doc_options(docs: tuple) -> list[tuple[Text, str]]:
        return [(Text(one_line(d.title)), d.doc_id) for d in docs]

    def on_mount(self) -> None:
        self.query_one("#filter-council", Select).focus()

    def _value(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else str(value)

    def on_select_changed(self, event: Select.Changed) -> None:
        """Narrow the dependent choices, keeping a still-valid choice."""
        if event.select.id == "filter-council":
            council = self._value("filter-council")
            docs = self.options.documents_of(council)
            self._reset(self.query_one("#filter-document", Select), self._doc_options(docs),
                        {d.doc_id for d in docs})
        if event.select.id in ("filter-council", "filter-document"):
            departments = self.options.departments_of(self._value("filter-council"), self._value("filter-document"))
            self._reset(self.query_one("#filter-department", Select),
                        [(Text(one_line(x)), x) for x in departments], set(departments))

    @staticmethod
    def _reset(select: Select, options: list[tuple[Text, str]], allowed: set[str]) -> None:
        value = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if value is not Select.NULL and value in allowed:
                select.value = value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.dismiss(Filters(self._value("filter-council"), self._value("filter-document"),
                                 self._value("filter-department")))
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class IngestScreen(Screen[None]):
    """First run: the corpus is parsed and indexed, with a progress bar per stage."""

    def compose(self) -> ComposeResult:
        with Vertical(id="ingest-box"):
            yield Static("Building the index (first run)", classes="dialog-title")
            yield Static("Parsing the corpus into DuckDB, then embedding passages and rows. This happens "
                         "once (about 1–2 minutes for the bundled corpus); later starts take a few seconds.",
                         classes="dialog-hint")
            yield Label("starting…", id="ingest-stage")
            yield ProgressBar(total=None, show_eta=False, id="ingest-bar")
            yield Static(id="ingest-log")

    def __init__(self) -> None:
        super().__init__()
        self.stage = ""
        self.finished: list[str] = []

    def update_progress(self, stage: str, done: int, total: int) -> None:
        """Show the current stage and its progress; earlier stages are listed as done."""
        if stage != self.stage:
            if self.stage:
                self.finished.append(self.stage)
                finished = "\n".join(f"✓ {one_line(s)}" for s in self.finished)
                self.query_one("#ingest-log", Static).update(Text(finished))
            self.stage = stage
            self.query_one("#ingest-stage", Label).update(Text(one_line(stage)))
        self.query_one("#ingest-bar", ProgressBar).update(total=total if total > 0 else None, progress=done)

    def show_failure(self, message: str) -> None:
        self.query_one("#ingest-stage", Label).update(Text(f"Ingest failed: {safe(message)}", style="bold red"))
