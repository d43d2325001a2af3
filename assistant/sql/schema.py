"""The DuckDB schema: the contract between ingestion, retrieval, the router and users of `sql`.

Every typed table carries the same provenance columns (``PROVENANCE``), so that a SQL answer cites
its source rows exactly as a text answer does. Dates keep their raw text next to a normalised
range (``*_date`` = first day, ``*_date_end`` = last day of the period), its precision
(day | month | season | financial_year | year), a status word (Ongoing, TBC, ...) and a flag for
impossible dates (the raw text is kept, the date is NULL).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str | None = None

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{c.name} {c.type}" for c in self.columns)
        pk = f",\n  PRIMARY KEY ({self.primary_key})" if self.primary_key else ""
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}{pk}\n)"


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


PROVENANCE: tuple[Column, ...] = (
    _c("doc_id", "VARCHAR", "document key (file stem)"),
    _c("file", "VARCHAR", "source file relative to the repo, e.g. corpus/x.txt"),
    _c("council", "VARCHAR", "council the document belongs to"),
    _c("department", "VARCHAR", "department or portfolio, when known"),
    _c("section_path", "VARCHAR", "heading path, joined with ' > '"),
    _c("line_start", "INTEGER", "first source line (1-based)"),
    _c("line_end", "INTEGER", "last source line (inclusive)"),
    _c("raw_table_id", "VARCHAR", "raw_tables.table_id the row came from (NULL for prose)"),
    _c("raw_row_index", "INTEGER", "raw_rows.row_index of the first raw row"),
    _c("page", "INTEGER", "PDF page of line_start (NULL for text files)"),
)


def _date_cols(prefix: str, what: str) -> tuple[Column, ...]:
    return (
        _c(f"{prefix}_raw", "VARCHAR", f"{what} exactly as written"),
        _c(f"{prefix}_date", "DATE", f"{what}: first day of the normalised period"),
        _c(f"{prefix}_date_end", "DATE", f"{what}: last day of the normalised period"),
        _c(f"{prefix}_precision", "VARCHAR", "day | month | season | financial_year | year | years (a span of calendar years)"),
        _c(f"{prefix}_status", "VARCHAR", "status word instead of a date: Ongoing, TBC, Underway, ..."),
        _c(f"{prefix}_flag", "VARCHAR", "why the raw text could not be a date (e.g. impossible date)"),
    )


def _table(name: str, description: str, key: str, *cols: Column) -> Table:
    return Table(name, description, (_c(key, "VARCHAR", "stable row key"), *cols, *PROVENANCE), key)


TABLES: tuple[Table, ...] = (
    Table("documents", "One row per ingested document.", (
        _c("doc_id", "VARCHAR", "document key (file stem)"),
        _c("file", "VARCHAR", "path relative to the repo"),
        _c("title", "VARCHAR", "title from the manifest or detected"),
        _c("council", "VARCHAR", "council name"),
        _c("period", "VARCHAR", "plan period, e.g. 2021-25"),
        _c("kind", "VARCHAR", "council plan | service plan | pledges | delivery plan | other"),
        _c("content_hash", "VARCHAR", "sha256 of the file bytes"),
        _c("n_lines", "INTEGER", "number of lines"),
        _c("ingested_at", "TIMESTAMP", "when it was ingested"),
        _c("format", "VARCHAR", "text | markdown | csv | tsv | pdf | docx | html"),
        _c("n_pages", "INTEGER", "number of pages (PDF), NULL otherwise"),
    ), "doc_id"),
    Table("sections", "The heading tree of each document, with the prose of each section.", (
        _c("section_id", "VARCHAR", "stable key"),
        _c("doc_id", "VARCHAR", "document key"),
        _c("file", "VARCHAR", "source file"),
        _c("parent_id", "VARCHAR", "enclosing section"),
        _c("level", "INTEGER", "0 document, 1 department/portfolio, 2 section, 3 priority"),
        _c("heading", "VARCHAR", "heading text"),
        _c("section_path", "VARCHAR", "heading path joined with ' > '"),
        _c("department", "VARCHAR", "department or portfolio"),
        _c("council", "VARCHAR", "council"),
        _c("line_start", "INTEGER", "first line"),
        _c("line_end", "INTEGER", "last line"),
        _c("text", "VARCHAR", "the prose lines of the section (tables excluded), newline-joined"),
        _c("page", "INTEGER", "PDF page of the heading (NULL for text files)"),
        _c("cabinet_member", "VARCHAR", "cabinet member / portfolio holder named with a department heading, as written"),
        _c("director", "VARCHAR", "director / head of service / chief executive named with the heading (a role line "
           "such as 'Corporate Director: X' or 'Director X' under it, or in the heading itself), as written; "
           "inherited by the sections below it"),
    ), "section_id"),
    Table("raw_tables", "Every table found, classified or not, with its header (lossless).", (
        _c("table_id", "VARCHAR", "stable key"),
        _c("doc_id", "VARCHAR", "document key"),
        _c("file", "VARCHAR", "source file"),
        _c("council", "VARCHAR", "council"),
        _c("department", "VARCHAR", "department or portfolio"),
        _c("section_path", "VARCHAR", "heading path"),
        _c("kind", "VARCHAR", "typed table it fed (actions, kpis, ...) or 'unclassified'"),
        _c("format", "VARCHAR", "tsv | markdown | csv"),
        _c("header", "VARCHAR[]", "header cells (multi-line headers joined)"),
        _c("line_start", "INTEGER", "first line"),
        _c("line_end", "INTEGER", "last line"),
        _c("n_rows", "INTEGER", "number of data rows"),
        _c("page_start", "INTEGER", "PDF page of the first line (NULL for text files)"),
        _c("page_end", "INTEGER", "PDF page of the last line (a table continued across pages)"),
        _c("caption", "VARCHAR", "title rows above the header, when the table has them"),
    ), "table_id"),
    Table("raw_rows", "Every data row of every table, cell by cell, as written (lossless).", (
        _c("table_id", "VARCHAR", "raw_tables.table_id"),
        _c("row_index", "INTEGER", "0-based row number in the table"),
        _c("cells", "VARCHAR[]", "cells as written (HTML kept)"),
        _c("line_start", "INTEGER", "first line"),
        _c("line_end", "INTEGER", "last line"),
        _c("raw_text", "VARCHAR", "the source line(s) as written"),
        _c("page", "INTEGER", "PDF page of the row (NULL for text files)"),
        _c("bbox", "DOUBLE[]", "position on the page in points: x0, top, x1, bottom (PDF)"),
        _c("spanning", "BOOLEAN", "one merged cell across the table: a group label, not a data row"),
        _c("is_total", "BOOLEAN", "the table's printed total line (label Total/TOTAL with figures), stored once "
           "even when printed above the header of every page; not a data row"),
    ), "table_id, row_index"),
    Table("legend", "What the rating words and codes of a document mean, as the document itself says.", (
        _c("doc_id", "VARCHAR", "document key"),
        _c("file", "VARCHAR", "source file"),
        _c("term", "VARCHAR", "the word or code as written, e.g. GREEN, AMBER, lr"),
        _c("meaning", "VARCHAR", "its meaning in that document"),
        _c("line_start", "INTEGER", "source line"),
        _c("page", "INTEGER", "PDF page (NULL for text files)"),
    )),
    Table("pages", "The pages of structured documents (PDF; Word and HTML as one page 0): which lines each "
                   "holds, and its text.", (
        _c("doc_id", "VARCHAR", "document key"),
        _c("file", "VARCHAR", "source file"),
        _c("page", "INTEGER", "page number (1-based); 0 for a Word or HTML file, which has no pages"),
        _c("line_start", "INTEGER", "first line of the page in the document's extracted text"),
        _c("line_end", "INTEGER", "last line of the page"),
        _c("has_text", "BOOLEAN", "false for an image-only page (no text layer)"),
        _c("text", "VARCHAR", "the page's extracted lines, newline-joined (tabs separate table cells)"),
    ), "doc_id, page"),
    _table("actions", "Actions of delivery plans: what, who leads, when it starts and completes.", "action_id",
           _c("ref", "VARCHAR", "action number as written, e.g. '37' or '6' (sub-rows: '6.1')"),
           _c("parent_ref", "VARCHAR", "number of the parent action for '- ' sub-rows"),
           _c("action", "VARCHAR", "the action text, continuation lines joined, HTML removed"),
           _c("lead_raw", "VARCHAR", "lead cell as written"),
           _c("leads", "VARCHAR[]", "canonical names of the leads (see people)"),
           *_date_cols("start", "start"),
           *_date_cols("complete", "completion / due date"),
           _c("success_measures", "VARCHAR", "success measures, clean text"),
           _c("in_council_plan", "VARCHAR", "'yes' / 'no' / raw mark for 'Deliverable listed in the Council Plan'"),
           _c("priority", "VARCHAR", "council or departmental priority / priority outcome"),
           _c("difference", "VARCHAR", "what difference it makes (delivery plans)"),
           _c("plan", "VARCHAR", "which plan section: council priorities, departmental priorities, delivery actions"),
           ),
    _table("kpis", "Key performance measures.", "kpi_id",
           _c("description", "VARCHAR", "the measure"),
           _c("responsible_raw", "VARCHAR", "responsible officer as written"),
           _c("responsible", "VARCHAR[]", "canonical names"),
           _c("notes", "VARCHAR", "footnotes or marks"),
           ),
    Table("kpi_values", "One row per KPI, period and kind (actual | latest | target).", (
        _c("kpi_id", "VARCHAR", "kpis.kpi_id"),
        _c("period", "VARCHAR", "e.g. 2020-21"),
        _c("kind", "VARCHAR", "actual | latest | target"),
        _c("raw", "VARCHAR", "value as written, e.g. '£6.046m (Feb 2020)'"),
        _c("value", "DOUBLE", "number, NULL when not numeric"),
        _c("unit", "VARCHAR", "% | £ | count | days | ... "),
        _c("as_of", "VARCHAR", "note in brackets, e.g. 'Feb 2020'"),
        _c("status", "VARCHAR", "N/Av, TBC, AD, Monitor, ... when not a number"),
        _c("line_start", "INTEGER", "source line"),
    ), "kpi_id, period, kind"),
    _table("budget_lines", "Budget tables in long form: one row per line and column.", "budget_id",
           _c("line_item", "VARCHAR", "row label (division, service, ...)"),
           _c("measure", "VARCHAR", "column header (Employees, Net Budget, ...)"),
           _c("period", "VARCHAR", "budget year when stated"),
           _c("raw", "VARCHAR", "value as written"),
           _c("amount", "DOUBLE", "amount in pounds (× 1000 for £'000 tables; brackets negative)"),
           _c("is_total", "BOOLEAN", "TOTAL row"),
           ),
    _table("procurements", "Forward plans of procurement projects.", "procurement_id",
           _c("category", "VARCHAR", "category row above it (ICT, Legal Services, ...)"),
           _c("title", "VARCHAR", "contract title"),
           _c("value_raw", "VARCHAR", "estimated value as written"),
           _c("value", "DOUBLE", "estimated value in pounds"),
           *_date_cols("start", "estimated procurement start"),
           ),
    _table("risks", "Key departmental risks and their mitigations.", "risk_id",
           _c("priority", "VARCHAR", "council priority"),
           _c("risk", "VARCHAR", "the risk"),
           _c("mitigation", "VARCHAR", "mitigations"),
           _c("category", "VARCHAR", "group label row above it (e.g. 'Significant Risks (over £10m)')"),
           _c("owner", "VARCHAR", "directorate, service or officer owning the risk, as written"),
           _c("cause", "VARCHAR", "source or cause of the risk"),
           _c("event", "VARCHAR", "the risk event"),
           _c("consequence", "VARCHAR", "consequence or impact"),
           _c("likelihood", "VARCHAR", "likelihood as written (e.g. a 1-5 score)"),
           _c("rating", "VARCHAR", "RAG or status rating as written"),
           _c("annual_exposure", "DOUBLE", "estimated annual financial exposure in pounds (unit from the header, e.g. £m)"),
           _c("annual_exposure_raw", "VARCHAR", "annual exposure as written"),
           _c("lifetime_exposure", "DOUBLE", "estimated lifetime financial exposure in pounds"),
           _c("lifetime_exposure_raw", "VARCHAR", "lifetime exposure as written"),
           ),
    _table("savings", "Budget savings items.", "saving_id",
           _c("item", "VARCHAR", "saving heading"),
           _c("raw", "VARCHAR", "amount as written"),
           _c("amount", "DOUBLE", "amount in pounds"),
           _c("period", "VARCHAR", "year"),
           _c("description", "VARCHAR", "explanation"),
           ),
    _table("pledges", "Cabinet members' pledges (NEW / PROTECT / Super Six).", "pledge_id",
           _c("pledge_type", "VARCHAR", "NEW | PROTECT | SUPER SIX | ..."),
           _c("portfolio", "VARCHAR", "cabinet portfolio"),
           _c("cabinet_member", "VARCHAR", "canonical name, e.g. Cllr Amo Raju"),
           _c("pledge", "VARCHAR", "what is the pledge"),
           _c("recognition", "VARCHAR", "how the public will recognise it"),
           _c("measure", "VARCHAR", "how it will be measured"),
           *_date_cols("timeframe", "timeframe"),
           _c("outcome", "VARCHAR", "priority outcome"),
           ),
    _table("deliverables", "Council plan deliverables per priority (1-year / 4-year).", "deliverable_id",
           _c("priority", "VARCHAR", "priority"),
           _c("horizon", "VARCHAR", "e.g. '1 year', '4 year'"),
           _c("deliverable", "VARCHAR", "the deliverable"),
           ),
    _table("outcomes", "Outcomes, must-dos and commitments per priority or theme.", "outcome_id",
           _c("priority", "VARCHAR", "priority or theme"),
           _c("kind", "VARCHAR", "outcome | must do | commitment | measure | ..."),
           _c("outcome", "VARCHAR", "the text"),
           ),
    Table("people", "Canonical people and the spellings seen for them.", (
        _c("person_id", "VARCHAR", "stable key"),
        _c("name", "VARCHAR", "canonical name"),
        _c("aliases", "VARCHAR[]", "every spelling seen, canonical included"),
        _c("title", "VARCHAR", "role when known (Executive Director, Cllr, ...)"),
    ), "person_id"),
    Table("person_links", "Which row names which person, in which role.", (
        _c("person_id", "VARCHAR", "people.person_id"),
        _c("table_name", "VARCHAR", "actions | kpis | pledges | ..."),
        _c("row_id", "VARCHAR", "key in that table"),
        _c("role", "VARCHAR", "lead | responsible | cabinet member"),
        _c("name_raw", "VARCHAR", "spelling in the source"),
    )),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
TYPED_TABLES: tuple[str, ...] = ("actions", "kpis", "budget_lines", "procurements", "risks", "savings",
                                 "pledges", "deliverables", "outcomes")


def create_all(con) -> None:  # con: duckdb.DuckDBPyConnection
    """Create every table (idempotent)."""
    for table in TABLES:
        con.execute(table.ddl())
