"""Every file of the bad corpus (tests/data/bad, made by tests/data/make_files.py) is refused with its
reason in Chinese and English, naming the row, with ID numbers masked — and leaves every table as it was."""
from __future__ import annotations

import re

import pytest

from lostcontact.importing import import_file
from statemachines.errors import BadInput

from ..data.make_files import BAD, BAD_FILES
from .conftest import table_counts

FULL_ID = re.compile(r"\d{17}[\dXx]")


@pytest.fixture
def world(refused_imports_world):
    """Every file here is refused and every test checks that nothing was written: they share one world."""
    return refused_imports_world.world()


@pytest.fixture
def db(world):
    return world.db


def refusal(db, bad, today, **options) -> list[str]:
    with pytest.raises(BadInput) as refused:
        import_file(db, bad.kind, BAD / bad.name, today=today, encoding=bad.encoding, sheet=bad.sheet, **options)
    return refused.value.lines()


def test_the_corpus_has_at_least_thirty_files():
    assert len(BAD_FILES) >= 30
    assert all((BAD / bad.name).exists() for bad in BAD_FILES)


@pytest.mark.parametrize("bad", BAD_FILES, ids=lambda bad: bad.name)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_written(db, world, today, bad):
    before = table_counts(db)

    lines = refusal(db, bad, today)

    english = [line for line in lines if bad.reason_en in line]
    chinese = [line for line in lines if bad.reason_zh in line]
    assert english and chinese, "\n".join(lines)
    if bad.row is not None:
        assert any(re.search(rf"row {bad.row}\b[,:]", line) for line in english), "\n".join(lines)
        assert any(f"第{bad.row}行" in line for line in chinese), "\n".join(lines)
    assert not any(FULL_ID.search(line) for line in lines), "an ID number is shown unmasked"
    assert table_counts(db) == before


SOME = ("members_duplicate_id_in_file.csv", "orgs_cycle.csv", "contacts_before_join.csv")


@pytest.mark.parametrize("bad", [b for b in BAD_FILES if b.name in SOME], ids=lambda bad: bad.name)
def test_a_dry_run_refuses_a_bad_file_the_same_way(db, world, today, bad):
    before = table_counts(db)
    assert refusal(db, bad, today, dry_run=True) == refusal(db, bad, today)
    assert table_counts(db) == before


def test_every_bad_row_of_a_file_is_listed_not_only_the_first(db, world, today, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id_number,name,branch_code,standing,join_date\n"
                      "410402198001010011,甲,B1,正式,2005-07-01\n"       # bad checksum
                      f"{world.members['赵六']},乙,B9,正式,2005-07-01\n"   # unknown branch (赵六 is at B1)
                      f"{world.members['王五']},丙,B1,正式,2016-07-01\n",  # another branch, and a future date
                      encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        import_file(db, "members", roster, today=today)
    english = [en for _, en in refused.value.details]
    assert [line.split(",")[1].strip() for line in english] == ["row 2", "row 3", "row 3", "row 4", "row 4"]
    assert ["check digit" in english[0], "unknown branch" in english[1], "another branch (B1)" in english[2],
            "another branch (B2)" in english[3], "in the future" in english[4]] == [True] * 5
    assert "5 problem(s)" in refused.value.en and "5 处问题" in refused.value.zh


def test_a_file_without_a_header_is_refused_without_showing_the_id_numbers_of_its_first_row(db, world, today,
                                                                                           tmp_path):
    headless = tmp_path / "headless.csv"
    headless.write_text(f"{world.members['赵六']},赵六,B1,正式,2005-07-01\n", encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        import_file(db, "members", headless, today=today)
    text = "\n".join(refused.value.lines())
    assert "required column(s) missing" in text and "410402********" in text
    assert not FULL_ID.search(text)
