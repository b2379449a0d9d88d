"""佐证材料 in the browser, at office and phone widths: a branch officer on the case page first picks a file
that only pretends to be a PDF and is told why it was refused, then takes a photo with the phone's camera
(a PNG), attaches it to the opening step with a note, sees it listed and downloads it under its own name."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lostcontact.storage import DIR_ENV
from tests.attachments.files import PNG
from tests.web.browser.conftest import assert_fits, log_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def evidence_folder(tmp_path, monkeypatch):
    folder = tmp_path / "evidence"
    monkeypatch.setenv(DIR_ENV, str(folder))
    return folder


def test_an_officer_attaches_a_phone_photo_on_the_case_page(page: Page, screen, live_server, b1_case, evidence_folder,
                                                            screenshot):
    base = live_server.url
    log_in_as(page, base, "officer1")
    page.goto(f"{base}/cases/{b1_case}")
    panel = page.get_by_test_id("attachments")
    expect(panel.get_by_test_id("no-attachments")).to_be_visible()
    form = panel.get_by_test_id("attach-form")
    assert_fits(page)

    form.get_by_label("选择文件").set_input_files({"name": "伪装.pdf", "mimeType": "application/pdf", "buffer": PNG})
    form.get_by_label("说明（可选）").fill("村委会出具的情况说明")
    form.get_by_role("button", name="上传").click()
    error = page.get_by_test_id("attachments").get_by_test_id("error")
    expect(error).to_contain_text("文件内容与类型不符")
    expect(page.get_by_test_id("attach-form").get_by_label("说明（可选）")).to_have_value("村委会出具的情况说明")
    assert not evidence_folder.exists() or not any(p.is_file() for p in evidence_folder.rglob("*"))
    assert_fits(page)

    form = page.get_by_test_id("attach-form")
    form.get_by_label("或用手机拍照").set_input_files({"name": "IMG_20160620.png", "mimeType": "image/png",
                                                    "buffer": PNG})
    form.get_by_label("对应事项").select_option(label="办理环节：2016-06-20 立案")
    form.get_by_role("button", name="上传").click()

    expect(page.get_by_test_id("flash-ok")).to_contain_text("已上传佐证材料：IMG_20160620.png")
    [item] = page.get_by_test_id("attachment").all()
    expect(item).to_contain_text("IMG_20160620.png")
    expect(item).to_contain_text("PNG")
    expect(item).to_contain_text("办理环节：2016-06-20 立案")
    expect(item).to_contain_text("村委会出具的情况说明")
    assert_fits(page)
    page.get_by_test_id("attachments").scroll_into_view_if_needed()
    screenshot(page, "40-attachments" if screen == "desktop" else "40-attachments-phone")

    with page.expect_download() as caught:
        item.get_by_role("link", name="IMG_20160620.png").click()
    download = caught.value
    assert download.suggested_filename == "IMG_20160620.png"
    assert open(download.path(), "rb").read() == PNG
