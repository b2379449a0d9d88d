"""The roster's columns for seed 003 附件1 (婚姻状况, 参加工作时间, 学历, 学位, 毕业院校, 现任党内职务, the 出国（境）
block, 家庭主要成员及重要社会关系): optional, English or Chinese headers, values from the seed notes' lists; a value
off a list is refused with its file, row and column in Chinese and English, and nothing is written."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from lostcontact.importing import import_file
from models import Member, MemberChange
from statemachines.errors import BadInput

from ..builders import make_id_number
from .conftest import table_counts

CHINESE = ("身份证号,姓名,所在党支部代码,党员类别,入党时间,婚姻状况,参加工作时间,学历,学位,毕业院校,现任党内职务,"
           "是否出国（境）,出国日期,出国原因,出国后与组织联系情况,党籍处理方式,回国日期,恢复组织生活情况,家庭主要成员及重要社会关系")
ENGLISH = ("id_number,name,branch_code,standing,join_date,marital_status,work_start_date,education,degree,school,"
           "party_post,abroad,abroad_date,abroad_reason,abroad_contact,membership_handling,return_date,life_resumption,"
           "family")
GOOD_ROW = ("{id},新人,B1,正式,2010-07-01,已婚,2003年7月1日,大学本科,学士,郑州大学,党支部书记,是,2015-09-01,留学,"
            "不定期,保留党籍（三年以上）,2016-03-01,已申请未恢复,\"配偶 李某 1986-03 群众 某公司职员；儿子 张小某 2012-09\"")


def member(db, id_number) -> Member:
    with db.engine.connect() as conn:
        return conn.execute(select(Member).where(Member.id_number == id_number)).one()


@pytest.mark.parametrize("header", [CHINESE, ENGLISH], ids=["chinese", "english"])
def test_the_basic_information_columns_import_under_either_header(db, world, today, tmp_path, header):
    number = make_id_number(90)
    path = tmp_path / "roster.csv"
    path.write_text(header + "\n" + GOOD_ROW.format(id=number) + "\n", encoding="utf-8")

    assert import_file(db, "members", path, today=today).inserted == 1

    m = member(db, number)
    assert (m.marital_status, str(m.work_start_date), m.education, m.degree, m.school, m.party_post) == (
        "married", "2003-07-01", "大学本科", "学士", "郑州大学", "党支部书记")
    assert (m.abroad, m.abroad_reason, m.abroad_contact, m.membership_handling, str(m.return_date),
            m.life_resumption) == (True, "留学", "irregular", "retain_over_3y", "2016-03-01", "applied")
    assert json.loads(m.family) == [
        {"relation": "配偶", "name": "李某", "birth": "1986-03", "political": "群众", "work": "某公司职员"},
        {"relation": "儿子", "name": "张小某", "birth": "2012-09", "political": None, "work": None}]


def test_a_reimport_records_a_changed_field_in_the_members_history(db, world, today, tmp_path):
    number = make_id_number(91)
    path = tmp_path / "roster.csv"
    path.write_text(CHINESE + "\n" + GOOD_ROW.format(id=number) + "\n", encoding="utf-8")
    import_file(db, "members", path, today=today)
    path.write_text(CHINESE + "\n" + GOOD_ROW.format(id=number).replace("已申请未恢复", "已恢复") + "\n", encoding="utf-8")

    assert import_file(db, "members", path, today=today).updated == 1
    with db.engine.connect() as conn:
        changes = conn.execute(select(MemberChange.field, MemberChange.old_value, MemberChange.new_value)).all()
    assert [tuple(c) for c in changes] == [("life_resumption", "applied", "resumed")]


BAD_VALUES = [
    ("marital_status", "已婚", "丧偶", "婚姻状况", "marital status"),
    ("abroad_contact", "不定期", "偶尔", "出国后与组织联系情况", "contact while abroad"),
    ("membership_handling", "保留党籍（三年以上）", "保留党籍（五个月）", "党籍处理方式", "membership handling"),
    ("life_resumption", "已申请未恢复", "恢复中", "恢复组织生活情况", "resumption of organisational life"),
    ("family", "\"配偶 李某 1986-03 群众 某公司职员；儿子 张小某 2012-09\"", "配偶", "称谓和姓名",
     "a relation and a name"),
    ("return_date", "2016-03-01", "2015-01-01", "回国日期早于出国日期", "before the departure date"),
    ("work_start_date", "2003年7月1日", "2003年7月", "缺少日", "the day is missing"),
]


@pytest.mark.parametrize("column, good, bad, zh, en", BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_a_value_off_the_seeds_list_is_refused_naming_file_row_and_column(refusing_db, today, tmp_path, column,
                                                                          good, bad, zh, en):
    rows = [GOOD_ROW.format(id=make_id_number(92)), GOOD_ROW.format(id=make_id_number(93)).replace(good, bad, 1)]
    assert bad in rows[1]
    path = tmp_path / "roster.csv"
    path.write_text(CHINESE + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    before = table_counts(refusing_db)

    with pytest.raises(BadInput) as refused:
        import_file(refusing_db, "members", path, today=today)

    text = "\n".join(refused.value.lines())
    assert "roster.csv" in text
    assert re.search(rf"第3行 列 {column}\b", text) and re.search(rf"row 3, column {column}\b", text), text
    assert zh in text and en in text, text
    assert table_counts(refusing_db) == before
