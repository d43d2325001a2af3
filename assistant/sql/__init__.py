"""The DuckDB store: schema (``schema``), hardened read-only access (``connect``), a guard for SQL
not written by us (``guard``) and the ``sql`` / ``tables`` commands (``cli``)."""
