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
