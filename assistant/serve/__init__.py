"""`plan-assistant serve`: the Textual app for browsers and a JSON API on one port.

- ``limits``: the bounds of a server (named constants, one frozen dataclass);
- ``conversations``: conversation ids kept in memory, bounded and expiring;
- ``answers``: the answer service: a few workers, queue and time limits, the ``ask --json`` object;
- ``workers``: an Assistant per worker process (``ProcessAnswerer``) or in this process (``LocalAnswerer``);
- ``info``: what ``/api/health`` and ``/api/documents`` report, read from DuckDB and the index;
- ``auth``: loopback by default, a token for anything else, checked by page, socket and API;
- ``api``: the aiohttp handlers and the JSON error middleware;
- ``server``: textual-serve's ``Server`` with those routes and middlewares on the same port;
- ``cli``: the click command; ``bench``: the load benchmark; ``browser``: the headless Chromium check.

Nothing here is imported by the core; importing this package loads nothing heavy.
"""
