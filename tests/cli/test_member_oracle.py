"""Typing ID numbers into `case open` or `contact add` must not tell anyone who is a party member (issue 13):
a member outside the actor's subtrees, and even a member anywhere when the actor is unknown, is answered
exactly as a number that matches nobody — the same exit code and the same words, but for the number."""
from __future__ import annotations

import re

import pytest

from tests.builders import make_id_number

UNKNOWN = make_id_number(777)


@pytest.fixture
def member(zhang_san) -> str:
    """张三 of branch B1 in the builders' world (tests/cli/conftest.py)."""
    return zhang_san


def _answer(result) -> tuple[int, str]:
    return result.exit_code, re.sub(r"410402\*+\d{4}", "<number>", result.output)


COMMANDS = {
    "case open": lambda number, actor: ("case", "open", number, "--at", "2016-06-01", "--actor", actor),
    "contact add": lambda number, actor: ("contact", "add", number, "--date", "2016-06-01", "--kind", "org_life",
                                          "--actor", actor),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("actor", ["officer3", "reviewer2", "nobody-at-all"])
def test_a_member_out_of_reach_is_answered_exactly_as_an_unknown_number(cli, member, command, actor):
    out_of_reach = _answer(cli(*COMMANDS[command](member, actor)))
    unknown = _answer(cli(*COMMANDS[command](UNKNOWN, actor)))
    assert out_of_reach == unknown
    assert out_of_reach[0] in (3, 4) and "Traceback" not in out_of_reach[1]
