"""Ingestion: plan documents (text, markdown, CSV, TSV) into typed, lossless DuckDB tables.

Modules, in pipeline order: ``readers`` (decode, refuse bad inputs), ``sections`` (heading tree),
``tables`` (TSV / markdown / CSV tables, page breaks merged), ``classify`` (header semantics),
``extract`` (typed rows), ``normalise`` (dates, money, measures), ``people`` (names and aliases),
``document`` (one file), ``store`` (DuckDB writes). The entry point is
``assistant.pipeline.ingest_corpus``.
"""
