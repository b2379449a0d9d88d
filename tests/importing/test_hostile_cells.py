"""Cells and options that used to end in an internal error (exit 1) are refused clearly, naming the row and
column or the option, with nothing written."""
from __future__ import annotations

import pytest

from lostcontact.importing import import_file
from statemachines.errors import BadInput, UsageError

from ..builders import make_id_number
from .conftest import table_counts

HEADER = "id_number,name,branch_code,standing,join_date,occupation"


@pytest.mark.parametrize("cell", ["9" * 5000, "9" * 30], ids=["5000 digits", "30 digits"])
def test_a_code_or_date_cell_of_odd_digits_is_a_row_problem(db, world, today, tmp_path, cell):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"{HEADER}\n{make_id_number(41)},张三,B1,正式,2005-07-01,{cell}\n"
                      f"{make_id_number(42)},李四,B1,正式,{cell},1\n", encoding="utf-8")
    before = table_counts(db)
    with pytest.raises(BadInput) as refused:
        import_file(db, "members", roster, today=today)
    problems = [en for _, en in refused.value.details]
    assert any("row 2, column occupation" in en for en in problems), problems
    assert any("row 3, column join_date" in en for en in problems), problems
    assert table_counts(db) == before


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib", "uu", "no-such-encoding"])
def test_an_encoding_that_is_not_a_text_encoding_is_a_usage_error(db, world, today, tmp_path, encoding):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"{HEADER}\n{make_id_number(41)},张三,B1,正式,2005-07-01,1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="unknown encoding"):
        import_file(db, "members", roster, today=today, encoding=encoding)


def test_a_gbk_roster_whose_later_line_is_utf8_is_refused_whole_naming_the_line(db, world, today, tmp_path,
                                                                                  monkeypatch):
    """The encoding is judged from the first MiB; here the sample is cut short so a small file shows it."""
    from lostcontact.importing import sources
    header = "id_number,name,branch_code,standing,join_date\n".encode("ascii")
    gbk_row = f"{make_id_number(41)},张三,B1,正式,2005-07-01\n".encode("gbk")
    utf8_row = f"{make_id_number(42)},周九,B1,正式,2005-07-01\n".encode("utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(header + gbk_row + utf8_row)
    monkeypatch.setattr(sources, "_SAMPLE_BYTES", len(header + gbk_row))
    before = table_counts(db)
    with pytest.raises(BadInput) as refused:
        import_file(db, "members", roster, today=today)
    assert any("row 3" in en and "UTF-8" in en and "GB18030" in en for _, en in refused.value.details), \
        refused.value.details
    assert table_counts(db) == before
