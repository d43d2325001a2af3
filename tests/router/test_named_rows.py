"""Unit tests of rows a question lists by name (assistant/router/named_rows.py): reading the list, and a
name that fits a row's name by its words or its initials."""

from __future__ import annotations

from assistant.router.named_rows import listed, names_row


def test_a_list_in_brackets_gives_its_names() -> None:
    assert listed("the three lines (Carer Services, Community Services and Enablement Services) in net?") == [
        "Carer Services", "Community Services", "Enablement Services"]
    assert listed("add up the lines (ECE, Growth & Communities, H&T)") == ["ECE", "Growth & Communities", "H&T"]
    assert listed("the two lines (Carer Services and Enablement Services)") == ["Carer Services", "Enablement Services"]


def test_brackets_that_are_not_a_list_give_none() -> None:
    assert listed("CYPE (Operations and County Wide) net budget") == []     # one name with an "and" in it
    assert listed("the total (excluding prior years)") == []
    assert listed("the plan (which the council agreed in March, after a long consultation with residents "
                  "and partners across the county and beyond the boundary)") == []   # a sentence, not names


def test_a_name_fits_a_row_by_its_words_or_its_initials() -> None:
    held = frozenset({"growth", "communiti", "divis", "manag", "cost"})
    assert names_row("Growth & Communities", "Growth and Communities Divisional management costs", held)
    assert names_row("H&T", "Highways & Transportation divisional management costs", held)
    assert names_row("ECE", "Environment and Circular Economy Divisional management costs", held)
    assert names_row("employer NI", "Employer National Insurance Contributions Grant", held)
    assert not names_row("ECE", "Highways & Transportation divisional management costs", held)
    assert not names_row("Community Services", "Adult In House Carer Services", held)


def test_names_joined_by_and_before_adding_up_are_a_list() -> None:
    assert listed("What do grants and developer contributions add up to in 2027-28?") == [
        "grants", "developer contributions"]
    assert listed("For a member briefing: CYPE and GET capital together in 2026-27?") == ["CYPE", "GET"]
    assert listed("what are grants and borrowing combined in 2028-29?") == ["grants", "borrowing"]
    assert listed("how many actions does Wallace lead together with Stevens?") == []   # nothing added up
    assert listed("what is the net budget for waste?") == []
    assert listed("developer contributions for 2025-26 and 2026-27 combined?") == []   # years, not rows


def test_a_row_printed_on_two_pages_is_picked_from_the_page_with_the_year_asked() -> None:
    from assistant.router.named_rows import pick
    from assistant.router.sheets import Line, Sheet

    def sheet(table_id: str, years: tuple[str, str], figures: tuple[str, str]) -> Sheet:
        header = ("Row Ref", "Source", f"{years[0]} £000s", f"{years[1]} £000s")
        rows = (Line(("9", "Grants", *figures), 1, 1, 1, frozenset({"grant"})),
                Line(("10", "Developer Contributions", "40", "50"), 2, 2, 1, frozenset({"develop", "contribut"}), 1))
        return Sheet(table_id, "capital", "c.pdf", "Capital", "Kent", "", "Capital Investment", "", "unclassified",
                     header, rows, frozenset(), (), frozenset(), tuple(frozenset() for _ in header),
                     (False, False, True, True), (False, True, False, False))

    first = sheet("p1", ("2025-26", "2026-27"), ("100", "110"))
    second = sheet("p2", ("2029-30", "2030-31"), ("300", "310"))
    words = frozenset({"grant", "develop", "contribut"})
    assert pick(["grants"], [first, second], {}, words) is None   # two different rows equally named
    picked = pick(["grants", "developer contributions"], [first, second], {}, words, ("2029-30",))
    assert picked is not None and [p.sheet.table_id for p in picked] == ["p2", "p2"]


def test_a_total_line_names_the_division_it_totals() -> None:
    from assistant.router.scoring import total_of
    assert total_of("Total - Strategic Commissioning (Integrated and Adults)") == "strategic commissioning (integrated and adults)"
    assert total_of("Total – Finance") == "finance"
    assert total_of("Totally Local Company") == "" and total_of("Strategic Commissioning") == ""


def test_a_row_named_whole_at_the_start_of_the_question() -> None:
    from assistant.router.assistant import _named_as_subject
    q = "buxton fairfield roundabout (the roundabout contract itself, not the golf club earthworks) - value and start?"
    assert _named_as_subject(q, "Buxton Fairfield Roundabout")
    assert not _named_as_subject(q, "Hogshaw/Fairfield Roundabout, Buxton - Golf club earthworks contract")
    assert not _named_as_subject("buxton - what's planned?", "Buxton")   # one word names many rows
    assert _named_as_subject("the sure start children's centres: budget?", "Sure Start Children's Centres")
