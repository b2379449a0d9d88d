"""Issue 11 at the command line: `case open` with a number typed wrong, or of a member outside the user's
subtree, says the same as the web (the same service)."""
from datetime import date

import pytest

from models.db import open_database

from ..builders import build_world, make_id_number


@pytest.fixture
def world(cli):
    database = open_database(cli.url)
    yield build_world(database)
    database.dispose()


def masked_away(text: str) -> str:
    return text.replace(text[text.index("410402"):text.index("410402") + 18], "<number>") if "410402" in text \
        else text


def test_a_member_outside_the_subtree_is_answered_as_an_unknown_number(cli, world):
    outside = world.add_member("赵七", branch="B3", last_contact=date(2015, 8, 31))  # not officer1's
    results = [cli("case", "open", number, "--actor", "officer1") for number in (outside, make_id_number(998))]
    assert [r.exit_code for r in results] == [4, 4]
    assert "未知身份证号" in results[0].output
    assert masked_away(results[0].output) == masked_away(results[1].output)
    assert "B3" not in results[0].output


def test_a_wrong_check_digit_is_reported_as_a_typing_mistake(cli, world):
    number = world.add_member("孙九", branch="B1", last_contact=date(2015, 8, 31))
    typo = number[:17] + ("0" if number[17] != "0" else "1")
    result = cli("case", "open", typo, "--actor", "officer1")
    assert result.exit_code == 4 and "身份证号校验位错误" in result.output and "未知身份证号" not in result.output
