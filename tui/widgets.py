"""Widgets of the chat pane: answer cards, citations, the question input and the status bar."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.models import Answer, Citation, Filters
from tui.history import History

BADGES = {"sql": "SQL", "text": "TEXT", "none": "NOT FOUND"}
MAX_CELL_CHARS = 60  # cells are shortened on screen only; exports keep every character


def short_cell(value: object) -> str:
    """One display line for a table cell."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def column_title(name: str) -> str:
    """A readable header for a result column: ``complete_raw`` -> ``Complete``."""
    base = name[:-4] if name.endswith("_raw") and len(name) > 4 else name
    return base.replace("_", " ").strip().capitalize() or name


def confidence_word(confidence: float) -> str:
    """Router confidence as a word: high (>= 0.75), medium (>= 0.5) or low."""
    return "high" if confidence >= 0.75 else "medium" if confidence >= 0.5 else "low"


def span_text(start: int, end: int) -> str:
    """``line 5`` or ``lines 5–9``."""
    return f"line {start}" if start == end else f"lines {start}–{end}"


def citation_label(n: int, citation: Citation, same_place: bool = False) -> Text:
    """``[n] Title › section · lines a–b`` with the quote underneath, dimmed.

    ``same_place``: the previous citation has the same file and section, so only the span shows.
    """
    label = Text.assemble((f"[{n}] ", "bold"))
    if same_place:
        label.append("same section", style="italic dim")
    else:
        label.append(citation.title or citation.file, style="bold")
        if citation.section:
            label.append(f" › {citation.section}")
    label.append(f" · {span_text(citation.line_start, citation.line_end)}", style="italic")
    quote = " ".join(citation.quote.split())
    if quote:
        label.append("\n      " + (quote if len(quote) <= 160 else quote[:159] + "…"), style="dim")
    return label


def filters_text(filters: Filters) -> str:
    """The active filters in a few words."""
    if filters.is_empty():
        return "none"
    parts = [f"{name}={value}" for name, value in
             (("council", filters.council), ("document", filters.document), ("department", filters.department))
             if value]
    return ", ".join(parts)


class CitationItem(Static, can_focus=True):
    """One numbered citation; Enter or a click opens it in the source viewer."""

    BINDINGS = [Binding("enter", "open", "Open source", show=False)]

    class Chosen(Message):
        """The user picked this citation."""

        def __init__(self, item: CitationItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, card: AnswerCard, index: int, citation: Citation, same_place: bool = False) -> None:
        self.label_text = citation_label(index + 1, citation, same_place)
        super().__init__(Text("  ") + self.label_text, classes="citation")
        self.card = card
        self.index = index
        self.citation = citation

    def mark(self, selected: bool) -> None:
        """Show whether this is the citation that ^o opens (a marker, not only a colour)."""
        if selected != self.has_class("selected"):
            self.set_class(selected, "selected")
            self.update(Text("▸ " if selected else "  ", style="bold") + self.label_text)

    def action_open(self) -> None:
        self.post_message(self.Chosen(self))

    def on_click(self) -> None:
        self.post_message(self.Chosen(self))

    def on_focus(self) -> None:
        self.card.select_citation(self.index)


class AnswerCard(Vertical):
    """A question and its answer: route badge, text, rows, hidden SQL and numbered citations."""

    def __init__(self, answer: Answer, meta: str = "") -> None:
        super().__init__(classes=f"card route-{answer.route}")
        self.answer = answer
        self.meta = meta
        self.selected = 0 if answer.citations else -1

    def compose(self) -> ComposeResult:
        a = self.answer
        with Horizontal(classes="card-head"):
            yield Static(BADGES.get(a.route, a.route.upper()), classes=f"badge badge-{a.route}")
            yield Static(Text(a.question), classes="card-question")
        yield Static(Text(a.answer.strip() or "(no answer text)"), classes="answer-text")
        if a.columns and a.rows:
            yield DataTable(classes="rows", zebra_stripes=True, cursor_type="row")
        if a.sql:
            yield Static(Syntax(a.sql.strip(), "sql", word_wrap=True, background_color="default"),
                         classes="sql")
        if a.citations:
            with Vertical(classes="citations"):
                title = "Nearest passages (not an answer)" if a.abstained else "Sources"
                yield Static(title, classes="citations-title")
                previous = None
                for i, citation in enumerate(a.citations):
                    place = (citation.file, citation.section)
                    yield CitationItem(self, i, citation, same_place=place == previous)
                    previous = place
        yield Static(Text(self.card_meta(), style="dim"), classes="card-meta")

    def card_meta(self) -> str:
        a = self.answer
        bits = [f"confidence: {confidence_word(a.confidence)}"]
        if a.rows:
            bits.append(f"{len(a.rows)} row{'s' if len(a.rows) != 1 else ''}")
        if a.sql:
            bits.append("SQL shown: ^t hides it" if self.has_class("show-sql") else "SQL hidden: ^t shows it")
        if self.meta:
            bits.append(self.meta)
        return " · ".join(bits)

    def on_mount(self) -> None:
        a = self.answer
        if a.columns and a.rows:
            table = self.query_one(DataTable)
            table.add_columns(*(column_title(c) for c in a.columns))
            table.add_rows([tuple(short_cell(v) for v in row) for row in a.rows])
        self._paint_selection()

    @property
    def sql_visible(self) -> bool:
        return bool(self.query(".sql")) and self.has_class("show-sql")

    def toggle_sql(self) -> bool:
        """Show or hide the SQL; returns whether it is now shown (False if there is none)."""
        if not self.answer.sql:
            return False
        self.toggle_class("show-sql")
        self.query_one(".card-meta", Static).update(Text(self.card_meta(), style="dim"))
        return self.has_class("show-sql")

    def select_citation(self, index: int) -> None:
        """Mark citation ``index`` (wrapped around) as the selected one."""
        if not self.answer.citations:
            return
        self.selected = index % len(self.answer.citations)
        self._paint_selection()

    def _paint_selection(self) -> None:
        for item in self.query(CitationItem):
            item.mark(item.index == self.selected)

    def selected_item(self) -> CitationItem | None:
        for item in self.query(CitationItem):
            if item.index == self.selected:
                return item
        return None


class NoticeCard(Static):
    """A card with a message instead of an answer: pending, cancelled or an error."""

    def __init__(self, question: str, message: str, kind: str) -> None:
        text = Text.assemble((f"{question}\n", "bold"), message)
        super().__init__(text, classes=f"card notice notice-{kind}")
        self.question = question
        self.kind = kind

    def set_message(self, message: str, kind: str) -> None:
        self.remove_class(f"notice-{self.kind}")
        self.kind = kind
        self.add_class(f"notice-{kind}")
        self.update(Text.assemble((f"{self.question}\n", "bold"), message))


class ExamplesPanel(Vertical):
    """The empty state: what the assistant can do, and example questions to click."""

    INTRO = ("Ask a question about the council plans. Facts from tables (who leads, when, how much, "
             "targets, counts) come with their rows; other questions get cited passages; if the "
             "documents don't say, it tells you.")

    class Picked(Message):
        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    def compose(self) -> ComposeResult:
        yield Static("Plan Assistant", classes="examples-title")
        yield Static(self.INTRO, classes="examples-intro")
        yield Static("Try an example (click, or Tab then Enter):", classes="examples-hint")
        yield OptionList(id="example-list")

    def set_examples(self, questions: list[str]) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(q, id=f"ex{i}") for i, q in enumerate(questions)])
        if questions:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(str(event.option.prompt)))


class QuestionInput(Input):
    """The question box: Enter asks, up/down walk the history."""

    BINDINGS = [
        Binding("up", "history_previous", "Previous question", show=False),
        Binding("down", "history_next", "Next question", show=False),
    ]

    def __init__(self, history: History, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history = history

    def action_history_previous(self) -> None:
        value = self.history.previous(self.value)
        if value is not None:
            self.value = value
            self.cursor_position = len(value)

    def action_history_next(self) -> None:
        value = self.history.next()
        if value is not None:
            self.value = value
            self.cursor_position = len(value)


class StatusBar(Static):
    """One line: model state, the active filters and the conversation state."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.model_state = "starting"
        self.filters = Filters()
        self.turns = 0

    def refresh_status(self) -> None:
        text = Text()
        style = {"ready": "bold green", "error": "bold red"}.get(self.model_state.split(":")[0], "yellow")
        text.append(f"● {self.model_state}", style=style)
        text.append("  │  Filters: ", style="dim")
        text.append(filters_text(self.filters), style="bold" if not self.filters.is_empty() else "")
        if self.turns:
            text.append(f"  │  {self.turns} turn{'s' if self.turns != 1 else ''} (follow-ups on)", style="dim")
        self.update(text)

    def on_mount(self) -> None:
        self.refresh_status()
