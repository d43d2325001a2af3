"""assistant.text: the one place that stems, tokenises, folds and holds the stop-word lists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import text
from assistant.config import REPO_ROOT

SCANNED = ("assistant", "eval", "tui")
TEXT_MODULE = REPO_ROOT / "assistant" / "text.py"
# A stemmer built, or a stop-word list assigned, anywhere but in assistant/text.py.
_DUPLICATE = re.compile(
    r"Stemmer\.Stemmer\(|^\s*(?:[A-Z_]*STOP_?WORDS[A-Z_]*|QUESTION_WORDS)\s*(?::[^=]*)?=(?!=)", re.M)


def _sources() -> list[Path]:
    return [p for d in SCANNED for p in sorted((REPO_ROOT / d).rglob("*.py")) if p != TEXT_MODULE]


def test_no_other_module_defines_a_stemmer_or_a_stop_word_list() -> None:
    sources = _sources()
    assert len(sources) > 50  # the scan reads the real tree
    found = [f"{p.relative_to(REPO_ROOT)}:{m.group(0).strip()}" for p in sources
             for m in _DUPLICATE.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_the_scan_would_catch_a_duplicate() -> None:
    assert _DUPLICATE.search('STOPWORDS = frozenset("a an".split())')
    assert _DUPLICATE.search("    _STOP_WORDS: frozenset[str] = frozenset()")
    assert _DUPLICATE.search('    return Stemmer.Stemmer("english")')
    assert _DUPLICATE.search("QUESTION_WORDS = frozenset()")
    assert not _DUPLICATE.search("from assistant.text import ROUTER_STOPWORDS as STOPWORDS")
    assert not _DUPLICATE.search("if STOPWORDS == other:")


def test_callers_share_the_definitions() -> None:
    from assistant.retrieval import chunks, lexical, search
    from assistant.router import extract, scoring, understand
    from eval import metrics

    assert extract.stem is text.stem and extract.terms is text.terms and scoring.terms is text.terms
    assert understand.STOPWORDS is text.ROUTER_STOPWORDS and understand.fold is text.fold
    assert understand.words is text.words
    assert lexical.tokenize is text.index_tokens
    assert chunks.normalise is text.collapse_spaces
    assert metrics.normalise is text.normalise
    assert search._words is text.unicode_words


def test_stop_word_sets() -> None:
    from bm25s.stopwords import STOPWORDS_EN

    assert text.LUCENE_STOPWORDS == frozenset(STOPWORDS_EN)
    assert text.RETRIEVAL_STOPWORDS == text.LUCENE_STOPWORDS | text.QUESTION_WORDS
    assert {"what", "who", "please"} <= text.QUESTION_WORDS
    assert {"council", "plan", "documents", "whats"} <= text.ROUTER_STOPWORDS
    assert "budget" not in text.ROUTER_STOPWORDS | text.RETRIEVAL_STOPWORDS


def test_stem_is_snowball_english() -> None:
    assert text.stem("inspections") == "inspect"
    assert text.stem("Inspections") == "inspect"
    assert text.stem("councils") == "council"
    assert text.stem("running") == "run"
    assert text.stem_words(["libraries", "roads"]) == ["librari", "road"]
    assert text.stem_words([]) == []
    assert text.stemmer() is text.stemmer()


def test_a_missing_pystemmer_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "Stemmer", None)  # makes `import Stemmer` raise ImportError
    text.stemmer.cache_clear()
    try:
        with pytest.raises(text.StemmerMissing, match="PyStemmer"):
            text.stemmer()
    finally:
        text.stemmer.cache_clear()


def test_tokenisers() -> None:
    assert text.words("Cllr O'Neil's 2021-22 budget") == ["cllr", "o", "neil", "s", "2021", "22", "budget"]
    assert text.unicode_words("Café_Plan 2021") == ["café_plan", "2021"]
    # index tokens: 2+ characters, Lucene and question words out, stemmed
    assert text.index_tokens("What is the Council doing about a 95% rise in libraries?") == [
        "council", "95", "rise", "librari"]
    # router terms: keep '£' and '%', drop the router's stop words and one-letter words
    assert text.terms("Which plan says £8.4m for roads and 95% of schools?") == [
        "£8", "4m", "road", "95%", "school"]
    assert text.terms("") == [] and text.index_tokens("the a of") == []


def test_normalisers() -> None:
    assert text.collapse_spaces("  A\tB \n C  ") == "A B C"
    assert text.fold("Children's Services & Schools: 2021/22!") == "children services and schools 2021/22"
    assert text.fold("O'Neil\u2019s  A&E") == "oneil a and e"  # a straight apostrophe inside a word goes
    assert text.normalise("\u201cTotal\u201d \u2013 £8,412,000 ") == '"total" £8412000'
    assert text.normalise("Co-operative *  Council") == "co operative council"
    assert text.normalise("1,23") == "1,23"  # not a thousands separator


def test_importing_the_module_stays_light() -> None:
    code = ("import sys, assistant.text as t; t.terms('roads and libraries'); "
            "print(sorted(m for m in ('torch', 'transformers', 'bm25s', 'numpy', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert out.stdout.strip() == "[]"


def test_as_written_shows_stems_as_the_text_writes_them() -> None:
    from assistant import text

    assert text.as_written(["capit", "three"], "total 3 year Capital across the areas") == ["Capital", "three"]


def test_stems_of_one_word_family_match_but_words_that_start_alike_do_not() -> None:
    from assistant.text import same_family, terms

    exclusions, excluded = terms("exclusions excluded")
    assert same_family(exclusions, excluded)
    assert same_family(*terms("provide provision"))
    assert not same_family(*terms("community communication"))
    assert not same_family(*terms("school schools")[:1], "scholar")


def test_a_number_written_as_a_plural_is_the_number() -> None:
    """"Over 85s" is said of "85 and over"; the index and the router read it the same way."""
    from assistant.text import index_tokens, stem, terms

    assert stem("85s") == "85" and terms("and over 85s?") == ["85"]
    assert terms("ETE's 4x4s") == ["ete", "4x4"]
    assert index_tokens("the 1990s and under 18s") == ["1990", "under", "18"]
    assert stem("inspections") == "inspect"


def test_sizes_are_read_and_matched_as_written() -> None:
    """"3.5t" is a size the tokeniser would cut; its pattern matches "3.5 t" and "3.50t", not "13.5t" or "3.0t"."""
    import re

    from assistant.text import size_pattern, sizes_in

    assert sizes_in("ETE 3.5t vans and an HGV 18t tipper") == {(3.5, "t"), (18.0, "t")}
    assert sizes_in("£3.5m and 2025-26") == set()
    asked = re.compile(size_pattern((3.5, "t"), "t"))
    assert asked.search("van 3.5 t") and asked.search("3.50t tipper") and asked.search("3.5t")
    assert not asked.search("13.5t") and not asked.search("3.0t van")
    three = re.compile(size_pattern((3.0, "t"), "t"))
    assert three.search("3t van") and three.search("3.0t van") and not three.search("3.5t")
    assert re.search(size_pattern(None, "t"), "luton van 3.5t") and not re.search(size_pattern(None, "t"), "van")


def test_a_verb_with_not_written_short_is_the_verb_and_not() -> None:
    """"Doesn't" is "does not" (both stop words), never a word "doesn" that no document writes."""
    from assistant.text import negations_spelt_out, terms

    assert negations_spelt_out("it doesn't, won't, can't or isn’t") == "it does not, will not, can not or is not"
    assert terms("if the programme doesn't deliver") == terms("if the programme does deliver")
