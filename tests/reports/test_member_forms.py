"""The member forms of seed 003 — 附件1 党员基本信息表, 附件2 党员名册, 附件4 外出流动党员登记表 and 附件8 外出流动党员
情况汇总表 — in HTML, XLSX and PDF: the seed's notes word for word, the values of tests/reports/member_world.py,
the roll-up identities of 附件8, masking and scope."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from lostcontact.masking import mask_id
from lostcontact.reports.pdf import pdf_available
from lostcontact.reports.render import render_register
from statemachines.errors import Refused

from lostcontact.reports.form_notes import NOTES_TITLE

from ..conftest import built_on
from .member_world import AS_OF, TODAY, build_member_world
from .printed import html_notes, seed_notes

FORMS = {"member-info": "附件1", "member-roster": "附件2", "mobile": "附件4", "mobile-summary": "附件8"}  # kind: the seed's name
TITLES = {"member-info": "党员基本信息表", "member-roster": "党员名册", "mobile": "外出流动党员登记表",
          "mobile-summary": "外出流动党员情况汇总表"}


@pytest.fixture
def mw(db, sqlite_snapshot):
    return built_on(db, sqlite_snapshot, "reports-member-world", build_member_world)


def page(db, kind, **kw) -> str:
    out = io.StringIO()
    render_register(db, kind, today=TODAY, stdout=out, **{"as_of": AS_OF, **kw})
    return out.getvalue()


def workbook_rows(db, kind, tmp_path, **kw) -> list[list]:
    path = tmp_path / f"{kind}.xlsx"
    render_register(db, kind, today=TODAY, path=path, **{"as_of": AS_OF, **kw})
    sheet = load_workbook(path).worksheets[0]
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def notes_block(lines: list[str]) -> list[str]:
    """The lines after the 填表要求和指标解释 heading, up to the software's own 说明."""
    start = lines.index(NOTES_TITLE)
    end = lines.index("说明：") if "说明：" in lines else len(lines)
    return lines[start + 1:end]


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_each_member_form_carries_the_seed_notes_word_for_word_in_html_and_xlsx(db, mw, kind, tmp_path):
    html = page(db, kind)
    assert html_notes(html) == seed_notes(kind)
    assert '<div class="explanations">' in html  # what the software adds is apart from the seed's notes

    cells = [row[0] for row in workbook_rows(db, kind, tmp_path) if isinstance(row[0], str)]
    assert cells[0] == TITLES[kind]
    assert notes_block(cells) == seed_notes(kind)


INFO_LABELS = ("姓名", "身份证号码", "婚姻状况", "参加工作时间", "学历", "学位", "毕业院校", "现任党内职务", "党员流动信息",
               "外出流向", "外出原因", "流动党员活动证编号", "流入单位", "出国（境）情况", "出国日期", "出国原因",
               "出国后与组织联系情况", "党籍处理方式", "回国日期", "恢复组织生活情况", "家庭主要成员及重要社会关系")


def header_labels(kind: str) -> tuple[str, ...]:
    from lostcontact.reports import member_forms as forms
    if kind == "member-info":
        return INFO_LABELS
    if kind == "mobile-summary":
        return tuple(cell.text for cell in forms.MOBILE_SUMMARY_HEADER)
    fields = forms.ROSTER_FIELDS if kind == "member-roster" else forms.MOBILE_FIELDS
    return tuple(cell.text for cell in forms._field_header(fields))


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_each_member_form_prints_to_pdf_with_its_title_and_whole_header_on_the_first_page(db, mw, kind, tmp_path):
    if not pdf_available():
        pytest.skip("WeasyPrint is NOT installed: PDF output is untested here")
    from pypdf import PdfReader
    path = tmp_path / f"{kind}.pdf"
    render_register(db, kind, today=TODAY, as_of=AS_OF, path=path)
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]
    # a sheet of this small world fits one landscape page; 附件1 is a page per member, its notes under the last
    assert len(pages) == (len(mw.world.members) if kind == "member-info" else 1)
    assert pages[0].startswith(TITLES[kind])
    assert [label for label in header_labels(kind) if re.sub(r"\s+", "", label) not in pages[0]] == []
    for note in seed_notes(kind):
        assert re.sub(r"\s+", "", note) in "".join(pages)


def test_the_roster_notes_the_special_types_in_its_remarks(db, mw, tmp_path):
    rows = {row[1]: row for row in workbook_rows(db, "member-roster", tmp_path) if isinstance(row[0], int)}
    remarks = {name: row[-1] for name, row in rows.items()}
    assert remarks == {"甲": None, "乙": "外出流动党员", "丙": "外出流动党员；预备党员", "丁": "失联党员",
                       "戊": "出国（境）党员", "己": "外出流动党员", "庚": None}  # 庚 leaves only after AS_OF
    assert rows["甲"][6:11] == ["大学本科", "2005年7月1日", "正式党员", "2002年7月1日", "党支部组织委员"]


def test_the_mobile_register_lists_those_away_and_not_lost_in_its_own_codes(db, mw, tmp_path):
    def register(**kw):
        return {row[1]: row for row in workbook_rows(db, "mobile", tmp_path, **kw) if isinstance(row[0], int)}
    rows = register()
    assert sorted(rows) == ["丙", "乙", "己"]  # 丁 is lost (note 6); 庚 has not left yet; 甲 and 戊 are not mobile
    header = [cell for cell in workbook_rows(db, "mobile", tmp_path)[2]]
    at = {label: header.index(label) for label in ("职业", "外出流向", "党组织类型", "流动党员活动证编号")}
    # 乙: 农村外出务工经商人员 → ④外出务工人员; 跨省流动 ④; C1 党政机关 → ③
    assert [rows["乙"][at[k]] for k in at] == ["④", "④", "③", "豫流字0001"]
    # 己: 机关事业单位离退休人员 → ②离退休干部职工; reached after being lost, so back on the register; C2 街道社区 → ②
    assert [rows["己"][at[k]] for k in at] == ["②", "①", "②", "豫流字0002"]
    assert [rows["丙"][at[k]] for k in at] == [None, None, "③", None]
    assert "庚" in register(as_of=TODAY)


def summary(db, tmp_path, **kw) -> dict[str, list[int]]:
    rows = workbook_rows(db, "mobile-summary", tmp_path, **kw)
    return {row[0].strip("\u3000"): list(row[1:]) for row in rows[5:] if isinstance(row[1], int)}


@pytest.mark.parametrize("as_of", [AS_OF, TODAY], ids=["before 庚 left", "today"])
def test_the_mobile_summary_rolls_up_the_tree_and_agrees_with_the_register(db, mw, tmp_path, as_of):
    table = summary(db, tmp_path, as_of=as_of)
    for parent, children in {"新华区委组织部": ("区直机关党委", "街道党委"), "区直机关党委": ("第一党支部", "机关党总支"),
                             "机关党总支": ("第二党支部",), "街道党委": ("社区党支部",)}.items():
        assert table[parent] == [sum(col) for col in zip(*(table[c] for c in children))], parent
    for counts in table.values():
        total = counts[0]
        assert sum(counts[2:8]) == total and sum(counts[8:15]) == total and counts[1] <= total and counts[15] <= total
    register = [row for row in workbook_rows(db, "mobile", tmp_path, as_of=as_of) if isinstance(row[0], int)]
    assert table["新华区委组织部"][0] == len(register) == (3 if as_of == AS_OF else 4)
    assert table["新华区委组织部"][15] == sum(1 for row in register if row[11])  # 持证
    assert table["第二党支部"][:2] == [1, 1]  # 丙, probationary


def test_the_basic_information_form_shows_the_new_member_fields(db, mw):
    html = page(db, "member-info")
    for text in ("已婚", "2002年7月1日", "大学本科", "学士", "郑州大学", "党支部组织委员", "跨省流动", "广州市某电子厂",
                 "2015年9月1日", "留学", "定期", "保留党籍（二年）", "2016年3月1日", "已申请未恢复",
                 "配偶", "李某", "1986年3月", "平顶山市某公司职员"):
        assert text in html, text
    assert "说明：" in html


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_id_numbers_are_masked_unless_the_actor_may_see_them(db, mw, kind):
    number = mw.world.members["乙"]
    masked = page(db, kind)
    if kind != "mobile-summary":
        assert number not in masked and mask_id(number) in masked
        assert number in page(db, kind, actor_login="officer1")
    assert not re.search(r"\d{17}[\dX]", page(db, kind, actor_login="supervisor1"))


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_a_branch_officer_sees_only_their_branch_and_is_refused_another(db, mw, kind):
    mine = page(db, kind, actor_login="officer1")
    assert "第一党支部" in mine and "社区党支部" not in mine and "第二党支部" not in mine
    with pytest.raises(Refused):
        page(db, kind, org_code="B3", actor_login="officer1")


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_each_member_form_of_the_small_world_matches_its_golden_file(db, mw, kind):
    from .conftest import assert_golden
    assert_golden(f"member-world-{kind}.html", page(db, kind, org_code="410402"))


def test_the_roster_calls_lost_exactly_the_members_the_tally_counts_lost(db, scenario, tmp_path):
    """失联党员 in 附件2's 备注 = the tally's A less B and X on the same date (the registers' unreached side)."""
    from lostcontact.permissions import load_actor
    from lostcontact.queries.registers import register_rows
    from lostcontact.queries.tally import tally_root
    from lostcontact.uow import UnitOfWork

    from ..tally.scenario import PAST, TODAY as SCENARIO_TODAY
    for day in (PAST, SCENARIO_TODAY):
        rows = workbook_rows(db, "member-roster", tmp_path, as_of=day)
        marked = {row[1] for row in rows if isinstance(row[0], int) and "失联党员" in (row[-1] or "")}
        with UnitOfWork(db, write=False) as uow:
            actor = load_actor(uow.session, None)
            counted = {r.name for r in register_rows(uow.session, tally_root(uow.session, actor, None), day, actor)
                       if r.unreached_side}
        assert marked == counted and counted, day
