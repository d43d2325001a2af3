"""A larger synthetic corpus, made from a real one by renaming councils and shifting dates.

Copy k (0-based) of every document gets new place names and every year moved on by k years, so
that documents differ (distinct hashes, ids and dates) while keeping the real layouts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.ingest.document import detect_meta, load_manifest
from assistant.ingest.readers import TEXT_SUFFIXES, read_source

PLACES = ("Aldermoor", "Brackenfield", "Coldwater", "Dunmere", "Eastbrook", "Fernleigh", "Glenholm",
          "Hartwell", "Ivybridge Vale", "Kestrel Moor", "Larchmont", "Millbeck", "Northvale", "Oakhurst",
          "Pennard", "Quarrington", "Rydal", "Stonegate", "Thornbury Vale", "Upwick")
_COUNCIL_TYPES = re.compile(r"\s+(county|city|borough|district|metropolitan borough|town|parish)?\s*council$", re.I)


def _place_of(council: str | None) -> str | None:
    if not council:
        return None
    place = _COUNCIL_TYPES.sub("", council).strip()
    return place or None


def _shift_years(text: str, years: int) -> str:
    if years == 0:
        return text

    def fy(m: re.Match) -> str:
        y1 = int(m.group(1)) + years
        tail = m.group(3)
        y2 = (int(tail) + years) % 100 if len(tail) == 2 else int(tail) + years
        return f"{y1}{m.group(2)}{y2:02d}" if len(tail) == 2 else f"{y1}{m.group(2)}{y2}"

    text = re.sub(r"\b(20\d{2})(\s*[-/–]\s*)(\d{2}|20\d{2})\b", fy, text)
    return re.sub(r"(?<![\d/-])\b(19[5-9]\d|20\d{2})\b(?![-/–]\d)", lambda m: str(int(m.group(1)) + years), text)


def _rename(text: str, places: dict[str, str]) -> str:
    for old in sorted(places, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(old)}", places[old], text)
    return text


def make_synthetic_corpus(src_dir: Path, dst_dir: Path, factor: int = 20) -> list[Path]:
    """Write ``factor`` renamed, date-shifted copies of every document of ``src_dir`` into ``dst_dir``."""
    src_dir, dst_dir = Path(src_dir), Path(dst_dir)
    dst_dir.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(src_dir)
    files = sorted(f for f in src_dir.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
                   and f.name != "manifest.json")
    councils: dict[Path, str | None] = {}
    for f in files:
        entry = manifest.get(f.name) or {}
        councils[f] = entry.get("council") or detect_meta(read_source(f).lines, f).council
    place_names = sorted({p for p in (_place_of(c) for c in councils.values()) if p}, key=len, reverse=True)
    out: list[Path] = []
    new_manifest: dict[str, dict] = {}
    for k in range(factor):
        suffix = "" if k < len(PLACES) else f" {k // len(PLACES) + 1}"
        mapping = {}
        for i, place in enumerate(place_names):
            mapping[place] = PLACES[(k + i * 7) % len(PLACES)] + suffix
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace")
            text = _shift_years(_rename(text, mapping), k)
            stem = _rename(f.stem, {p.lower(): v.lower().replace(" ", "-") for p, v in mapping.items()})
            target = dst_dir / f"{stem}-synthetic-{k:02d}{f.suffix}"
            target.write_text(text, encoding="utf-8")
            out.append(target)
            entry = dict(manifest.get(f.name) or {})
            for key in ("title", "council"):
                if entry.get(key):
                    entry[key] = _shift_years(_rename(entry[key], mapping), k)
            if entry.get("period"):
                entry["period"] = _shift_years(entry["period"], k)
            if entry:
                new_manifest[target.name] = entry
    (dst_dir / "manifest.json").write_text(json.dumps(new_manifest, indent=2), encoding="utf-8")
    return out
