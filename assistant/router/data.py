"""The router's view of the database: one read-only connection, the lexicon, rows and citations.

The connection is the hardened read-only one of `assistant.sql.connect`; it is reopened when the
database file is replaced (ingest swaps in a new file atomically). Quotes are read from the source
file lines named by each row's provenance, so a SQL answer cites its source like a text answer.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.config import Settings
from assistant.errors import NotIngestedError
from assistant.models import Citation
from assistant.router.queries import Query
from assistant.router.semantic import CAPTION_GROUP, SECTION_GROUP, caption_phrases, section_phrases, semantics
from assistant.router.understand import DocumentInfo, Lexicon

log = logging.getLogger(__name__)

QUOTE_CHARS = 400
#: The opening of a section read as what it says of its list ("During 2019-20 ... achieved the following:").
SECTION_LEAD_CHARS = 200
#: How many rows back a part of a row may be from the row leading into its parts ("4c) ...:" then bi-biv).
MAX_PARTS = 12
#: A code a row opens with: "12cii)", "4c)", "CRR0063:" (digits and letters, then ")" or ":"; bare numbers are
#: no codes: a question's "5" is seldom a row's number).
_ROW_CODE = re.compile(r"^\s*([0-9]{1,3}[a-z]{1,5}|[A-Z]{2,5}\d{2,5})\s*[):]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|\d{4}")
#: Where one cell of a table row ends and the next begins (a tab, a pipe, a run of spaces) or a line ends.
_CELL_BREAK = re.compile(r"\t|\||\s{2,}|\n")
#: A word written as part of a name: a capital, then lower case ("Local", not "LOCAL" or "local").
_TITLED = re.compile(r"^[A-Z][a-z]")
_FY = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*(\d{2}|\d{4})\b")


@dataclass(frozen=True)
class Result:
    """Rows of one query, as dicts keyed by column name."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


#: A document that proposes next year's budget ("DIRECTORATE & FUNDING (PROPOSED BUDGET)").
_PROPOSED = re.compile(r"\bproposed\b|\bdraft budget\b", re.IGNORECASE)


class Database:
    """A lazily opened, shared, read-only connection to `settings.db_path`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._con: Any = None
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.RLock()
        self._lexicon: Lexicon | None = None
        self._derived: dict[str, Any] = {}   # built from this database file once (see `derived`)

    def _file_stamp(self) -> tuple[int, int]:
        try:
            st = os.stat(self.settings.db_path)
        except FileNotFoundError as exc:
            raise NotIngestedError(f"No database at {self.settings.db_path}; run `plan-assistant ingest` first.") from exc
        return st.st_ino, st.st_mtime_ns

    def connection(self) -> Any:
        """The open connection, reopened if the file was replaced since."""
        from assistant.sql.connect import connect_readonly

        stamp = self._file_stamp()
        with self._lock:
            if self._con is None or stamp != self._stamp:
                if self._con is not None:
                    self._con.close()
                self._con = connect_readonly(self.settings)
                self._stamp = stamp
                self._lexicon = None
                self._derived = {}
            return self._con

    def run(self, query: Query) -> Result:
        """Run one of our own parameterised statements through the one timed runner
        (`assistant.sql.connect.timed_execute`: time limit, memory limit, one-line errors)."""
        from assistant.sql.connect import timed_execute

        with self._lock:
            con = self.connection()
            columns, rows = timed_execute(con, query.sql, query.params, self.settings.sql_timeout_s,
                                          memory_mb=self.settings.sql_memory_limit_mb)
        return Result(tuple(columns), tuple(rows))

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    # ------------------------------------------------------------------ lexicon

    def lexicon(self) -> Lexicon:
        """People, departments, documents, group values and vocabulary, read once per database file."""
        self.connection()
        with self._lock:
            if self._lexicon is None:
                from assistant.retrieval.cache import by_database_version, module_salt

                self._lexicon = by_database_version(self.settings, "lexicon", self._load_lexicon, salt=module_salt(
                    "assistant.router.data", "assistant.router.understand", "assistant.router.extract",
                    "assistant.router.acronyms", "assistant.router.semantic"))
            return self._lexicon

    def derived(self, name: str, build: Callable[["Database"], Any]) -> Any:
        """What `build` makes from this database file, built once per file (rebuilt after an ingest)."""
        self.connection()
        with self._lock:
            if name not in self._derived:
                self._derived[name] = build(self)
            return self._derived[name]

    def _q(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return list(self.run(Query(sql, params)).rows)

    def _load_lexicon(self) -> Lexicon:
        people = [(n, list(a or []), t) for n, a, t in self._q("SELECT name, aliases, title FROM people ORDER BY name")]
        departments = self._q(
            "SELECT department, any_value(council) FROM sections WHERE department IS NOT NULL "
            "AND department <> '' GROUP BY department ORDER BY department")
        documents = [DocumentInfo(*map(lambda v: v or "", row)) for row in self._q(
            "SELECT doc_id, title, council, period, kind FROM documents ORDER BY doc_id")]
        groups: dict[tuple[str, str], tuple[str, ...]] = {}
        named = frozenset(str(n).lower() for n in [*(d for d, _ in departments), *(c for d in documents for c in
                                                                                 (d.council, d.title))] if n)
        for sem in semantics().values():
            for column in sem.groups:
                values = self._q(f"SELECT DISTINCT {column} FROM {sem.table} WHERE {column} IS NOT NULL LIMIT 300")
                groups[(sem.table, column)] = tuple(str(v[0]) for v in values if v[0])
            captions = self._q(f"SELECT DISTINCT r.caption FROM raw_tables r WHERE r.caption IS NOT NULL AND "
                               f"r.table_id IN (SELECT raw_table_id FROM {sem.table}) LIMIT 300")
            phrases = tuple(dict.fromkeys(p for (c,) in captions for p in caption_phrases(str(c))))
            if phrases:
                groups[(sem.table, CAPTION_GROUP)] = phrases
            paths = [str(p) for (p,) in self._q(f"SELECT DISTINCT section_path FROM {sem.table} "
                                                f"WHERE section_path IS NOT NULL LIMIT 1000")]
            headings = section_phrases(paths, named)
            if headings:
                groups[(sem.table, SECTION_GROUP)] = headings
        vocabulary, common, bigrams, df, n_units, initials, names = self._vocabulary()
        return Lexicon.build(people, departments, documents, groups, vocabulary, common, bigrams, df, n_units,
                             initials, self._row_codes(), names)

    def _row_codes(self) -> dict[str, tuple[str, ...]]:
        """Codes rows of the typed tables open with ("12cii)", "4c)", "CRR0063:"), lower-cased, with their
        tables; a code several tables' rows share names them all."""
        codes: dict[str, list[str]] = {}
        for sem in semantics().values():
            for (what,) in self._q(f"SELECT {sem.what} FROM {sem.table} WHERE {sem.what} IS NOT NULL"):
                m = _ROW_CODE.match(str(what))
                if m:
                    codes.setdefault(m.group(1).lower(), []).append(sem.table)
        return {c: tuple(dict.fromkeys(t)) for c, t in codes.items()}

    def _vocabulary(self) -> tuple[frozenset[str], frozenset[str], frozenset[str], dict[str, int], int,
                                   dict[str, str], frozenset[str]]:
        """Every word of the documents (lower-cased), the words also written in lower case, every pair
        of adjacent words, line frequencies, the phrases that own their initials (acronyms.py), and the
        pairs written only as a name ("Local Plan", never "local plan")."""
        texts = [r[0] for r in self._q("SELECT text FROM sections WHERE text IS NOT NULL")]
        texts += [r[0] for r in self._q("SELECT raw_text FROM raw_rows WHERE raw_text IS NOT NULL")]
        texts += [r[0] for r in self._q("SELECT heading FROM sections WHERE heading IS NOT NULL")]
        texts += [f"{r[0]} {r[1]}" for r in self._q("SELECT title, doc_id FROM documents")]
        texts += [" ".join(map(str, r[0])) for r in self._q("SELECT header FROM raw_tables WHERE header IS NOT NULL")]
        from collections import Counter

        from assistant.router.extract import terms

        vocab: set[str] = set()
        common: set[str] = set()
        bigrams: set[str] = set()
        titled: set[str] = set()   # pairs written as a name ("Local Plan"); `lowered`: pairs also written in lower case
        lowered: set[str] = set()
        df: Counter[str] = Counter()
        n_units = 0
        for text in texts:
            for line in text.splitlines():
                if line.strip():
                    n_units += 1
                    df.update(set(terms(line)))
            found = _WORD.findall(text)
            for w in found:
                vocab.add(w.lower())
                if w.islower():
                    common.add(w)
            bigrams.update(f"{a.lower()} {b.lower()}" for a, b in zip(found, found[1:]))
            for cell in _CELL_BREAK.split(text):   # words side by side in one cell, not across two
                side = _WORD.findall(cell)
                lowered.update(f"{a} {b}" for a, b in zip(side, side[1:]) if a.islower() and b.islower())
                # a name of two words inside running text ("implement a new Local Plan by"), not a heading
                titled.update(f"{side[i].lower()} {side[i + 1].lower()}" for i in range(1, len(side) - 1)
                              if _TITLED.match(side[i]) and _TITLED.match(side[i + 1]) and side[i - 1].islower()
                              and (i + 2 == len(side) or side[i + 2].islower()))
            vocab.update(f"fy{m.group(1)}-{m.group(2)[-2:]}" for m in _FY.finditer(text))
        from assistant.router.acronyms import phrase_initials

        return (frozenset(vocab), frozenset(common), frozenset(bigrams), dict(df), n_units, phrase_initials(texts),
                frozenset(titled - lowered))

    def typed_row_at(self, raw_table_id: str, line_start: int) -> tuple[str, str] | None:
        """The typed row (table, key) read from the raw table's row at that line, if one was: a cell's
        answer then leaves that row for a follow-up ("and what's it worth?")."""
        tables = list(semantics().values())   # one query over every typed table, in the semantic layer's order
        found = self._q(" UNION ALL ".join(
            f"(SELECT {i} AS n, CAST({sem.key} AS VARCHAR) AS k FROM {sem.table} WHERE raw_table_id = ? "
            f"AND line_start = ? ORDER BY {sem.key} LIMIT 1)" for i, sem in enumerate(tables)) + " ORDER BY n LIMIT 1",
            tuple(v for _ in tables for v in (raw_table_id, line_start)))
        return (tables[found[0][0]].table, str(found[0][1])) if found else None

    def rows_on_lines(self, citations: Sequence[Citation]) -> set[str]:
        """The typed tables with a row read from a cited line ("savings" for "- **Arts – £208,000**")."""
        places = [(c.file, c.line_start) for c in citations if c.file and c.line_start]
        if not places:
            return set()
        tables = list(semantics().values())
        marks = " OR ".join("(file = ? AND line_start <= ? AND coalesce(line_end, line_start) >= ?)" for _ in places)
        found = self._q(" UNION ALL ".join(f"(SELECT '{sem.table}' AS t FROM {sem.table} WHERE {marks} LIMIT 1)"
                                           for sem in tables),
                        tuple(v for _ in tables for file, line in places for v in (file, line, line)))
        return {str(t) for t, in found}

    def lead_in(self, table: str, key: str) -> str:
        """The text of the row a row is a part of ("4c) Substance misuse - ... successful completions ...:"
        for "biii) Alcohol"), as the index reads it (retrieval.chunks.sub_item_of); "" when it is none's.
        Callers ask only of rows whose text opens as a part (chunks.is_part): two queries a row."""
        from assistant.retrieval.chunks import is_part, sub_item_of

        sem = semantics()[table]
        found = self._q(f"SELECT {sem.what}, raw_table_id, raw_row_index FROM {sem.table} WHERE {sem.key} = ?", (key,))
        if not found or not found[0][0] or not found[0][1] or found[0][2] is None:
            return ""
        own, raw_table, index = str(found[0][0]), found[0][1], found[0][2]
        before = self._q(f"SELECT {sem.what} FROM {sem.table} WHERE raw_table_id = ? AND raw_row_index < ? "
                         f"ORDER BY raw_row_index DESC LIMIT {MAX_PARTS}", (raw_table, index))
        for (text,) in before:   # back over the other parts, to the row that leads into them
            text = str(text or "")
            if text.rstrip().endswith(":"):
                return text if sub_item_of(own, text) else ""
            if not is_part(text):
                return ""
        return ""

    def spellings(self) -> dict[str, str]:
        """Each spelling seen of a person -> their canonical name (the lexicon's people)."""
        return {alias: p.name for p in self.lexicon().people for alias in (p.name, *p.aliases)}

    def reference_year(self, documents: tuple[str, ...], tables: tuple[str, ...] = ()) -> int | None:
        """The first year of the plan period that relative dates ("next year") count from: the named
        document, else the one with the most rows of the tables asked about ("next year's net budget":
        the budget's), else the one with the most typed rows; for a proposed budget, the year before
        the one it is for."""
        docs = {d.doc_id: d for d in self.lexicon().documents}
        doc_id = next((d for d in documents if d in docs), None)
        typed = [t for t in tables or ("actions", "kpis") if t in semantics()]
        if doc_id is None and typed:
            rows = self._q("SELECT doc_id, count(*) AS n FROM (" + " UNION ALL ".join(
                f"SELECT doc_id FROM {t}" for t in typed) + ") GROUP BY doc_id ORDER BY n DESC, doc_id LIMIT 1")
            doc_id = rows[0][0] if rows else None
        period = docs[doc_id].period if doc_id in docs else ""
        m = re.match(r"((?:19|20)\d\d)", period or "")
        if not m:
            return None
        # a proposed budget is written in the year before the one it sets: its year is "next year"
        ahead = doc_id in docs and bool(_PROPOSED.search(f"{docs[doc_id].title} {docs[doc_id].kind}"))
        return int(m.group(1)) - (1 if ahead else 0)

    def lines(self, file: str) -> tuple[str, ...]:
        """Lines of an ingested document (assistant/retrieval/source.py), () for any other file."""
        from assistant.retrieval.source import source_reader

        return source_reader(self.settings).lines(file)

    def cite(self, row: dict[str, Any]) -> Citation:
        """A citation of a typed row of this database."""
        return row_citation(row, self.doc_titles(), self.lines)

    def doc_titles(self) -> dict[str, str]:
        return {d.doc_id: d.title for d in self.lexicon().documents}

    def cabinet_member(self, row: dict[str, Any]) -> str | None:
        """The Cabinet Member a typed row's section names (its portfolio holder), if any."""
        if not row.get("file") or not row.get("section_path"):
            return None
        found = self._q("SELECT cabinet_member FROM sections WHERE file = ? AND section_path = ? AND "
                        "cabinet_member IS NOT NULL AND cabinet_member <> '' LIMIT 1",
                        (str(row["file"]), str(row["section_path"])))
        return str(found[0][0]) if found else None

    def section_start(self, file: str, section_path: str) -> tuple[int, int] | None:
        """The first and last lines of a section, if the database has it."""
        found = self._q("SELECT line_start, line_end FROM sections WHERE file = ? AND section_path = ? LIMIT 1",
                        (file, section_path))
        return (int(found[0][0]), int(found[0][1] or found[0][0])) if found and found[0][0] else None

    def section_leads(self, citations: Sequence[Citation]) -> list[str]:
        """The first line of each cited section's own text ("During 2019-20 the Directorate achieved the
        following:"): what it says of the list or passage below it, its period among it."""
        places = sorted({(c.file, c.section) for c in citations if c.file and c.section})
        if not places:
            return []
        marks = " OR ".join("(file = ? AND section_path = ?)" for _ in places)
        rows = self._q(f"SELECT text FROM sections WHERE {marks}", tuple(v for place in places for v in place))
        return [str(text).strip().split("\n", 1)[0][:SECTION_LEAD_CHARS] for text, in rows if text]

    def table_headers(self, citations: Sequence[Citation]) -> list[str]:
        """The header of each table a citation quotes a row of ("... | 2017-18 | 2018-19 | ..."): what
        says which year each of the row's figures is for."""
        places = sorted({(c.file, c.line_start) for c in citations if c.file and c.line_start})
        if not places:
            return []
        marks = " OR ".join("(file = ? AND line_start <= ? AND line_end >= ?)" for _ in places)
        rows = self._q(f"SELECT DISTINCT header FROM raw_tables WHERE {marks}",
                       tuple(v for file, line in places for v in (file, line, line)))
        return [" | ".join(str(h) for h in header) for header, in rows if header]


# ---------------------------------------------------------------------- source lines and citations

#: Reads the lines of a file by its repository-relative name; () when it may not be read.
LinesOf = Callable[[str], tuple[str, ...]]


def quote(lines: tuple[str, ...], line_start: int, line_end: int, limit: int = QUOTE_CHARS) -> str:
    """The text of lines `line_start..line_end` (1-based, inclusive), HTML tags removed, shortened."""
    if not lines or line_start < 1:
        return ""
    text = " ".join(lines[line_start - 1:max(line_start, line_end)])
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text.replace("\t", " | ")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def row_citation(row: dict[str, Any], titles: dict[str, str], lines_of: LinesOf) -> Citation:
    """A citation of a typed row through its provenance columns, quoting the source lines (read
    only from ingested files, through `lines_of`)."""
    start = int(row.get("line_start") or 0)
    end = int(row.get("line_end") or start)
    file = str(row.get("file") or "")
    return Citation(file=file, title=titles.get(str(row.get("doc_id")), str(row.get("doc_id") or "")),
                    section=str(row.get("section_path") or ""), line_start=start, line_end=end,
                    quote=quote(lines_of(file), start, end),
                    page=int(row["page"]) if isinstance(row.get("page"), int) else None)


def table_rows(db: "Database") -> list[dict[str, Any]]:
    """Every row of every ingested table with its table's and document's fields, in table and row order:
    the one read of ``raw_rows`` that the cell index (cells.py) and the table catalogue (sheets.py) share.
    Use it through ``db.derived("table_rows", table_rows)`` so that it runs once per database file."""
    return db.run(Query(
        "SELECT t.table_id, t.doc_id, t.file, d.title, d.kind AS doc_kind, coalesce(t.council, d.council) AS council, "
        "t.department, t.caption, t.section_path, t.kind, t.header, r.cells, r.line_start, r.line_end, r.page, "
        "coalesce(r.spanning, false) AS spanning, coalesce(r.is_total, false) AS is_total, r.row_index "
        "FROM raw_rows r JOIN raw_tables t USING (table_id) LEFT JOIN documents d ON d.doc_id = t.doc_id "
        "ORDER BY t.table_id, r.row_index")).dicts()
