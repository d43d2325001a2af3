"""Widgets of the chat pane: answer cards, citations, the question input and the status bar.

Every string that came from data (answers, cells, citations, file names, questions) is shown as
``rich.text.Text`` after ``tui.text`` cleaning, never parsed as markup.
"""

from __future__ import annotations

from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.models import Answer, Citation, Filters, dedupe_citations
from tui.export import page_of
from tui.pages import page_span
from tui.history import History
from tui.rows import answer_body, row_view, short
from tui.text import clean_line, one_line, safe

BADGES = {"sql": "SQL", "text": "TEXT", "none": "NOT FOUND"}
PREVIEW_ROWS = 5  # rows shown in a card; "show all N rows" opens the table view
ANSWER_PREVIEW_LINES = 8  # answer lines shown in a card before "N more lines"
SHOWN_CITATIONS = 5  # citations listed in a card; the source viewer steps through all of them
MAX_CELL_CHARS = 40  # widest cell in a card preview (the table view and the exports keep every character)
MIN_CELL_CHARS = 10  # narrowest cell, however many columns share the width
CARD_CHROME = 9  # columns a card takes from the screen: transcript padding, scrollbar, border, padding
QUOTE_CHARS = 160  # a citation's quote is shortened to this on a card
CITATION_PREFIX_WIDTH = 7  # "▸ [12] ": marker and number; the label wraps to the right of it


def confidence_word(confidence: float) -> str:
    """Router confidence as a word: high (>= 0.75), medium (>= 0.5) or low."""
    return "high" if confidence >= 0.75 else "medium" if confidence >= 0.5 else "low"


def span_text(start: int, end: int) -> str:
    """``line 5`` or ``lines 5–9``."""
    return f"line {start}" if start == end else f"lines {start}–{end}"


def place_label(citation: Citation) -> str:
    """``p. 4 · lines 10–12`` (the page only for PDF sources; then the lines on that page when the
    citation carries them)."""
    page = page_of(citation)
    start, end = (page_span(citation) if page else None) or (citation.line_start, citation.line_end)
    return f"p. {page} · {span_text(start, end)}" if page else span_text(start, end)


def citation_label(citation: Citation, same_place: bool = False) -> Text:
    """``Title › section · lines a–b`` with the quote underneath, dimmed.

    ``same_place``: the previous citation has the same file and section, so only the span shows.
    """
    label = Text()
    if same_place:
        label.append("same section", style="italic dim")
    else:
        label.append(one_line(citation.title or citation.file), style="bold")
        if citation.section:
            label.append(f" › {one_line(citation.section)}")
    label.append(f" · {place_label(citation)}", style="italic")
    quote = clean_line(citation.quote)
    if quote:
        label.append("\n" + short(quote, QUOTE_CHARS), style="dim")
    return label


def hanging(prefix: Text, body: Text, width: int) -> Table:
    """``prefix`` then ``body``, the body's wrapped lines indented under its first (a hanging indent)."""
    grid = Table.grid()
    grid.add_column(width=width, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(prefix, body)
    return grid


def filters_text(filters: Filters) -> str:
    """The active filters in a few words."""
    if filters.is_empty():
        return "none"
    parts = [f"{name}={one_line(value)}" for name, value in
             (("council", filters.council), ("document", filters.document), ("department", filters.department))
             if value]
    return ", ".join(parts)


def fit_widths(natural: list[int], screen_width: int) -> list[int]:
    """Column widths for a card preview: each column's natural width (at most MAX_CELL_CHARS), the
    widest ones narrowed first until every column fits on the card (none under MIN_CELL_CHARS)."""
    widths = [max(1, min(MAX_CELL_CHARS, w)) for w in natural]
    available = max(40, screen_width - CARD_CHROME) - 2 * len(widths)  # each cell has 1 space each side
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= MIN_CELL_CHARS:
            break
        widths[widest] -= 1
    return widths


class CitationItem(Static, can_focus=True):
    """One numbered citation; Enter or a click opens it in the source viewer."""

    BINDINGS = [Binding("enter", "open", "Open source", show=False)]

    class Chosen(Message):
        """The user picked this citation."""

        def __init__(self, item: CitationItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, card: AnswerCard, index: int, citation: Citation, same_place: bool = False) -> None:
        self.label_text = citation_label(citation, same_place)
        self.card = card
        self.index = index
        self.citation = citation
        super().__init__(self._render_item(False), classes="citation")

    def _render_item(self, selected: bool) -> Table:
        number = f"[{self.index + 1}] "
        prefix = Text.assemble(("▸ " if selected else "  ", "bold"), (number, "bold"))
        return hanging(prefix, self.label_text, CITATION_PREFIX_WIDTH)

    def mark(self, selected: bool) -> None:
        """Show whether this is the citation that ^o opens (a marker, not only a colour)."""
        if selected != self.has_class("selected"):
            self.set_class(selected, "selected")
            self.update(self._render_item(selected))

    def action_open(self) -> None:
        self.post_message(self.Chosen(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Chosen(self))

    def on_focus(self) -> None:
        self.card.select_citation(self.index)


class ActionLink(Static, can_focus=True):
    """A focusable line of text that runs an app action on Enter or a click (e.g. "show all rows")."""

    BINDINGS = [Binding("enter", "press", "Open", show=False)]

    class Pressed(Message):
        """The link was used; ``action`` names the app action to run for ``card``."""

        def __init__(self, link: ActionLink) -> None:
            super().__init__()
            self.link = link

    def __init__(self, text: str, action: str, card: AnswerCard, **kwargs: object) -> None:
        super().__init__(Text(text), **kwargs)  # type: ignore[arg-type]
        self.action = action
        self.card = card

    def action_press(self) -> None:
        self.post_message(self.Pressed(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Pressed(self))


class AnswerCard(Vertical):
    """A question and its answer: route badge, text, the first rows, hidden SQL and citations.

    Long answers show their first lines and rows; "show all N rows" opens the table view.
    """

    class Selected(Message):
        """The user clicked or focused into this card."""

        def __init__(self, card: AnswerCard) -> None:
            super().__init__()
            self.card = card

    class ShowTable(Message):
        """Open the table view of this card's rows at ``row``."""

        def __init__(self, card: AnswerCard, row: int = 0) -> None:
            super().__init__()
            self.card, self.row = card, row

    def __init__(self, answer: Answer, meta: str = "", keys: dict[str, str] | None = None) -> None:
        super().__init__(classes=f"card route-{answer.route}")
        self.answer = answer
        self.meta = meta
        self.keys = keys or {}
        self.citations = dedupe_citations(answer.citations)
        self.citation_index = 0 if self.citations else -1
        self.body = answer_body(answer)

    # -- composition ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        a = self.answer
        with Horizontal(classes="card-head"):
            yield Static(Text(" "), classes="card-marker")
            yield Static(BADGES.get(a.route, one_line(a.route).upper()), classes=f"badge badge-{a.route}")
            yield Static(Text(one_line(a.question)), classes="card-question")
        lines = self.body.split("\n") if self.body else ["(no answer text)"]
        shown = lines if len(lines) <= ANSWER_PREVIEW_LINES + 1 else lines[:ANSWER_PREVIEW_LINES]
        yield Static(Text("\n".join(shown)), classes="answer-text")
        if len(shown) < len(lines):
            yield Static(Text(f"… {len(lines) - len(shown)} more lines", style="dim italic"), classes="more-lines")
        if a.columns and a.rows:
            yield DataTable(classes="rows", zebra_stripes=True, cursor_type="row")
            key = self.keys.get("show_table", "")
            what = f"Show all {len(a.rows)} rows" if len(a.rows) > PREVIEW_ROWS else "Open the rows"
            yield ActionLink(f"▸ {what} in the table view, every column{f' ({key})' if key else ''}",
                             "show_table", self, classes="show-all")
        if a.sql:
            yield Static(Syntax(safe(a.sql).strip(), "sql", word_wrap=True, background_color="default"),
                         classes="sql")
        if self.citations:
            with Vertical(classes="citations"):
                title = "Nearest passages (not an answer)" if a.abstained else "Sources"
                yield Static(title, classes="citations-title")
                previous = None
                for i, citation in enumerate(self.citations[:SHOWN_CITATIONS]):
                    place = (citation.file, citation.section)
                    yield CitationItem(self, i, citation, same_place=place == previous)
                    previous = place
                hidden = len(self.citations) - SHOWN_CITATIONS
                if hidden > 0:
                    yield Static(Text(f"  … and {hidden} more: open the source viewer, then ] / [ step "
                                      "through all of them", style="dim"), classes="more-citations")
        yield Static(Text(self.card_meta(), style="dim"), classes="card-meta")

    def card_meta(self) -> str:
        a = self.answer
        bits = [f"confidence: {confidence_word(a.confidence)}"]
        if a.rows:
            bits.append(f"{len(a.rows)} row{'s' if len(a.rows) != 1 else ''}")
        if a.sql:
            key = self.keys.get("toggle_sql", "")
            state = "shown" if self.has_class("show-sql") else "hidden"
            bits.append(f"SQL {state}{f': {key}' if key else ''}")
        if self.meta:
            bits.append(self.meta)
        return " · ".join(bits)

    def on_mount(self) -> None:
        a = self.answer
        if a.columns and a.rows:
            view = row_view(a, preview=True)
            shown = view.rows[:PREVIEW_ROWS]
            natural = [max([len(title)] + [len(row[i]) for row in shown]) for i, title in enumerate(view.titles)]
            widths = fit_widths(natural, self.app.size.width)
            table = self.query_one(DataTable)
            for title, width in zip(view.titles, widths):
                table.add_column(Text(short(title, width)), width=width)
            table.add_rows([tuple(Text(short(v, w)) for v, w in zip(row, widths)) for row in shown])
        self._paint_selection()
        self.set_selected(self.is_selected)

    # -- selection ---------------------------------------------------------------------------
    def set_selected(self, selected: bool) -> None:
        """Mark this card as the one the keys act on."""
        self.set_class(selected, "selected")
        marker = self.query(".card-marker")
        if marker:
            marker.first(Static).update(Text("▶" if selected else " ", style="bold"))

    @property
    def is_selected(self) -> bool:
        return self.has_class("selected")

    def on_click(self) -> None:
        self.post_message(self.Selected(self))

    def on_descendant_focus(self) -> None:
        self.post_message(self.Selected(self))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a preview row opens the table view on that row."""
        event.stop()
        self.post_message(self.ShowTable(self, event.cursor_row))

    def on_action_link_pressed(self, event: ActionLink.Pressed) -> None:
        event.stop()
        if event.link.action == "show_table":
            self.post_message(self.ShowTable(self, 0))

    # -- SQL and citations --------------------------------------------------------------------
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
        """Mark citation ``index`` (wrapped around the listed ones) as the selected one."""
        listed = min(len(self.citations), SHOWN_CITATIONS)
        if not listed:
            return
        self.citation_index = index % listed
        self._paint_selection()

    def _paint_selection(self) -> None:
        for item in self.query(CitationItem):
            item.mark(item.index == self.citation_index)

    def selected_item(self) -> CitationItem | None:
        for item in self.query(CitationItem):
            if item.index == self.citation_index:
                return item
        return None


class NoticeCard(Static):
    """A card with a message instead of an answer: pending, cancelled or an error."""

    def __init__(self, question: str, message: str, kind: str) -> None:
        self.question = one_line(question)
        super().__init__(self._text(message), classes=f"card notice notice-{kind}")
        self.kind = kind
        self.message = message

    def _text(self, message: str) -> Text:
        return Text.assemble((f"{self.question}\n", "bold"), safe(message))

    def set_message(self, message: str, kind: str) -> None:
        self.remove_class(f"notice-{self.kind}")
        self.kind = kind
        self.message = message
        self.add_class(f"notice-{kind}")
        self.update(self._text(message))


class ExamplesPanel(Vertical):
    """The empty state: what the assistant can do, and example questions to click."""

    INTRO = ("Ask a question about the council plans, in your own words. Facts from tables (who leads, "
             "when, how much, targets, counts) come with their rows; other questions get cited passages; "
             "if the documents don't say, it tells you.")

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
        self.questions = [one_line(q) for q in questions]
        options.add_options([Option(Text(q), id=f"ex{i}") for i, q in enumerate(self.questions)])
        if questions:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        self.post_message(self.Picked(self.questions[index]))


class QuestionInput(Input):
    """The question box: Enter takes the text and clears the box at once (so typing ahead never
    merges questions); a multi-line paste becomes one line; an over-long question stays in the
    box with a message instead of being asked. Up/down walk the history."""

    BINDINGS = [
        Binding("up", "history_previous", "Previous question", show=False),
        Binding("down", "history_next", "Next question", show=False),
    ]

    class Asked(Message):
        """A question was taken from the box."""

        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    class Problem(Message):
        """What is wrong with the text in the box ("" when nothing is)."""

        def __init__(self, text: str, error: bool = True) -> None:
            super().__init__()
            self.text = text
            self.error = error

    def __init__(self, history: History, max_chars: int = 2000, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history = history
        self.max_chars = max_chars

    def too_long(self, text: str) -> str:
        """The message for a question over the limit ("" when within it)."""
        if len(text) <= self.max_chars:
            return ""
        return (f"Too long to ask: {len(text):,} characters (the limit is {self.max_chars:,}). "
                "Shorten it here; nothing was sent.")

    async def _on_key(self, event: events.Key) -> None:
        """Enter is handled here, in the box's own queue of key events, not by a binding: a binding
        runs later, from the app, by which time keys typed after Enter have reached the box (and
        two questions would merge)."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.take_question()

    async def action_submit(self) -> None:
        self.take_question()

    def take_question(self) -> None:
        """Ask the text in the box and clear it, or keep it with a message if it is too long."""
        text = self.value
        problem = self.too_long(text)
        if problem:
            self.add_class("-invalid")
            self.post_message(self.Problem(problem))
            return
        self.value = ""  # at once, before the next key is handled
        self.history.reset()
        self.post_message(self.Asked(text))

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        lines = [line.strip() for line in safe(event.text).split("\n") if line.strip()]
        if not lines:
            return
        text = " ".join(lines)
        start, end = self.selection
        self.replace(text, start, end)
        if len(lines) > 1:
            self.post_message(self.Problem(f"Pasted {len(lines)} lines as one question.", error=False))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is not self:
            return
        problem = self.too_long(self.value)
        self.set_class(bool(problem), "-invalid")
        if problem or self.has_class("-was-invalid"):
            self.post_message(self.Problem(problem))
        self.set_class(bool(problem), "-was-invalid")

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
        style = {"ready": "bold green", "error": "bold red"}.get(self.model_state.split(":")[0].split(" ")[0],
                                                                 "yellow")
        text.append(f"● {self.model_state}", style=style)
        text.append("  │  Filters: ", style="dim")
        text.append(filters_text(self.filters), style="bold" if not self.filters.is_empty() else "")
        if self.turns:
            text.append(f"  │  {self.turns} turn{'s' if self.turns != 1 else ''} (follow-ups on)", style="dim")
        self.update(text)

    def on_mount(self) -> None:
        self.refresh_status()
