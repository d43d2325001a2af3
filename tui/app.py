"""The Plan Assistant Textual app. Build it with ``make_app(backend)`` (used by the CLI and tests).

All pipeline work (ingest, model warm-up, answers, filter options, sources, clipboard programs)
runs in thread workers that post messages back; the UI thread only renders.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, get_current_worker

from assistant.errors import PlanAssistantError
from assistant.models import Answer, Filters
from tui.backend import Backend, FilterOptions, Heading
from tui.clipboard import CopyResult, copy_text
from tui.export import ExportResult, answer_plain_text, export_answer, sql_text
from tui.history import History
from tui.keys import DEFAULT_KEYS, KeySpec, display_key
from tui.rows import row_source
from tui.screens import (FiltersScreen, HelpScreen, HistoryScreen, IngestScreen, SourceDocs, SourceScreen,
                         TableScreen)
from tui.text import one_line, safe
from tui.widgets import AnswerCard, CitationItem, ExamplesPanel, NoticeCard, QuestionInput, StatusBar

log = logging.getLogger(__name__)

HISTORY_FILE_NAME = "tui-history.jsonl"
REVEAL_RETRIES = 10  # layouts to wait for a new card's final height before giving up on exact placement
LOADING_MODEL = ("Loading the model… a question that needs it waits for it (the first time only); "
                 "one answered from the tables does not. (Esc cancels)")
ANSWERING = "Answering… (Esc cancels)"
QUEUED = "Queued after the previous question… (Esc cancels)"

Copier = Callable[[str, Path], CopyResult]


def bindings_for(keymap: tuple[KeySpec, ...]) -> list[Binding]:
    """Textual bindings from the key table (the binding id is the action name)."""
    return [Binding(s.keys, s.action, s.label, show=s.footer, priority=s.priority, id=s.action,
                    tooltip=s.description) for s in keymap]


class Answered(Message):
    """A worker finished an answer."""

    def __init__(self, card: NoticeCard, answer: Answer, seconds: float) -> None:
        super().__init__()
        self.card, self.answer, self.seconds = card, answer, seconds


class AskFailed(Message):
    """A worker's answer raised."""

    def __init__(self, card: NoticeCard, message: str) -> None:
        super().__init__()
        self.card, self.message = card, message


class Progress(Message):
    """Ingest progress from the worker."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total


class IngestFinished(Message):
    """The ingest worker ended: a summary, or the error message."""

    def __init__(self, summary: str = "", error: str | None = None) -> None:
        super().__init__()
        self.summary, self.error = summary, error


@dataclass
class Cleared:
    """What ^l removed, so that ^z can bring it back."""

    answers: list[tuple[Answer, str]]
    conversation: object
    turns: int


class PlanAssistantApp(App[None]):
    """Chat with the plans: answer cards with rows and citations, a table view, a source viewer, export."""

    CSS_PATH = "app.tcss"
    TITLE = "Plan Assistant"
    COMMAND_PALETTE_BINDING = "f9"
    BINDINGS = bindings_for(DEFAULT_KEYS)

    def __init__(self, backend: Backend, *, keymap: tuple[KeySpec, ...] = DEFAULT_KEYS,
                 history: History | None = None, export_dir: Path | None = None,
                 filters: Filters | None = None, show_timings: bool = True,
                 copier: Copier | None = None) -> None:
        super().__init__()
        self.backend = backend
        self.keymap = keymap
        self.keys = {s.action: display_key(s.keys) for s in keymap}
        self.history = history if history is not None else History(backend.settings.home / HISTORY_FILE_NAME)
        self.export_dir = export_dir or backend.settings.home / "exports"
        self.filters = filters or Filters()
        self.show_timings = show_timings
        self.copier: Copier = copier or copy_text
        self.model_ready = False
        self.examples: list[str] = []
        self.filter_options: FilterOptions | None = None
        self.last_export: ExportResult | None = None
        self.last_copy: CopyResult | None = None
        self._ask_worker: Worker[None] | None = None
        self._pending: NoticeCard | None = None
        self._queue: list[tuple[str, Filters, NoticeCard]] = []
        self._selected: AnswerCard | None = None
        self._cleared: Cleared | None = None
        overrides = {s.action: s.keys for s in keymap if s.keys != _default_keys(s.action)}
        if overrides:
            self.set_keymap(overrides)

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="transcript", can_focus=False):  # PageUp/PageDown scroll it
            yield ExamplesPanel(id="examples")
        yield Static(id="input-hint")
        yield QuestionInput(self.history, max_chars=self.backend.settings.max_question_chars, id="question",
                            placeholder="Ask about the plans… (Enter asks · ↑ history · F1 help)")
        yield StatusBar(id="status")
        yield Footer(show_command_palette=True)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def transcript(self) -> VerticalScroll:
        return self.query_one("#transcript", VerticalScroll)

    @property
    def question_box(self) -> QuestionInput:
        return self.query_one(QuestionInput)

    def on_mount(self) -> None:
        self.status.filters = self.filters
        self.query_one("#input-hint").display = False
        self.question_box.focus()
        self.backend.reset_conversation()
        if self.backend.index_exists():
            self._start_background()
        else:
            self._set_model_state("building index")
            self.push_screen(IngestScreen())
            self._ingest()

    def _start_background(self) -> None:
        self._set_model_state("loading model…")
        self._warm()
        self._load_metadata()

    def _set_model_state(self, state: str) -> None:
        self.status.model_state = state
        self.status.refresh_status()

    # -- workers ------------------------------------------------------------------------------
    @work(thread=True, group="ingest", exit_on_error=False)
    def _ingest(self) -> None:
        last = [0.0, ""]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if stage != last[1] or done >= total or now - last[0] > 0.1:
                last[0], last[1] = now, stage
                self.post_message(Progress(stage, done, total))

        try:
            summary = self.backend.ingest(progress)
        except Exception as exc:  # noqa: BLE001 - shown to the user, app keeps running
            log.exception("ingest failed")
            self.post_message(IngestFinished(error=_message(exc)))  # after every Progress message
            return
        self.post_message(IngestFinished(summary))

    def on_ingest_finished(self, message: IngestFinished) -> None:
        if message.error is not None:
            self._ingest_failed(message.error)
        else:
            self._ingest_done(message.summary)

    def on_progress(self, message: Progress) -> None:
        if isinstance(self.screen, IngestScreen):
            self.screen.update_progress(message.stage, message.done, message.total)

    def _ingest_done(self, summary: str) -> None:
        if not self.backend.index_exists():
            self._ingest_failed(f"nothing to index ({summary}); put documents in "
                                f"{self.backend.settings.corpus} or set PLAN_ASSISTANT_CORPUS")
            return
        if isinstance(self.screen, IngestScreen):
            self.pop_screen()
        self.notify(f"Index built: {safe(summary)}", title="Ingest", markup=False)
        self._start_background()

    def _ingest_failed(self, message: str) -> None:
        if isinstance(self.screen, IngestScreen):
            self.screen.show_failure(message)
        self._set_model_state("error: no index")
        self.notify(f"Ingest failed: {safe(message)}. Fix it and run `plan-assistant ingest`; ctrl+q quits.",
                    severity="error", timeout=30, markup=False)

    @work(thread=True, group="warm", exit_on_error=False)
    def _warm(self) -> None:
        started = time.perf_counter()
        try:
            self.backend.warm()
        except Exception as exc:  # noqa: BLE001
            log.exception("warm-up failed")
            self.call_from_thread(self._warm_failed, _message(exc))
            return
        self.call_from_thread(self._warm_done, time.perf_counter() - started)

    def _warm_done(self, seconds: float) -> None:
        self.model_ready = True
        self._set_model_state(f"ready ({seconds:.1f} s)" if self.show_timings else "ready")
        if self._pending is not None and self._pending.kind == "pending":
            self._pending.set_message(ANSWERING, "pending")

    def _warm_failed(self, message: str) -> None:
        self._set_model_state("error: model not loaded")
        self.notify(f"Could not load the model: {safe(message)}", severity="error", timeout=15, markup=False)

    @work(thread=True, group="meta", exit_on_error=False)
    def _load_metadata(self) -> None:
        examples = self.backend.examples()
        try:
            options = self.backend.filter_options()
        except Exception as exc:  # noqa: BLE001
            log.warning("filter options unavailable: %s", exc)
            options = None
        self.call_from_thread(self._metadata_loaded, examples, options)

    def _metadata_loaded(self, examples: list[str], options: FilterOptions | None) -> None:
        self.examples = [one_line(q) for q in examples]
        self.filter_options = options
        self.query_one(ExamplesPanel).set_examples(self.examples)

    @work(thread=True, group="ask", exit_on_error=False)
    def _answer(self, question: str, filters: Filters, card: NoticeCard) -> None:
        worker = get_current_worker()
        started = time.perf_counter()
        try:
            answer = self.backend.ask(question, filters)
        except Exception as exc:  # noqa: BLE001 - becomes an error card
            if not isinstance(exc, PlanAssistantError):
                log.exception("answer failed")
            if not worker.is_cancelled:
                self.post_message(AskFailed(card, _message(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(Answered(card, answer, time.perf_counter() - started))

    # -- asking -------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while an answer is being computed or questions wait in the queue."""
        return self._pending is not None or bool(self._queue)

    def on_question_input_asked(self, event: QuestionInput.Asked) -> None:
        self.ask(event.question)

    def on_question_input_problem(self, event: QuestionInput.Problem) -> None:
        self.show_hint(event.text, error=event.error)

    def show_hint(self, text: str, error: bool = False) -> None:
        """A line above the question box: what is wrong with the text in it, or a note ("" hides it)."""
        hint = self.query_one("#input-hint", Static)
        hint.set_class(error, "error")
        hint.update(Text(text))
        hint.display = bool(text)

    def on_examples_panel_picked(self, event: ExamplesPanel.Picked) -> None:
        self.ask(event.question)

    def ask(self, question: str) -> None:
        """Queue ``question`` (answered in order, in a worker) with a pending card in the transcript."""
        question = " ".join(safe(question).split())
        if not question:
            self.notify("Type a question first.", severity="warning")
            return
        self.show_hint("")
        self.history.add(question)
        self._cleared = None  # a new question starts from the current conversation: no undo after it
        self.query_one(ExamplesPanel).display = False
        if self._main_only():
            self.question_box.focus()  # e.g. after an example was picked: typing goes on in the question box
        card = NoticeCard(question, QUEUED, "pending")
        self.transcript.mount(card)
        self.transcript.scroll_end(animate=False)
        self._queue.append((question, self.filters, card))
        self._next_question()

    def _next_question(self) -> None:
        """Start the next queued question if nothing is being answered."""
        if self._pending is not None or not self._queue:
            return
        question, filters, card = self._queue.pop(0)
        card.set_message(ANSWERING if self.model_ready else LOADING_MODEL, "pending")
        self._pending = card
        self._ask_worker = self._answer(question, filters, card)

    def on_answered(self, message: Answered) -> None:
        if message.card is not self._pending:  # cancelled meanwhile
            return
        meta = f"{message.seconds * 1000:.0f} ms" if self.show_timings else ""
        card = AnswerCard(message.answer, meta=meta, keys=self.keys)
        self._pending = None
        self.transcript.mount(card, after=message.card)
        message.card.remove()
        self.select_card(card, scroll=True)
        self.status.turns += 1
        self.status.refresh_status()
        self._next_question()

    def on_ask_failed(self, message: AskFailed) -> None:
        if message.card is not self._pending:
            return
        message.card.set_message(f"Error: {message.message}", "error")
        self._pending = None
        self.notify(safe(message.message), title="Could not answer", severity="error", markup=False)
        self._next_question()

    # -- the selected card ----------------------------------------------------------------------
    def cards(self) -> list[AnswerCard]:
        return list(self.query(AnswerCard))

    @property
    def selected_card(self) -> AnswerCard | None:
        """The answer the keys act on: the one last selected (new answers select themselves)."""
        if self._selected is not None and self._selected.is_attached:
            return self._selected
        cards = self.cards()
        return cards[-1] if cards else None

    def select_card(self, card: AnswerCard, scroll: bool = False) -> None:
        """Select ``card`` (marked ▶); ``scroll`` brings its top into view once it is laid out."""
        if self._selected is not None and self._selected is not card and self._selected.is_attached:
            self._selected.set_selected(False)
        self._selected = card
        card.set_selected(True)
        if scroll:
            self.call_after_refresh(self.reveal, card)

    def reveal(self, card: AnswerCard, retries: int = REVEAL_RETRIES, last: object = None) -> None:
        """Scroll the transcript so that ``card``'s top line is the first line shown.

        A new card is placed and grows (its table fills in) over the next layouts, and the scroll
        range lags behind; so scroll again after each refresh until the card's place stops
        changing and the scroll sits on its top (a few times at most)."""
        if not card.is_attached:
            return
        transcript = self.transcript
        region = card.virtual_region
        transcript.scroll_to_widget(card, animate=False, top=True, immediate=True)
        # placed (a card not laid out yet has an empty region) and inside the scroll range
        laid_out = region.height > 0 and transcript.virtual_size.height >= region.bottom
        settled = laid_out and region == last and round(transcript.scroll_y) == min(region.y,
                                                                                    round(transcript.max_scroll_y))
        if retries > 0 and not settled:
            self.call_after_refresh(self.reveal, card, retries - 1, region)

    def on_answer_card_selected(self, event: AnswerCard.Selected) -> None:
        if event.card is not self._selected:
            self.select_card(event.card)

    def action_next_card(self) -> None:
        self._step_card(1)

    def action_prev_card(self) -> None:
        self._step_card(-1)

    def _step_card(self, delta: int) -> None:
        cards = self.cards()
        if not cards:
            self.notify("No answers yet.", severity="warning")
            return
        current = self.selected_card
        index = cards.index(current) if current in cards else len(cards) - 1
        target = cards[max(0, min(len(cards) - 1, index + delta))]
        self.select_card(target)
        self.reveal(target)

    # -- actions (names match keys.py) --------------------------------------------------------
    MAIN_SCREEN_ACTIONS = frozenset({"focus_input", "open_source", "next_citation", "prev_citation",
                                     "toggle_sql", "copy_answer", "copy_sql", "export", "filters", "history",
                                     "clear", "undo_clear", "scroll_up", "scroll_down", "show_table",
                                     "next_card", "prev_card"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the chat keys while a dialog or another screen is open; ^z only after a clear."""
        if action in self.MAIN_SCREEN_ACTIONS and not self._main_only():
            return False
        if action == "undo_clear" and self._cleared is None:
            return False
        return True

    def _main_only(self) -> bool:
        return self.screen is self.screen_stack[0]

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def action_focus_input(self) -> None:
        if self._main_only():
            self.question_box.focus()

    def action_scroll_up(self) -> None:
        self.transcript.scroll_page_up(animate=False)

    def action_scroll_down(self) -> None:
        self.transcript.scroll_page_down(animate=False)

    def action_cancel(self) -> None:
        """Cancel the answer in progress and every queued question."""
        if not self.busy:
            return
        if self._ask_worker is not None:
            self._ask_worker.cancel()  # its result, when the thread returns, is dropped
        cards = ([self._pending] if self._pending else []) + [card for _, _, card in self._queue]
        for card in cards:
            card.set_message("Cancelled.", "cancelled")
        self._pending, self._queue = None, []
        self.notify("Cancelled." if len(cards) == 1 else f"Cancelled {len(cards)} questions.")

    def _need_card(self, what: str) -> AnswerCard | None:
        card = self.selected_card
        if card is None:
            self.notify(f"Nothing to {what} yet: ask a question first.", severity="warning")
        return card

    def action_next_citation(self) -> None:
        self._step_citation(1)

    def action_prev_citation(self) -> None:
        self._step_citation(-1)

    def _step_citation(self, delta: int) -> None:
        card = self.selected_card
        if card is None or not card.citations:
            self.notify("No citations here.", severity="warning")
            return
        card.select_citation(card.citation_index + delta)
        item = card.selected_item()
        if item is not None:
            self.transcript.scroll_to_widget(item, animate=False)

    def action_open_source(self) -> None:
        card = self._need_card("open")
        if card is None:
            return
        if not card.citations:
            self.notify("This answer has no citation to open.", severity="warning")
            return
        self.open_citation(card, max(card.citation_index, 0))

    def on_citation_item_chosen(self, event: CitationItem.Chosen) -> None:
        self.select_card(event.item.card)
        event.item.card.select_citation(event.item.index)
        self.open_citation(event.item.card, event.item.index)

    def open_citation(self, card: AnswerCard, index: int) -> None:
        """Read the cited files (in a worker) and open the source viewer at citation ``index``."""
        self._open_sources(card.citations, index)

    def on_table_screen_open_source(self, message: TableScreen.OpenSource) -> None:
        source = row_source(message.answer, message.row)
        if source is not None:
            self._open_sources((source,), 0)

    @work(thread=True, group="source", exit_on_error=False)
    def _open_sources(self, citations: tuple, index: int) -> None:
        lines: dict[str, list[str]] = {}
        outlines: dict[str, list[Heading]] = {}
        pages: dict[str, tuple[int | None, ...]] = {}
        try:
            for c in citations:
                if c.file not in lines:
                    lines[c.file] = self.backend.read_source(c.file)
                    pages[c.file] = self.backend.line_pages(c.file)
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self.notify, safe(_message(exc)), title="Cannot open source", severity="error",
                                  markup=False)
            return
        for file in lines:
            try:
                outlines[file] = self.backend.outline(file)
            except Exception as exc:  # noqa: BLE001 - the viewer works without sections
                log.info("no outline for %s: %s", file, exc)
        screen = SourceScreen(tuple(citations), index, SourceDocs(lines, outlines, pages))
        self.call_from_thread(self.push_screen, screen)

    def action_toggle_sql(self) -> None:
        card = self._need_card("show")
        if card is None:
            return
        if not card.answer.sql:
            self.notify("This answer has no SQL (only table answers do).", severity="warning")
            return
        card.toggle_sql()

    def action_show_table(self) -> None:
        card = self._need_card("show")
        if card is None:
            return
        if not (card.answer.columns and card.answer.rows):
            self.notify("This answer has no rows to show in a table.", severity="warning")
            return
        self.push_screen(TableScreen(card.answer))

    def on_answer_card_show_table(self, event: AnswerCard.ShowTable) -> None:
        """"Show all rows" on a card, or Enter on one of its preview rows."""
        self.select_card(event.card)
        if self._main_only():
            self.push_screen(TableScreen(event.card.answer, event.row))

    def action_copy_answer(self) -> None:
        card = self._need_card("copy")
        if card is not None:
            self._copy(answer_plain_text(card.answer), "The answer")

    def action_copy_sql(self) -> None:
        card = self._need_card("copy")
        if card is None:
            return
        if not card.answer.sql:
            self.notify("This answer has no SQL (only table answers do).", severity="warning")
            return
        self._copy(sql_text(card.answer), "The SQL")

    def _copy(self, text: str, what: str) -> None:
        self.copy_to_clipboard(text)  # OSC 52: some terminals take it; we cannot tell which
        self._copy_worker(text, what)

    @work(thread=True, group="copy", exit_on_error=False)
    def _copy_worker(self, text: str, what: str) -> None:
        result = self.copier(text, self.export_dir)
        self.call_from_thread(self._copied, result, what)

    def _copied(self, result: CopyResult, what: str) -> None:
        self.last_copy = result
        if result.copied:
            self.notify(f"{what} is on the clipboard (via {result.program}).", markup=False)
        elif result.file is not None:
            self.notify(f"No clipboard is reachable from this terminal, so {what.lower()} was written to "
                        f"{result.file} (the terminal was also asked to copy it; not every terminal can).",
                        title="Copied to a file", severity="warning", timeout=12, markup=False)
        else:
            self.notify(f"Could not copy: no clipboard, and {result.error}", severity="error", markup=False)

    def action_export(self) -> None:
        card = self._need_card("export")
        if card is None:
            return
        try:
            result = export_answer(card.answer, self.export_dir)
        except PlanAssistantError as exc:
            self.notify(safe(str(exc)), title="Export failed", severity="error", markup=False)
            return
        self.last_export = result
        where = str(result.markdown) + (f"\nrows (every column): {result.csv}" if result.csv else "")
        self.notify(where, title="Exported", timeout=10, markup=False)

    def action_filters(self) -> None:
        if self.filter_options is None:
            self.notify("Filters are not available until the index is loaded.", severity="warning")
            return
        self.push_screen(FiltersScreen(self.filter_options, self.filters), self.set_filters)

    def set_filters(self, filters: Filters | None) -> None:
        """Apply new filters (None leaves them unchanged)."""
        if filters is None:
            return
        self.filters = filters
        self.status.filters = filters
        self.status.refresh_status()

    def action_history(self) -> None:
        self.push_screen(HistoryScreen(self.history), self._history_chosen)

    def _history_chosen(self, question: str | None) -> None:
        if question:
            box = self.question_box
            box.value = question
            box.cursor_position = len(question)
            box.focus()

    def action_clear(self) -> None:
        """Clear the transcript and start a new conversation; ^z brings both back."""
        if self.busy:
            self.action_cancel()
        cards = self.cards()
        if cards:
            self._cleared = Cleared([(c.answer, c.meta) for c in cards], self.backend.detach_conversation(),
                                    self.status.turns)
        else:
            self.backend.reset_conversation()
        for card in self.query(".card"):
            card.remove()
        self._selected = None
        self.status.turns = 0
        self.status.refresh_status()
        self.query_one(ExamplesPanel).display = True
        self.question_box.focus()
        if cards:
            several = len(cards) != 1
            self.notify(f"Cleared {len(cards)} answer{'s' if several else ''}; a new conversation starts. "
                        f"{self.keys.get('undo_clear', '^z')} brings {'them' if several else 'it'} back.", timeout=8)

    def action_undo_clear(self) -> None:
        cleared, self._cleared = self._cleared, None
        if cleared is None:
            return
        self.query_one(ExamplesPanel).display = False
        cards = [AnswerCard(answer, meta=meta, keys=self.keys) for answer, meta in cleared.answers]
        self.transcript.mount_all(cards)
        self.backend.restore_conversation(cleared.conversation)
        self.status.turns = cleared.turns
        self.status.refresh_status()
        self.select_card(cards[-1], scroll=True)
        self.notify(f"Brought back {len(cards)} answer{'s' if len(cards) != 1 else ''} and the conversation.")

    # -- command palette ------------------------------------------------------------------------
    PALETTE = (("export", "Export answer"), ("copy_answer", "Copy answer"), ("copy_sql", "Copy SQL"),
               ("show_table", "Show table (all rows)"), ("open_source", "Open source"),
               ("toggle_sql", "Show/hide SQL"), ("prev_card", "Previous answer"), ("next_card", "Next answer"),
               ("filters", "Filters"), ("history", "Question history"), ("clear", "Clear transcript"),
               ("undo_clear", "Undo clear"), ("help", "Help: all keys"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's own actions first (with their keys), then Textual's (theme, quit, screenshot)."""
        if screen is self.screen_stack[0]:
            descriptions = {s.action: s.description for s in self.keymap}
            for action, title in self.PALETTE:
                if action == "undo_clear" and self._cleared is None:
                    continue
                key = self.keys.get(action, "")
                yield SystemCommand(title, f"{key} · {descriptions.get(action, '')}",
                                    lambda action=action: self.run_action(action))
        yield from super().get_system_commands(screen)


def _default_keys(action: str) -> str:
    return next((s.keys for s in DEFAULT_KEYS if s.action == action), "")


def _message(exc: BaseException) -> str:
    """A one-line message for an exception: ours as written, others with their type."""
    if isinstance(exc, PlanAssistantError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def make_app(backend: Backend, **options: object) -> PlanAssistantApp:
    """The app factory shared by the CLI and the tests (options: keymap, history, export_dir,
    filters, show_timings, copier)."""
    return PlanAssistantApp(backend, **options)  # type: ignore[arg-type]
