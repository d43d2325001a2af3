"""A count a passage gives as a list, not a number: "how many social media platforms was it on?" of
"... campaign on Facebook, Instagram and Snapchat" is 3, the three named.

Only a list of three names or more (each starting with a capital, written "A, B and C") in a
passage that writes no number of its own is counted, and the count is said with what the question
counts, then the passage as it was.
"""

from __future__ import annotations

import re

from assistant.router.verify import counted_phrase

#: One item of a list of names: up to four words, each starting with a capital ("Young Driver Parent"),
#: then perhaps its acronym in brackets ("Local Inclusion Forum Team (LIFT)") or a plural noun for what it
#: is ("In Year Fair Access panels").
_NAME = r"[A-Z][\w'’&-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’&-]*){0,3}(?:\s+\([A-Z][A-Za-z&]{1,8}\))?(?:\s+[a-z]{3,}s\b)?"
#: "Facebook, Instagram and Snapchat", "Bolsover, Chesterfield, High Peak and Amber Valley".
#: (Three or more, commas between: two names joined by "and" are as often one name, "Cycling and Walking Plan".)
_LIST = re.compile(rf"(?<![\w'’])(?P<items>(?:{_NAME}\s*,\s*)+{_NAME}\s*,?\s+and\s+{_NAME})(?![\w'’])")
#: A list of more than this many items is a table's row, not a list the sentence gives.
MAX_ITEMS = 12


def listed_count(lower: str, text: str) -> str | None:
    """The passage's answer with the count of the names it lists put first ("3 platforms: Facebook,
    Instagram and Snapchat. ..."), or None when the question asks no "how many", the passage writes a
    number, or it lists no names."""
    things = counted_phrase(lower)   # "how many social media platforms ...", as the question writes them
    if things is None or re.search(r"\d", text):
        return None
    found = _LIST.search(text)
    if found is None:
        return None
    items = [i.strip() for i in re.split(r"\s*,\s*|\s+and\s+", found.group("items")) if i.strip()]
    if not 3 <= len(items) <= MAX_ITEMS:
        return None
    return f"{len(items)} {things}: {found.group('items')}. {text}"
