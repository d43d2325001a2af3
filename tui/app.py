"""The Plan Assistant Textual app. Build it with ``make_app(backend)`` (used by the CLI and tests).

All pipeline work (ingest, model warm-up, answers, filter options, sources) runs in thread
workers that post messages back; the UI thread only renders.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from assistant.errors import PlanAssistantError
from assistant.models import Answer, Filters
from tui.backend import Backend, FilterOptions
from tui.export import ExportResult, answer_plain_text, export_answer
from tui.history import History
from tui.keys import DEFAULT_KEYS, KeySpec
from tui.screens import FiltersScreen, HelpScreen, HistoryScreen, IngestScreen, SourceScreen
from tui.widgets import AnswerCard, CitationItem, ExamplesPanel, NoticeCard, QuestionInput, StatusBar

log = logging.getLogger(__name__)

HISTORY_FILE_NAME = "tui-history.jsonl"


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


class PlanAssistantApp(App[None]):
    """Chat with the plans: answer cards with rows and citations, a source viewer, export."""

    CSS_PATH = "app.tcss"
    TITLE = "Plan Assistant"
    COMMAND_PALETTE_BINDING = "f9"
    BINDINGS = bindings_for(DEFAULT_KEYS)

    def __init__(self, backend: Backend, *, keymap: tuple[KeySpec, ...] = DEFAULT_KEYS,
                 history: History | None = None, export_dir: Path | None = None,
                 filters: Filters | None = None, show_timings: bool = True) -> None:
        super().__init__()
        self.backend = backend
        self.keymap = keymap
        self.history = history if history is not None else History(backend.settings.home / HISTORY_FILE_NAME)
        self.export_dir = export_dir or backend.settings.home / "exports"
        self.filters = filters or Filters()
        self.show_timings = show_timings
        self.model_ready = False
        self.examples: list[str] = []
        self.filter_options: FilterOptions | None = None
        self.last_export: ExportResult | None = None
        self._ask_worker: Worker[None] | None = None
        self._pending: NoticeCard | None = None
        self._queue: list[tuple[str, Filters, NoticeCard]] = []
        self._current: AnswerCard | None = None
        overrides = {s.action: s.keys for s in keymap if s.keys != _default_keys(s.action)}
        if overrides:
            self.set_keymap(overrides)

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="transcript", can_focus=False):  # PageUp/PageDown scroll it
            yield ExamplesPanel(id="examples")
        yield QuestionInput(self.history, id="question",
                            placeholder="Ask about the plans… (Enter asks · ↑ history · F1 help)")
        yield StatusBar(id="status")
        yield Footer(show_command_palette=False)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def transcript(self) -> VerticalScroll:
        return self.query_one("#transcript", VerticalScroll)

    def on_mount(self) -> None:
        self.status.filters = self.filters
        self.query_one(QuestionInput).focus()
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
        self.notify(f"Index built: {summary}", title="Ingest")
        self._start_background()

    def _ingest_failed(self, message: str) -> None:
        if isinstance(self.screen, IngestScreen):
            self.screen.show_failure(message)
        self._set_model_state("error: no index")
        self.notify(f"Ingest failed: {message}. Fix it and run `plan-assistant ingest`; ctrl+q quits.",
                    severity="error", timeout=30)

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

    def _warm_failed(self, message: str) -> None:
        self._set_model_state("error: model not loaded")
        self.notify(f"Could not load the model: {message}", severity="error", timeout=15)

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
        self.examples = examples
        self.filter_options = options
        self.query_one(ExamplesPanel).set_examples(examples)

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

    def on_input_submitted(self, event: QuestionInput.Submitted) -> None:
        if event.input.id == "question":
            self.ask(event.value)

    def on_examples_panel_picked(self, event: ExamplesPanel.Picked) -> None:
        self.ask(event.question)

    def ask(self, question: str) -> None:
        """Queue ``question`` (answered in order, in a worker) with a pending card in the transcript."""
        question = question.strip()
        if not question:
            self.notify("Type a question first.", severity="warning")
            return
        self.history.add(question)
        box = self.query_one(QuestionInput)
        box.value = ""
        self.query_one(ExamplesPanel).display = False
        if self._main_only():
            box.focus()  # e.g. after an example was picked: typing goes on in the question box
        card = NoticeCard(question, "Queued after the previous question… (Esc cancels)", "pending")
        self.transcript.mount(card)
        self.transcript.scroll_end(animate=False)
        self._queue.append((question, self.filters, card))
        self._next_question()

    def _next_question(self) -> None:
        """Start the next queued question if nothing is being answered."""
        if self._pending is not None or not self._queue:
            return
        question, filters, card = self._queue.pop(0)
        waiting = "Answering…" if self.model_ready else "Loading the model (first question only), then answering…"
        card.set_message(f"{waiting} (Esc cancels)", "pending")
        self._pending = card
        self._ask_worker = self._answer(question, filters, card)

    def on_answered(self, message: Answered) -> None:
        if message.card is not self._pending:  # cancelled meanwhile
            return
        meta = f"{message.seconds * 1000:.0f} ms" if self.show_timings else ""
        card = AnswerCard(message.answer, meta=meta)
        self._pending = None
        self.transcript.mount(card, after=message.card)
        message.card.remove()
        if not self._queue:
            self.call_after_refresh(self.transcript.scroll_to_widget, card, animate=False, top=True)
        self._current = card
        self.status.turns += 1
        self.status.refresh_status()
        self._next_question()

    def on_ask_failed(self, message: AskFailed) -> None:
        if message.card is not self._pending:
            return
        message.card.set_message(f"Error: {message.message}", "error")
        self._pending = None
        self.notify(message.message, title="Could not answer", severity="error")
        self._next_question()

    # -- actions (names match keys.py) --------------------------------------------------------
    MAIN_SCREEN_ACTIONS = frozenset({"focus_input", "open_source", "next_citation", "prev_citation",
                                     "toggle_sql", "copy_answer", "export", "filters", "history", "clear",
                                     "scroll_up", "scroll_down"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the chat keys while a dialog or the source viewer is open."""
        if action in self.MAIN_SCREEN_ACTIONS and not self._main_only():
            return False
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def action_focus_input(self) -> None:
        if self.screen is self.screen_stack[0]:
            self.query_one(QuestionInput).focus()

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

    def _card(self) -> AnswerCard | None:
        """The answer the keys act on: the one holding focus, else the latest."""
        focused = self.focused
        while focused is not None:
            if isinstance(focused, AnswerCard):
                return focused
            focused = focused.parent  # type: ignore[assignment]
        return self._current

    def _main_only(self) -> bool:
        return self.screen is self.screen_stack[0]

    def action_next_citation(self) -> None:
        self._step_citation(1)

    def action_prev_citation(self) -> None:
        self._step_citation(-1)

    def _step_citation(self, delta: int) -> None:
        card = self._card()
        if not self._main_only() or card is None or not card.answer.citations:
            self.notify("No citations here.", severity="warning")
            return
        card.select_citation(card.selected + delta)
        item = card.selected_item()
        if item is not None:
            self.transcript.scroll_to_widget(item, animate=False)

    def action_open_source(self) -> None:
        card = self._card()
        if not self._main_only():
            return
        if card is None or not card.answer.citations:
            self.notify("This answer has no citation to open.", severity="warning")
            return
        self.open_citation(card, max(card.selected, 0))

    def on_citation_item_chosen(self, event: CitationItem.Chosen) -> None:
        self._current = event.item.card
        event.item.card.select_citation(event.item.index)
        self.open_citation(event.item.card, event.item.index)

    def open_citation(self, card: AnswerCard, index: int) -> None:
        """Read the cited files (in a worker) and open the source viewer at citation ``index``."""
        self._open_sources(card.answer, index)

    @work(thread=True, group="source", exit_on_error=False)
    def _open_sources(self, answer: Answer, index: int) -> None:
        lines: dict[str, list[str]] = {}
        try:
            for c in answer.citations:
                if c.file not in lines:
                    lines[c.file] = self.backend.read_source(c.file)
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self.notify, _message(exc), title="Cannot open source", severity="error")
            return
        self.call_from_thread(self.push_screen, SourceScreen(answer.citations, index, lines))

    def action_toggle_sql(self) -> None:
        card = self._card()
        if not self._main_only():
            return
        if card is None or not card.answer.sql:
            self.notify("This answer has no SQL (only table answers do).", severity="warning")
            return
        card.toggle_sql()

    def action_copy_answer(self) -> None:
        card = self._card()
        if card is None:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        self.copy_to_clipboard(answer_plain_text(card.answer))
        self.notify("Answer copied to the clipboard.")

    def action_export(self) -> None:
        card = self._card()
        if card is None:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        try:
            result = export_answer(card.answer, self.export_dir)
        except PlanAssistantError as exc:
            self.notify(str(exc), title="Export failed", severity="error")
            return
        self.last_export = result
        where = str(result.markdown) + (f"\nrows: {result.csv}" if result.csv else "")
        self.notify(where, title="Exported", timeout=10)

    def action_filters(self) -> None:
        if not self._main_only():
            return
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
        if self._main_only():
            self.push_screen(HistoryScreen(self.history), self._history_chosen)

    def _history_chosen(self, question: str | None) -> None:
        if question:
            box = self.query_one(QuestionInput)
            box.value = question
            box.cursor_position = len(question)
            box.focus()

    def action_clear(self) -> None:
        if not self._main_only():
            return
        if self.busy:
            self.action_cancel()
        for card in self.query(".card"):
            card.remove()
        self._current = None
        self.backend.reset_conversation()
        self.status.turns = 0
        self.status.refresh_status()
        self.query_one(ExamplesPanel).display = True
        self.query_one(QuestionInput).focus()


def _default_keys(action: str) -> str:
    return next((s.keys for s in DEFAULT_KEYS if s.action == action), "")


def _message(exc: BaseException) -> str:
    """A one-line message for an exception: ours as written, others with their type."""
    if isinstance(exc, PlanAssistantError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def make_app(backend: Backend, **options: object) -> PlanAssistantApp:
    """The app factory shared by the CLI and the tests (options: keymap, history, export_dir,
    filters, show_timings)."""
    return PlanAssistantApp(backend, **options)  # type: ignore[arg-type]
