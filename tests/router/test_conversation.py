"""Follow-up questions resolved against the previous turn."""

from __future__ import annotations

from assistant.router import Conversation


def test_and_when_is_it_due_reuses_the_row(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("Who leads the Derbyshire Package provisions review?")
    assert "Emma Crapper" in first.answer
    second = chat.ask("and when is it due?")
    assert second.route == "sql" and "October 2020" in second.answer
    assert len(chat.turns) == 2


def test_who_else_in_that_department_excludes_the_people_named(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("Who leads the highways review?")
    other = chat.ask("who else leads actions in that department?")
    assert other.route == "sql"
    assert "Economy, Transport and Environment" in other.answer
    assert "Joe Battye" in other.answer and "Geoff Pickford" not in other.answer


def test_a_new_topic_is_not_a_follow_up(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("Who leads the highways review?")
    a = chat.ask("What is the estimated value of the Supply of Gas contract?")
    assert "£12,250,000" in a.answer


def test_a_follow_up_with_nothing_to_refer_to_abstains(assistant) -> None:
    from assistant.router import Conversation

    chat = Conversation(assistant)
    first = chat.ask("Who leads the Mars colonisation programme?")
    assert first.abstained
    follow = chat.ask("and when is it due?")
    assert follow.abstained and follow.route == "none"
    assert "whole question" in follow.answer
