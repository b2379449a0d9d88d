"""`lostcontact import … --actor LOGIN`: the import runs as that user, inside their subtrees only (the same
rule as the web's 导入名册); without --actor it is the local operator's, as before."""
from __future__ import annotations

import pytest

from lostcontact.importing.scope import OUTSIDE
from lostcontact.masking import mask_id

from ..builders import make_id_number



@pytest.fixture
def contacts(tmp_path, cli):
    """A member at B1 and one at B3, and a file of one contact with each."""
    roster = tmp_path / "roster.csv"
    roster.write_text("id_number,name,branch_code,standing,join_date\n"
                      f"{make_id_number(1)},甲,B1,正式,2005-07-01\n{make_id_number(3)},丙,B3,正式,2005-07-01\n",
                      encoding="utf-8")
    assert cli("import", "members", roster).exit_code == 0
    path = tmp_path / "contacts.csv"
    path.write_text(f"身份证号,日期,类型\n{make_id_number(1)},2016-03-05,党费\n{make_id_number(3)},2016-03-05,党费\n",
                    encoding="utf-8")
    return path


def test_a_branch_officer_may_not_import_contacts_of_another_branch(cli, contacts):
    result = cli("import", "contacts", contacts, "--actor", "officer1")
    assert result.exit_code == 4
    assert f"第3行 列 id_number 值「{mask_id(make_id_number(3))}」：{OUTSIDE[0]}" in result.stderr
    assert "第2行" not in result.stderr


def test_the_admin_of_the_whole_tree_imports_them(cli, contacts):
    result = cli("import", "contacts", contacts, "--actor", "admin1")
    assert result.exit_code == 0, result.output
    assert "新增 2" in result.stdout


def test_a_role_that_may_not_import_exits_3(cli, contacts):
    result = cli("import", "members", contacts, "--actor", "officer1")
    assert result.exit_code == 3
    assert "导入党员名册须由系统管理员执行" in result.stderr
