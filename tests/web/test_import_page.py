"""导入名册 in the browser (HTTP level): an admin uploads a roster, sees the dry run and confirms; a bad file
lists every problem and writes nothing; the problems come as a file; the confirmation imports exactly the
checked file and refuses, writing nothing, when the data changed meanwhile; every import is scoped to the
user's subtree and written to the audit log; mistakes are pages with reasons, never a 500."""
from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lostcontact.importing.scope import OUTSIDE
from lostcontact.services import auth
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from lostcontact.web import import_uploads
from lostcontact.web.pages import imports
from models import AuditEntry, ImportLog, Member, Org
from tests.builders import make_id_number
from tests.data.make_files import BAD, BAD_FILES, GOOD

from .conftest import PASSWORD, csrf_of

MEMBER_HEADER = "id_number,name,branch_code,standing,join_date\n"
TOKEN_URL = re.compile(r"^/admin/import/([A-Za-z0-9_-]{32})$")


def roster(*rows: str) -> bytes:
    return (MEMBER_HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


def upload(user, kind: str, name: str, content: bytes, **fields):
    """Post the import form as the page does; the response to the post (a redirect, or the form again)."""
    token = csrf_of(user.client.get("/admin/import").text)
    return user.client.post("/admin/import", data={"csrf_token": token, "kind": kind, **fields},
                            files={"file": (name, content, "application/octet-stream")})


def checked(user, kind: str, name: str, content: bytes, **fields) -> tuple[str, str]:
    """Upload and follow to the dry run: (its address, its page)."""
    response = upload(user, kind, name, content, **fields)
    assert response.status_code == 303, response.text
    where = response.headers["location"]
    assert TOKEN_URL.match(where)
    page = user.client.get(where)
    assert page.status_code == 200
    return where, page.text


def confirm(user, where: str):
    page = user.client.get(where).text
    return user.client.post(f"{where}/confirm", data={"csrf_token": csrf_of(page)})


def count(db, entity) -> int:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(entity))


def imports_audited(db) -> int:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(func.count()).where(AuditEntry.target_kind == "import"))


def counts_on(page: str) -> dict[str, int]:
    return {name: int(value) for name, value in
            re.findall(r'data-testid="count-(\w+)">(\d+)<', page)}


def test_a_good_roster_is_dry_run_then_imported_and_the_log_and_audit_entries_say_so(browser_as, world):
    admin = browser_as("admin1")

    where, page = checked(admin, "members", "党员名册.csv", (GOOD / "members_utf8.csv").read_bytes())

    assert "检查通过" in page and 'data-testid="confirm"' in page
    assert counts_on(page) == {"rows": 5, "inserted": 5, "updated": 0, "unchanged": 0}
    assert count(world.db, Member) == 0 and count(world.db, ImportLog) == 0   # a dry run writes nothing

    response = confirm(admin, where)
    assert response.status_code == 303 and response.headers["location"] == where
    done = admin.client.get(where).text
    assert 'data-testid="import-done"' in done and counts_on(done)["inserted"] == 5
    assert count(world.db, Member) == 5
    with UnitOfWork(world.db, write=False) as uow:
        log = uow.session.execute(select(ImportLog.id, ImportLog.file_name, ImportLog.inserted)).one()
        audit = uow.session.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.org_id, AuditEntry.detail,
                                           AuditEntry.remote_addr).where(AuditEntry.target_kind == "import")).one()
        root = uow.session.scalar(select(Org.id).where(Org.code == "410000"))
    assert (log.file_name, log.inserted) == ("党员名册.csv", 5)
    assert f"第 {log.id} 号" in done
    assert (audit.actor, audit.action, audit.org_id, audit.remote_addr) == ("admin1", "import.members", root,
                                                                           "testclient")
    assert json.loads(audit.detail)["inserted"] == 5
    audit_page = admin.client.get("/admin/audit").text
    assert "导入党员名册" in audit_page and "文件：党员名册.csv" in audit_page and "新增：5" in audit_page


def test_confirming_twice_imports_once(browser_as, world):
    admin = browser_as("admin1")
    where, _ = checked(admin, "members", "a.csv", roster(f"{make_id_number(31)},甲,B1,正式,2005-07-01"))
    token = csrf_of(admin.client.get(where).text)
    for _ in range(2):
        assert admin.client.post(f"{where}/confirm", data={"csrf_token": token}).status_code == 303
    assert count(world.db, ImportLog) == 1


WEB_SAFE = ("members_bad_checksum.csv", "members_duplicate_id_in_file.csv", "members_missing_column.csv",
            "members_formula.xlsx", "members_unknown_sheet.xlsx", "members_declared_utf8_is_gbk.csv",
            "members_old_format.xls", "members_utf16.csv", "members_empty.csv", "members_truncated.xlsx",
            "orgs_cycle.csv")


@pytest.mark.parametrize("bad", [b for b in BAD_FILES if b.name in WEB_SAFE], ids=lambda b: b.name)
def test_a_file_of_the_refused_corpus_shows_its_reason_and_writes_nothing(browser_as, world, bad):
    admin = browser_as("admin1")
    options = {k: v for k, v in (("encoding", bad.encoding), ("sheet", bad.sheet)) if v}
    members, orgs = count(world.db, Member), count(world.db, Org)

    _, page = checked(admin, bad.kind, bad.name, (BAD / bad.name).read_bytes(), **options)

    assert 'data-testid="error"' in page and 'data-testid="confirm"' not in page
    assert bad.reason_zh in page and bad.reason_en.replace("'", "&#39;") in page
    if bad.row is not None:
        assert f'data-row="{bad.row}"' in page
    assert "--encoding" not in page and "--sheet" not in page   # the form's words, not the command line's
    assert (count(world.db, Member), count(world.db, Org), count(world.db, ImportLog)) == (members, orgs, 0)


def test_every_bad_row_is_listed_with_its_reason_and_the_id_numbers_masked(browser_as, world):
    admin = browser_as("admin1")
    bad_check = make_id_number(31)[:17] + ("1" if make_id_number(31)[17] != "1" else "2")
    _, page = checked(admin, "members", "r.csv", roster(f"{bad_check},甲,B1,正式,2005-07-01",
                                                        f"{make_id_number(32)},乙,B9,正式,2005-07-01",
                                                        f"{make_id_number(33)},丙,B1,正式,2099-07-01"))
    rows = re.findall(r'<tr data-row="(\d+)">', page)
    assert rows == ["2", "3", "4"]
    assert "校验位错误" in page and "不在您的管理范围内或不存在" in page and "日期在未来" in page
    assert "所在党支部代码" in page          # columns by their Chinese header
    assert bad_check not in page and "410402********" in page


def test_the_problems_download_as_csv_and_xlsx_with_formula_like_text_neutralised(browser_as, world):
    admin = browser_as("admin1")
    where, _ = checked(admin, "members", "r.csv", roster(f"{make_id_number(31)},甲,B1,正式,=1+1",
                                                         f"{make_id_number(32)},乙,B9,正式,2005-07-01"))

    as_csv = admin.client.get(f"{where}/problems.csv")
    as_xlsx = admin.client.get(f"{where}/problems.xlsx")

    assert as_csv.status_code == as_xlsx.status_code == 200
    assert as_csv.headers["content-disposition"].startswith("attachment;")
    text = as_csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "行号,列,列名（英文）,值,问题,Problem"
    assert "'=1+1" in text and ",=1+1" not in text and "不是可识别的日期" in text
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:4] == [2, "入党时间", "join_date", "'=1+1"]
    assert rows[2][:4] == [3, "所在党支部代码", "branch_code", "B9"] and rows[2][4] == OUTSIDE[0]


def test_confirming_after_the_data_changed_shows_that_runs_problems_and_writes_nothing(browser_as, world):
    admin = browser_as("admin1")
    where, page = checked(admin, "members", "r.csv", roster(f"{make_id_number(31)},甲,B1,正式,2005-07-01",
                                                            f"{make_id_number(32)},乙,B1,正式,2005-07-01"))
    assert "检查通过" in page
    world.add_member("乙", branch="B2", serial=32)   # meanwhile, the same person is recorded at another branch

    confirm(admin, where)

    page = admin.client.get(where).text
    assert "导入未完成，未写入任何数据" in page and "另一党支部" in page and 'data-row="3"' in page
    assert 'data-testid="confirm"' not in page
    assert (count(world.db, Member), count(world.db, ImportLog), imports_audited(world.db)) == (1, 0, 0)


@pytest.fixture
def c1_admin(world) -> str:
    add_user(world.db, "admin_c1", role="admin", org_code="C1")
    auth.set_password(world.db, "admin_c1", PASSWORD)
    return "admin_c1"


def test_an_admin_imports_only_inside_their_subtree_and_the_reason_does_not_tell_what_is_outside(browser_as, world,
                                                                                              c1_admin):
    outside = world.add_member("钱十", branch="B3", serial=40)
    admin = browser_as(c1_admin)

    _, page = checked(admin, "members", "r.csv", roster(f"{make_id_number(31)},甲,B3,正式,2005-07-01",
                                                        f"{outside},钱十,B1,正式,2005-07-01",
                                                        f"{make_id_number(33)},丙,B2,正式,2005-07-01"))

    assert re.findall(r'<tr data-row="(\d+)">', page) == ["2", "3"]
    assert page.count(OUTSIDE[0]) == 2 and "社区党支部" not in page and "另一党支部" not in page
    assert count(world.db, Member) == 1


def test_another_users_upload_is_answered_like_one_that_never_existed(browser_as, world, c1_admin):
    where, _ = checked(browser_as("admin1"), "members", "r.csv", roster(f"{make_id_number(31)},甲,B1,正式,2005-07-01"))
    other = browser_as(c1_admin)
    theirs = other.client.get(where)
    unknown = other.client.get("/admin/import/" + "x" * 32)
    assert theirs.status_code == unknown.status_code == 404
    assert import_uploads.NOT_FOUND[0] in theirs.text and import_uploads.NOT_FOUND[0] in unknown.text
    refused = other.client.post(f"{where}/confirm", data={"csrf_token": other.csrf("/admin/import")})
    assert refused.status_code == 400 and count(world.db, Member) == 0


def test_an_upload_expires_after_an_hour(browser_as, world, clock):
    admin = browser_as("admin1")
    where, _ = checked(admin, "members", "r.csv", roster(f"{make_id_number(31)},甲,B1,正式,2005-07-01"))
    token = csrf_of(admin.client.get(where).text)
    clock.advance(minutes=61)
    assert admin.client.post(f"{where}/confirm", data={"csrf_token": token}).status_code == 400
    assert admin.client.get(where).status_code == 404
    assert count(world.db, Member) == 0


def test_a_branch_officer_imports_contacts_of_their_branch_only(browser_as, world):
    at_b1, at_b3 = world.add_member("甲", branch="B1", serial=51), world.add_member("丙", branch="B3", serial=53)
    officer = browser_as("officer1")
    form = officer.client.get("/admin/import").text
    assert 'value="contacts"' in form and 'value="members"' not in form and 'value="orgs"' not in form
    assert 'href="/admin/import"' in form

    refused = upload(officer, "members", "r.csv", roster(f"{make_id_number(31)},甲,B1,正式,2005-07-01"))
    assert refused.status_code == 400 and "请选择要导入的数据类型" in refused.text

    _, page = checked(officer, "contacts", "c.csv",
                      f"身份证号,日期,类型\n{at_b1},2016-03-05,党费\n{at_b3},2016-03-05,党费\n".encode())
    assert re.findall(r'<tr data-row="(\d+)">', page) == ["3"] and OUTSIDE[0] in page


@pytest.mark.parametrize("login", ["reviewer1", "supervisor1", "upper1"])
def test_a_user_who_may_not_import_is_refused_and_sees_no_link(browser_as, world, login):
    user = browser_as(login)
    assert 'href="/admin/import"' not in user.client.get("/queue").text
    page = user.client.get("/admin/import")
    assert page.status_code == 403 and "系统管理员" in page.text
    posted = user.client.post("/admin/import", data={"csrf_token": user.csrf(), "kind": "members"},
                              files={"file": ("r.csv", roster(f"{make_id_number(31)},甲,B1,正式,2005-07-01"))})
    assert posted.status_code == 403 and count(world.db, Member) == 0


@pytest.mark.parametrize("announced", [True, False], ids=["by its Content-Length", "while it is copied"])
def test_a_file_too_big_is_refused_on_the_form_and_nothing_is_kept(browser_as, world, monkeypatch, announced):
    monkeypatch.setattr(import_uploads, "UPLOAD_LIMIT_BYTES", 100)
    monkeypatch.setattr(imports, "UPLOAD_LIMIT_BYTES", 100)
    if announced:
        monkeypatch.setattr(imports, "FORM_OVERHEAD_BYTES", 0)
    else:  # the request's length passes (as with chunked uploads): the copy stops at the limit
        monkeypatch.setattr(imports, "FORM_OVERHEAD_BYTES", 1 << 20)
    admin = browser_as("admin1")
    response = upload(admin, "members", "r.csv", roster(*[f"{make_id_number(i)},甲,B1,正式,2005-07-01"
                                                          for i in range(30, 40)]))
    assert response.status_code == 400 and "超过" in response.text and 'data-testid="import-form"' in response.text
    folder = import_uploads.uploads_folder(world.db.url)
    assert not folder.exists() or not any(folder.iterdir())


@pytest.mark.parametrize("name, content, reason", [
    ("empty.csv", b"", "文件为空"),
    ("binary.csv", bytes(range(256)) * 8, "二进制"),
    ("not-a-roster.xlsx", b"PK\x03\x04 not really a workbook", "已损坏或不完整"),
    ("orgs-by-mistake.csv", "code,name,parent_code,level\nB7,第七党支部,GB1,党支部\n".encode(), "缺少必需的列"),
])
def test_a_wrong_empty_or_binary_file_is_a_clear_message_not_an_error_page(browser_as, world, name, content, reason):
    _, page = checked(browser_as("admin1"), "members", name, content)
    assert reason in page and 'data-testid="confirm"' not in page


def test_no_file_chosen_and_a_post_without_the_csrf_token_are_refused(browser_as, world):
    admin = browser_as("admin1")
    token = csrf_of(admin.client.get("/admin/import").text)
    no_file = admin.client.post("/admin/import", data={"csrf_token": token, "kind": "members"},
                                files={"file": ("", b"", "application/octet-stream")})
    assert no_file.status_code == 400 and "请选择要导入的文件" in no_file.text
    forged = admin.client.post("/admin/import", data={"kind": "members"},
                               files={"file": ("r.csv", roster(f"{make_id_number(31)},甲,B1,正式,2005-07-01"))})
    assert forged.status_code == 403 and "CSRF" in forged.text
    assert count(world.db, Member) == 0
