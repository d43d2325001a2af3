"""Ingestion: plan documents (text, markdown, CSV, TSV, PDF, Word, HTML) into typed, lossless DuckDB tables.

Structured formats are laid out as lines first: ``pdf`` (pdfplumber: words, ruled tables, fonts),
``docx_reader`` and ``html_reader`` hand pages of items to ``compose`` (lines, tables continued
across pages, headings and departments), helped by ``layout`` (geometry) and ``grid`` (header
rows, merged cells); ``cards`` reads KPIs written as "Latest: ... Target: ..." and rating legends;
``sourcetext`` gives the lines citations count for any file; ``pdf_bench`` measures PDF parsing.

Modules, in pipeline order: ``readers`` (decode, refuse bad inputs), ``sections`` (heading tree),
``tables`` (TSV / markdown / CSV tables, page breaks merged), ``classify`` (header semantics),
``extract`` (typed rows), ``normalise`` (dates, money, measures), ``people`` (names and aliases),
``document`` (one file), ``store`` (DuckDB writes). The entry point is
``assistant.pipeline.ingest_corpus``.
"""
