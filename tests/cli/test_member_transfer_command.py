"""`lostcontact member transfer`: exit 0 with a line saying the move, 3 when refused, 4 for an unknown or
out-of-reach branch or member, 2 for a malformed date; two lines (Chinese, English) and no traceback."""
from __future__ import annotations

import pytest


@pytest.fixture
def member(zhang_san) -> str:
    """张三 of branch B1 in the builders' world (tests/cli/conftest.py)."""
    return zhang_san


def test_an_admin_transfers_a_member_and_the_command_says_from_where_to_where(cli, member):
    result = cli("member", "transfer", member, "--to", "B3", "--at", "2016-06-01", "--actor", "admin1")
    assert result.exit_code == 0, result.output
    assert "B1 → B3" in result.stdout and "2016-06-01" in result.stdout


@pytest.mark.parametrize("args, code, words", [
    (("--to", "B3", "--actor", "reviewer1"), 4, "unknown branch code B3"),
    (("--to", "NOSUCH", "--actor", "reviewer1"), 4, "unknown branch code NOSUCH"),
    (("--to", "B2", "--actor", "officer1"), 4, "unknown branch code B2"),
    (("--to", "B2", "--actor", "upper1"), 3, "needs an admin or a committee reviewer"),
    (("--to", "B2", "--actor", "nobody"), 3, "unknown actor"),
    (("--to", "B2", "--at", "20160601", "--actor", "admin1"), 2, "YYYY-MM-DD"),
    (("--to", "B2"), 2, "--actor"),
])
def test_a_refused_transfer_exits_with_its_code_and_two_lines(cli, member, args, code, words):
    result = cli("member", "transfer", member, *args)
    assert result.exit_code == code, result.output
    assert words in result.output and "Traceback" not in result.output


def test_a_member_with_an_open_case_is_refused_with_exit_3(cli, member):
    assert cli("case", "open", member, "--at", "2016-06-01", "--actor", "officer1").exit_code == 0
    result = cli("member", "transfer", member, "--to", "B3", "--actor", "admin1")
    assert result.exit_code == 3 and "open case" in result.output and "错误：" in result.output
