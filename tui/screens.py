"""Secondary screens: source viewer, help, history search, filters and the first-run ingest."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, ProgressBar, Select, Static
from textual.widgets.option_list import Option

from assistant.models import Citation, Filters
from tui.backend import FilterOptions
from tui.history import History
from tui.keys import WIDGET_KEYS, KeySpec, display_key
from tui.widgets import span_text

CONTEXT_LINES = 15  # lines shown before and after a cited span; "+" adds more
LEAD_LINES = 3  # lines of context kept visible above the span


class SourceLine(Horizontal):
    """One numbered line of a source file: a gutter and the text, wrapped with a hanging indent."""

    def __init__(self, number: int, text: str, cited: bool) -> None:
        super().__init__(classes="cited" if cited else "")
        self.number = number
        self.text = text

    def compose(self) -> ComposeResult:
        cited = self.has_class("cited")
        yield Static(f"{self.number:>5} {'▌' if cited else ' '}", classes="gutter")
        yield Static(Text(self.text.expandtabs(4)), classes="line-text")


class SourceScreen(Screen[None]):
    """A cited file around the cited line span, which is highlighted and scrolled into view."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("right_square_bracket,n", "step(1)", "Next source"),
        Binding("left_square_bracket,p", "step(-1)", "Prev source"),
        Binding("plus,equals_sign", "more_context", "More context"),
    ]

    def __init__(self, citations: tuple[Citation, ...], index: int, lines: dict[str, list[str]]) -> None:
        super().__init__()
        self.citations = citations
        self.index = index
        self.lines = lines  # file -> its lines, read by the caller (a worker)
        self.context = CONTEXT_LINES

    @property
    def citation(self) -> Citation:
        return self.citations[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="source-head")
        yield VerticalScroll(id="source-body")
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        await self.render_source()

    async def render_source(self) -> None:
        """(Re)build the header and the visible window of lines, then scroll to the span."""
        c = self.citation
        lines = self.lines.get(c.file, [])
        total = len(lines)
        start, end = max(1, c.line_start), max(c.line_start, c.line_end)
        head = Text.assemble((f"[{self.index + 1}/{len(self.citations)}] ", "bold"),
                             (c.title or c.file, "bold"), f"  {c.file}\n",
                             (c.section or "", "italic"),
                             f"  ·  {span_text(start, end)} of {total}")
        self.query_one("#source-head", Static).update(head)
        body = self.query_one("#source-body", VerticalScroll)
        await body.remove_children()
        if start > total:
            await body.mount(Static(f"The cited lines {start}–{end} are beyond the end of {c.file} ({total} lines): "
                                    "the file changed since it was indexed; run `plan-assistant ingest`.",
                                    classes="source-warning"))
            return
        lo, hi = max(1, start - self.context), min(total, end + self.context)
        widgets = [SourceLine(n, lines[n - 1], start <= n <= end) for n in range(lo, hi + 1)]
        await body.mount_all(widgets)
        anchor = widgets[max(0, start - lo - LEAD_LINES)]  # a few lines of context above the span
        self.call_after_refresh(body.scroll_to_widget, anchor, animate=False, top=True)

    def action_close(self) -> None:
        self.dismiss(None)

    async def action_step(self, delta: int) -> None:
        if len(self.citations) > 1:
            self.index = (self.index + delta) % len(self.citations)
            if self.citation.file not in self.lines:
                self.notify(f"{self.citation.file} was not loaded", severity="warning")
                return
            await self.render_source()

    async def action_more_context(self) -> None:
        self.context += CONTEXT_LINES * 2
        await self.render_source()


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
        for keys, does in WIDGET_KEYS:
            table.add_row(keys, does)
        table.add_row(display_key(self.app.COMMAND_PALETTE_BINDING), "Command palette (themes, screenshots)")
        with VerticalScroll(id="help-box"):
            yield Static("Plan Assistant: keys", classes="dialog-title")
            yield Static(table)
            yield Static("Keys can be changed in $PLAN_ASSISTANT_HOME/tui-keys.json, "
                         'e.g. {"export": "ctrl+e"}. Esc closes.', classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class HistoryScreen(ModalScreen[str | None]):
    """Search earlier questions; Enter puts the chosen one in the question box."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("down", "to_list", show=False)]

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box"):
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
        found = self.history.search(text)
        if found:
            options.add_options([Option(q) for q in found])
            options.highlighted = 0
        else:
            options.add_option(Option("(no matching question)", disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#history-list", OptionList)
        if options.highlighted is not None and not options.get_option_at_index(options.highlighted).disabled:
            self.dismiss(str(options.get_option_at_index(options.highlighted).prompt))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.prompt))

    def action_to_list(self) -> None:
        self.query_one("#history-list", OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class FiltersScreen(ModalScreen[Filters | None]):
    """Choose a council, document and department; returns the new Filters (None = unchanged)."""

    BINDINGS = [Binding("escape", "close", "Cancel")]

    def __init__(self, options: FilterOptions, current: Filters) -> None:
        super().__init__()
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        o, c = self.options, self.current
        with VerticalScroll(id="filters-box"):
            yield Static("Filters", classes="dialog-title")
            yield Label("Council")
            yield Select([(x, x) for x in o.councils], value=_valid(c.council, o.councils),
                         prompt="any council", id="filter-council")
            yield Label("Document")
            docs = [(d.title, d.doc_id) for d in o.documents]
            yield Select(docs, value=_valid(c.document, [d for _, d in docs]), prompt="any document",
                         id="filter-document")
            yield Label("Department")
            yield Select([(x, x) for x in o.departments], value=_valid(c.department, o.departments),
                         prompt="any department", id="filter-department")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")

    def _value(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else str(value)

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


def _valid(value: str | None, allowed: object) -> object:
    return value if value is not None and value in allowed else Select.NULL  # type: ignore[operator]


class IngestScreen(Screen[None]):
    """First run: the corpus is parsed and indexed, with a progress bar per stage."""

    def compose(self) -> ComposeResult:
        with Vertical(id="ingest-box"):
            yield Static("Building the index (first run)", classes="dialog-title")
            yield Static("Parsing the corpus into DuckDB, then embedding passages and rows. "
                         "This happens once; later starts are instant.", classes="dialog-hint")
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
                self.query_one("#ingest-log", Static).update("\n".join(f"✓ {s}" for s in self.finished))
            self.stage = stage
            self.query_one("#ingest-stage", Label).update(stage)
        self.query_one("#ingest-bar", ProgressBar).update(total=total if total > 0 else None, progress=done)

    def show_failure(self, message: str) -> None:
        self.query_one("#ingest-stage", Label).update(Text(f"Ingest failed: {message}", style="bold red"))
