"""A CSV saved by Excel in a locale whose list separator is `;` (or as tab-separated text) is read by the
separator of its header, and says so; a header typed with full-width commas is refused naming why. Such a
file never imports as one giant column."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.importing import import_file
from models import Member
from statemachines.errors import BadInput

from ..builders import make_id_number
from .conftest import table_counts

ZHANG, LI = make_id_number(41), make_id_number(42)
TODAY = date(2016, 6, 20)
HEADER = ["身份证号", "姓名", "所在党支部代码", "党员类别", "入党时间", "流入单位"]
ROWS = [[ZHANG, "张三", "B1", "正式", "2005-07-01", '"深圳某厂;二车间,夜班"'], [LI, "李四", "B1", "正式", "2006-07-01", ""]]


def roster(path, separator: str):
    path.write_text("\n".join(separator.join(cells) for cells in [HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def imported(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return conn.execute(select(Member.id_number, Member.name, Member.join_date, Member.receiving_unit)
                            .where(Member.id_number.in_((ZHANG, LI))).order_by(Member.id_number)).all()


@pytest.mark.parametrize("separator, words", [(";", "semicolon"), ("\t", "tab")])
def test_a_file_separated_by_semicolons_or_tabs_imports_like_the_comma_file_and_says_how_it_was_read(
        db, world, tmp_path, separator, words):
    summary = import_file(db, "members", roster(tmp_path / "roster.csv", separator), today=TODAY)
    assert summary.inserted == 2
    assert any(words in en for _, en in summary.warnings)
    assert imported(db) == sorted([(ZHANG, "张三", date(2005, 7, 1), "深圳某厂;二车间,夜班"),
                                   (LI, "李四", date(2006, 7, 1), None)])


def test_a_comma_file_whose_values_hold_semicolons_stays_a_comma_file(db, world, tmp_path):
    summary = import_file(db, "members", roster(tmp_path / "roster.csv", ","), today=TODAY)
    assert summary.inserted == 2 and not any("separated" in en for _, en in summary.warnings)
    assert ("深圳某厂;二车间,夜班" in [row.receiving_unit for row in imported(db)])


def test_a_header_typed_with_full_width_commas_is_refused_naming_the_separator_and_writes_nothing(db, world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("，".join(HEADER) + "\n" + "，".join(ROWS[1]) + "\n", encoding="utf-8")
    before = table_counts(db)
    with pytest.raises(BadInput) as refused:
        import_file(db, "members", path, today=TODAY)
    assert any("full-width comma" in en for _, en in refused.value.details)
    assert table_counts(db) == before


def test_a_semicolon_row_under_a_comma_header_is_a_bad_row_not_a_one_column_member(db, world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(",".join(HEADER) + "\n" + ";".join(ROWS[1]) + "\n", encoding="utf-8")
    before = table_counts(db)
    with pytest.raises(BadInput):
        import_file(db, "members", path, today=TODAY)
    assert table_counts(db) == before
