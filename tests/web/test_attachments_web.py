"""佐证材料 in the web app: the case page's panel and upload form, the download (its own type, only as a
download), the API twin, and scope — a case outside my subtrees answers exactly as an unknown one."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from lostcontact.queries.attachments import list_attachments
from lostcontact.storage import DIR_ENV
from tests.attachments.files import JPEG, PDF, PNG, cap_attachments_at_one_mb
from tests.web.conftest import TODAY

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def folder(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "evidence"
    monkeypatch.setenv(DIR_ENV, str(path))
    return path


def stored(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def without_id(text: str, case_id: int) -> str:
    """An answer with the case number it names taken out (the one difference allowed)."""
    return text.replace(f"未知案件编号 {case_id}", "未知案件编号 #").replace(f"unknown case id {case_id}", "unknown case id #")


def upload(user, case_id: int, name: str, data: bytes, mime: str = "application/pdf", **fields):
    token = user.csrf(f"/cases/{case_id}")
    return user.client.post(f"/cases/{case_id}/attachments", data={"csrf_token": token, **fields},
                            files={"file": (name, data, mime)})


def test_an_officer_uploads_a_scan_and_sees_it_listed_with_its_digest(world, browser_as, b1_case, folder):
    officer = browser_as("officer1")
    response = upload(officer, b1_case, "支部大会记录.pdf", PDF, note="会议记录", documents="step:1")
    assert response.status_code == 303 and response.headers["location"] == f"/cases/{b1_case}#attachments-h"
    page = officer.client.get(f"/cases/{b1_case}").text
    panel = page.split('data-testid="attachments"')[1]
    assert "支部大会记录.pdf" in panel and "会议记录" in panel and "办理环节：2016-06-20 立案" in panel
    assert hashlib.sha256(PDF).hexdigest()[:12] in panel and "已上传佐证材料" in page
    assert "officer1（未填姓名）" in panel  # the builders' users have no names: the login, marked as such
    [blob] = stored(folder)
    assert blob.read_bytes() == PDF


def test_the_form_offers_a_file_picker_and_a_phone_camera(browser_as, b1_case):
    html = browser_as("officer1").client.get(f"/cases/{b1_case}").text
    form = html.split('data-testid="attach-form"')[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in form and 'name="csrf_token"' in form
    assert 'accept="application/pdf,image/jpeg,image/png"' in form
    assert re.search(r'<input type="file" name="file" accept="image/jpeg,image/png" capture="environment">', form)
    assert "20 MB" in form


@pytest.mark.parametrize("user", ["supervisor1", "admin1"])
def test_a_user_who_may_not_act_on_the_case_sees_the_files_but_no_form(world, browser_as, b1_case, user):
    upload(browser_as("officer1"), b1_case, "记录.pdf", PDF)
    html = browser_as(user).client.get(f"/cases/{b1_case}").text
    assert "记录.pdf" in html and 'data-testid="attach-form"' not in html


def test_a_disguised_file_redraws_the_page_with_the_reason_and_stores_nothing(world, browser_as, b1_case, folder):
    officer = browser_as("officer1")
    response = upload(officer, b1_case, "伪装.pdf", PNG, note="留着的说明")
    assert response.status_code == 400
    panel = response.text.split('data-testid="attachments"')[1]
    assert "文件内容与类型不符" in panel and "留着的说明" in panel  # the reason, and the typed text kept
    assert list_attachments(world.db, b1_case, actor_login="officer1") == [] and stored(folder) == []


def test_an_upload_without_the_csrf_token_is_rejected(world, browser_as, b1_case, folder):
    officer = browser_as("officer1")
    response = officer.client.post(f"/cases/{b1_case}/attachments", files={"file": ("a.pdf", PDF, "application/pdf")})
    assert response.status_code == 403 and stored(folder) == []


def test_a_body_larger_than_the_cap_is_refused_before_it_is_read(world, browser_as, b1_case, folder, tmp_path):
    cap_attachments_at_one_mb(world.db, tmp_path, TODAY)
    response = upload(browser_as("officer1"), b1_case, "大.pdf", PDF + b"\0" * (MB + 300 * 1024))
    assert response.status_code == 413 and "超过 1 MB" in response.text and stored(folder) == []


def test_a_download_is_its_sniffed_type_as_an_attachment_named_in_utf8(world, browser_as, b1_case):
    officer = browser_as("officer1")
    upload(officer, b1_case, "签字页 (1).jpg", JPEG, mime="image/jpeg")
    [row] = list_attachments(world.db, b1_case, actor_login="officer1")
    response = officer.client.get(f"/cases/{b1_case}/attachments/{row['id']}")
    assert response.status_code == 200 and response.content == JPEG
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"attachment-{row['id']}.jpg\"; filename*=UTF-8''{quote('签字页 (1).jpg', safe='')}")
    assert response.headers["content-length"] == str(len(JPEG))


def test_outside_the_subtree_a_download_and_an_upload_answer_exactly_as_for_an_unknown_case(world, browser_as, b1_case,
                                                                                           folder):
    upload(browser_as("officer1"), b1_case, "记录.pdf", PDF)
    [row] = list_attachments(world.db, b1_case, actor_login="officer1")
    stranger = browser_as("officer3")
    unknown_id = b1_case + 1000

    def same(a, b):
        assert a.status_code == b.status_code
        assert without_id(a.text, b1_case) == without_id(b.text, unknown_id)

    outside, unknown = (stranger.client.get(f"/cases/{c}/attachments/{row['id']}") for c in (b1_case, unknown_id))
    assert outside.status_code == 404 and "记录.pdf" not in outside.text
    same(outside, unknown)
    token = stranger.csrf()
    posted = [stranger.client.post(f"/cases/{c}/attachments", data={"csrf_token": token},
                                   files={"file": ("x.pdf", PDF, "application/pdf")}) for c in (b1_case, unknown_id)]
    same(*posted)
    assert len(stored(folder)) == 1


def test_the_api_uploads_lists_and_downloads(world, app, api_token, b1_case):
    from fastapi.testclient import TestClient
    client, headers = TestClient(app), api_token("reviewer1")
    created = client.post(f"/api/cases/{b1_case}/attachments", headers=headers, data={"note": "预审材料", "step": "1"},
                          files={"file": ("预审.png", PNG, "image/png")})
    assert created.status_code == 201, created.text
    attachment_id = created.json()["id"]
    [row] = client.get(f"/api/cases/{b1_case}/attachments", headers=headers).json()
    assert row["id"] == attachment_id and row["role"] == "committee_reviewer" and row["step_seq"] == 1
    got = client.get(f"/api/cases/{b1_case}/attachments/{attachment_id}", headers=headers)
    assert got.content == PNG and got.headers["content-type"] == "image/png"
    assert got.headers["content-disposition"].startswith("attachment;")


def test_the_api_refuses_a_bad_file_and_hides_a_case_outside_the_subtree(world, app, api_token, b1_case):
    from fastapi.testclient import TestClient
    client = TestClient(app)
    bad = client.post(f"/api/cases/{b1_case}/attachments", headers=api_token("officer1"),
                      files={"file": ("空.pdf", b"", "application/pdf")})
    assert bad.status_code == 400 and bad.json()["error"]["kind"] == "bad_input" and "文件为空" in bad.text
    outsider = api_token("reviewer2")
    outside = client.get(f"/api/cases/{b1_case}/attachments", headers=outsider)
    unknown = client.get(f"/api/cases/{b1_case + 1000}/attachments", headers=outsider)
    assert outside.status_code == unknown.status_code == 404
    assert without_id(outside.text, b1_case) == without_id(unknown.text, b1_case + 1000)


def test_the_record_lists_the_files_as_its_appendix(world, browser_as, b1_case):
    officer = browser_as("officer1")
    upload(officer, b1_case, "签字页.pdf", PDF, note="本人书面说明", documents="step:1")
    html = officer.client.get(f"/cases/{b1_case}/record").text
    appendix = html.split("附件清单")[1]
    assert "签字页.pdf" in appendix and "本人书面说明" in appendix and hashlib.sha256(PDF).hexdigest()[:12] in appendix
    assert "2016年6月20日" in appendix and "2016-06-20" not in appendix  # the form writes dates as on paper


def test_an_upload_without_a_file_or_with_two_says_so_and_stores_nothing(world, browser_as, b1_case, folder):
    officer = browser_as("officer1")
    token = officer.csrf(f"/cases/{b1_case}")
    none = officer.client.post(f"/cases/{b1_case}/attachments", data={"csrf_token": token, "note": "说明"},
                               files={"file": ("", b"", "application/octet-stream")})
    assert none.status_code == 400 and "请选择要上传的文件或拍照" in none.text
    two = officer.client.post(f"/cases/{b1_case}/attachments", data={"csrf_token": token},
                              files=[("file", ("a.pdf", PDF, "application/pdf")), ("file", ("b.png", PNG, "image/png"))])
    assert two.status_code == 400 and "一次只能上传一个文件" in two.text
    assert stored(folder) == []


def test_a_file_replaced_from_the_page_is_kept_and_marked(world, browser_as, b1_case):
    officer = browser_as("officer1")
    upload(officer, b1_case, "签字页.jpg", JPEG, mime="image/jpeg")
    [old] = list_attachments(world.db, b1_case, actor_login="officer1")
    response = upload(officer, b1_case, "签字页-清晰.png", PNG, mime="image/png", replaces=str(old["id"]))
    assert response.status_code == 303
    panel = officer.client.get(f"/cases/{b1_case}").text.split('data-testid="attachments"')[1]
    assert "签字页.jpg" in panel and "签字页-清晰.png" in panel
    assert panel.count('data-testid="superseded"') == 1 and f"替换材料 {old['id']}" in panel
    replace_choices = panel.split('name="replaces"')[1].split("</select>")[0]
    assert "签字页-清晰.png" in replace_choices and "签字页.jpg" not in replace_choices  # only the newest
