"""Reading ``ask --jsonl`` input robustly: one request per line, a bad line never sinks the batch.

Lines are split on ``\\n`` only (a bare CR, a form feed or U+2028 inside a question does not start a
new question; a CR before the ``\\n`` of a Windows line ending is dropped). Each line is decoded as
UTF-8 on its own, so one undecodable line becomes an error object for that line and the batch goes
on. A line is a plain question or a JSON object ``{"question": "...", "conversation": "id"}``.
Questions are cleaned with ``textsafe.clean_input`` (full-width forms normalised, control
characters removed). Reading is line by line, so an interactive session (a FIFO, a pipe from
another program) gets each answer before it sends the next question.

    for line_no, item in read_jsonl_requests(sys.stdin):
        if isinstance(item, JsonlError):
            payload = item.to_dict()
        else:
            payload = ask(item.question, item.conversation)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from assistant.textsafe import clean_input, one_line

#: Longest input line read (bytes); longer lines are skipped to their end and reported.
MAX_LINE_BYTES = 1 << 20


@dataclass(frozen=True)
class JsonlRequest:
    """One question of a batch, with the conversation it belongs to (None: on its own)."""

    line_no: int
    question: str
    conversation: str | None = None


@dataclass(frozen=True)
class JsonlError:
    """A line that is not a usable request, and why."""

    line_no: int
    error: str
    text: str = ""  # the line as safe text (may be cut), for the error object

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line_no, "question": self.text or None, "error": self.error}


Item = JsonlRequest | JsonlError


def _raw_lines(stream: IO[Any], max_bytes: int) -> Iterator[tuple[bytes | str, bool]]:
    """(line without its final newline, too_long) for every line of a binary or text stream."""
    source = getattr(stream, "buffer", stream)  # text wrappers translate \r: read their bytes
    while True:
        line = source.readline(max_bytes + 1)
        if not line:
            return
        newline = "\n" if isinstance(line, str) else b"\n"
        too_long = not line.endswith(newline) and len(line) > max_bytes
        if too_long:  # skip the rest of this line
            while True:
                more = source.readline(max_bytes + 1)
                if not more or more.endswith(newline):
                    break
        yield line.rstrip(newline), too_long


def parse_line(line_no: int, text: str) -> Item | None:
    """A request from one decoded line (None for a blank line)."""
    if text.endswith("\r"):
        text = text[:-1]
    if not text.strip():
        return None
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except (ValueError, RecursionError) as exc:
            return JsonlError(line_no, f"line {line_no} is not valid JSON ({one_line(exc, 120)})", one_line(text, 200))
        if not isinstance(obj, dict):
            return JsonlError(line_no, f"line {line_no}: expected an object with a \"question\"", one_line(text, 200))
        question = obj.get("question")
        if not isinstance(question, str):
            return JsonlError(line_no, f"line {line_no}: \"question\" must be text", one_line(text, 200))
        conversation = obj.get("conversation")
        if conversation is not None and not isinstance(conversation, (str, int)):
            return JsonlError(line_no, f"line {line_no}: \"conversation\" must be text or a number",
                              one_line(question, 200))
        return JsonlRequest(line_no, clean_input(question), None if conversation is None else str(conversation))
    return JsonlRequest(line_no, clean_input(text))


def read_jsonl_requests(stream: IO[Any], max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, Item]]:
    """(line number, request or error) for every non-blank line of ``stream`` (1-based numbers)."""
    for line_no, (raw, too_long) in enumerate(_raw_lines(stream, max_line_bytes), start=1):
        if too_long:
            yield line_no, JsonlError(line_no, f"line {line_no} is longer than {max_line_bytes:,} bytes; skipped")
            continue
        if isinstance(raw, bytes):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                shown = raw.decode("utf-8", "replace")
                yield line_no, JsonlError(line_no, f"line {line_no} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} "
                                                   f"at position {exc.start})", one_line(shown, 200))
                continue
        else:
            text = raw
        if text.startswith("\ufeff") and line_no == 1:
            text = text[1:]  # a byte-order mark
        item = parse_line(line_no, text)
        if item is not None:
            yield line_no, item
