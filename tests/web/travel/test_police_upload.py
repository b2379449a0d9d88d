"""公安记录 uploaded in the browser through the roster import's desk: the liaison uploads the exit-entry
administration's holdings or crossings, sees the dry run, confirms; a bad file names every bad row (row, column
in Chinese, the masked value, the reason in Chinese and English) and writes nothing, all or nothing; the data
changing between the check and the confirmation writes nothing either. Only the liaison or an admin imports;
an upload is its uploader's and this desk's alone; the page says when the checks will read the records."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.masking import mask_document, mask_id
from lostcontact.uow import UnitOfWork
from models import PoliceCrossing, PoliceHolding
from tests.travel.police_files import CROSSINGS_ZH, HOLDINGS_EN, holding, import_holdings
from tests.web.conftest import csrf_of
from tests.web.travel.conftest import TODAY, in_world

DESK = "/travel/police"
TOKEN_URL = re.compile(r"^/travel/police/([A-Za-z0-9_-]{32})$")


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload(user, kind: str, name: str, content: bytes, desk: str = DESK):
    token = csrf_of(user.client.get(desk).text)
    return user.client.post(desk, data={"csrf_token": token, "kind": kind},
                            files={"file": (name, content, "text/csv")})


def checked(user, kind: str, name: str, content: bytes) -> tuple[str, str]:
    response = upload(user, kind, name, content)
    assert response.status_code == 303, response.text
    where = response.headers["location"]
    assert TOKEN_URL.match(where)
    return where, user.client.get(where).text


def confirm(user, where: str):
    return user.client.post(f"{where}/confirm", data={"csrf_token": csrf_of(user.client.get(where).text)})


def rows(travel, table) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(table))


def build_wang(travel) -> str:
    return travel.person("王五", registered_on=date(2024, 2, 1))


@pytest.fixture
def wang(built) -> str:
    return built


pytestmark = in_world(build_wang)


def test_the_liaison_uploads_holdings_checks_then_imports_them(browser_as, travel, wang):
    liaison = browser_as("liaison1")
    form = liaison.client.get(DESK).text
    assert "公安持证记录" in form and "公安出入境记录" in form and 'aria-current="page">公安记录' in form
    where, page = checked(liaison, "police_holdings", "持证.csv",
                          csv(HOLDINGS_EN, holding(wang, "王五", "E1234567"), holding(wang, "王五", "C7654321",
                                                                                  kind="hkmo_private")))
    assert 'data-testid="import-checked"' in page and rows(travel, PoliceHolding) == 0
    assert confirm(liaison, where).status_code == 303
    done = liaison.client.get(where).text
    assert 'data-testid="import-done"' in done and rows(travel, PoliceHolding) == 2
    note = done.split('data-testid="checks-note"', 1)[1]
    assert "下一次每日例行扫描" in note and 'data-testid="run-checks"' not in done  # the liaison runs no checks


def test_crossings_with_chinese_headers_are_imported_and_a_second_upload_adds_nothing(browser_as, travel, wang):
    liaison = browser_as("liaison1")
    content = csv(CROSSINGS_ZH, f"{wang},因私护照,E1234567,出境,2024-05-03,罗湖,香港",
                  f"{wang},因私护照,E1234567,入境,2024-05-09,罗湖,")
    for inserted in ("2", "0"):
        where, _ = checked(liaison, "police_crossings", "出入境.csv", content)
        confirm(liaison, where)
        assert f'data-testid="count-inserted">{inserted}<' in liaison.client.get(where).text
    assert rows(travel, PoliceCrossing) == 2


def test_a_bad_file_names_every_bad_row_masked_and_writes_nothing(browser_as, travel, wang):
    liaison = browser_as("liaison1")
    bad_check = wang[:-1] + ("0" if wang[-1] != "0" else "1")
    response = upload(liaison, "police_holdings", "坏文件.csv", csv(
        HOLDINGS_EN, holding(wang, "王五", "E1234567"),                       # 2 good: still not imported
        holding(bad_check, "王五", "E1234568"),                                # 3 check digit
        holding(wang, "王五", "E1234569", kind="护照本"),                       # 4 kind
        holding(wang, "王五", "E1234570", issued="2024-13-01"),                # 5 date
        holding(wang, "王五", "E1234567")))                                    # 6 duplicate of 2
    page = liaison.client.get(response.headers["location"]).text
    assert "不能导入" in page and "坏文件.csv" in page
    table = page.split('data-testid="problems"', 1)[1]
    for row, column, words in ((3, "身份证号", "校验位"), (4, "证件类别", "不是有效的证件类别"), (5, "签发日期", "日期"),
                               (6, "证件号码", "与第2行的证件重复")):
        line = table.split(f'data-row="{row}"', 1)[1].split("</tr>", 1)[0]
        assert column in line and words in line and 'class="en"' in line, (row, line)
    assert 'data-row="2"' not in table
    assert bad_check not in page and mask_id(bad_check) in page
    assert "E1234567" not in page and mask_document("E1234567") in page
    assert rows(travel, PoliceHolding) == 0
    problems = liaison.client.get(response.headers["location"] + "/problems.csv")
    assert problems.status_code == 200 and "证件类别" in problems.text and bad_check not in problems.text


def test_data_changed_between_the_check_and_the_confirmation_writes_nothing(browser_as, travel, wang, tmp_path):
    li = travel.person("李四")
    liaison = browser_as("liaison1")
    where, _ = checked(liaison, "police_holdings", "a.csv",
                       csv(HOLDINGS_EN, holding(wang, "王五", "E1234567"), holding(wang, "王五", "E7777777")))
    import_holdings(travel.db, tmp_path, holding(li, "李四", "E7777777"), today=TODAY)  # meanwhile, from the CLI
    confirm(liaison, where)
    page = liaison.client.get(where).text
    assert "导入未完成，未写入任何数据" in page and "另一身份证号" in page
    assert rows(travel, PoliceHolding) == 1  # 李四's, and nothing of the file


def test_only_the_liaison_or_an_admin_imports_and_others_are_told_or_not_shown(browser_as, travel, wang):
    cadre = browser_as("cadre1")
    refused = cadre.client.get(DESK)
    assert refused.status_code == 403 and "公安出入境管理部门联络员或系统管理员" in refused.text
    assert 'href="/travel/police"' not in cadre.client.get("/travel/problems").text
    posted = upload(cadre, "police_holdings", "a.csv", csv(HOLDINGS_EN, holding(wang, "王五", "E1234567")))
    assert posted.status_code == 403 and rows(travel, PoliceHolding) == 0
    assert browser_as("officer1").client.get(DESK).status_code == 404  # not a travel user: no such page
    assert browser_as("admin1").client.get(DESK).status_code == 200


def test_an_upload_belongs_to_its_uploader_and_its_desk(browser_as, travel, wang):
    liaison = browser_as("liaison1")
    where, _ = checked(liaison, "police_holdings", "a.csv", csv(HOLDINGS_EN, holding(wang, "王五", "E1234567")))
    admin = browser_as("admin1")
    other = admin.client.get(where)
    assert other.status_code == 404 and "找不到这次上传的文件" in other.text
    roster = upload(admin, "orgs", "orgs.csv", csv("code,name,level,parent_code", "X1,某支部,branch,B1"),
                    desk="/admin/import")
    token = roster.headers["location"].rsplit("/", 1)[1]
    assert admin.client.get(f"{DESK}/{token}").status_code == 404  # a roster upload is not this desk's
    confirmed = confirm(admin, where)
    assert confirmed.status_code == 400 and "找不到这次上传的文件" in confirmed.text and rows(travel, PoliceHolding) == 0
    refused_kind = upload(liaison, "orgs", "orgs.csv", csv("code,name,level,parent_code", "X1,某支部,branch,B1"))
    assert refused_kind.status_code == 400 and "请选择要导入的数据类型（公安持证记录、公安出入境记录）" in refused_kind.text
