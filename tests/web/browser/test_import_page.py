"""An admin imports a roster in the browser, on an office screen and on a phone: uploads a members file
with one bad row, reads the reason, downloads the problems, fixes the row, uploads again and confirms."""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.builders import make_id_number
from tests.web.browser.conftest import assert_fits, log_in_as, open_menu

pytestmark = pytest.mark.browser

HEADER = "身份证号,姓名,所在党支部代码,党员类别,入党时间\n"
GOOD_ROWS = (f"{make_id_number(61)},张一,B1,正式,2005-07-01\n"
             f"{make_id_number(62)},李二,B2,预备,2016-01-10\n")


def choose_file(page: Page, kind_label: str, text: str) -> None:
    page.get_by_label(kind_label, exact=True).check()
    page.set_input_files("input[name=file]", files=[{"name": "党员名册.csv", "mimeType": "text/csv",
                                                     "buffer": text.encode("utf-8")}])
    page.get_by_role("button", name="上传并检查").click()


def test_an_admin_fixes_a_bad_row_and_imports_the_roster(live_server, page: Page, screen, screenshot, tmp_path):
    base = live_server.url
    log_in_as(page, base, "admin1")
    page.goto(f"{base}/queue")
    open_menu(page)
    page.get_by_role("link", name="导入名册").click()
    expect(page.get_by_role("heading", name="导入名册")).to_be_visible()
    assert_fits(page)

    # a probationary member without the start of their probation: row 3
    choose_file(page, "党员", HEADER + GOOD_ROWS)
    problems = page.get_by_test_id("problems")
    expect(problems).to_be_visible()
    bad_row = problems.locator("tr[data-row='3']")
    expect(bad_row).to_contain_text("预备党员必须填写预备期开始日期")
    expect(bad_row).to_contain_text("a probationary member needs a probation_start date")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    assert_fits(page)
    screenshot(page, "60-import-dry-run" + ("" if screen == "desktop" else "-phone"))

    with page.expect_download() as download:
        page.get_by_role("link", name="下载问题清单（Excel）").click()
    saved = tmp_path / "problems.xlsx"
    download.value.save_as(saved)
    rows = [[cell.value for cell in row] for row in load_workbook(saved).active.iter_rows()]
    assert rows[1][0] == 3 and "预备期开始日期" in rows[1][4]

    page.get_by_role("link", name="修改文件后重新上传").click()
    fixed = HEADER.replace("\n", ",预备期开始日期\n") + GOOD_ROWS.replace("2005-07-01\n", "2005-07-01,\n") \
        .replace("2016-01-10\n", "2016-01-10,2016-01-10\n")
    choose_file(page, "党员", fixed)
    expect(page.get_by_test_id("import-checked")).to_be_visible()
    expect(page.get_by_test_id("count-inserted")).to_have_text("2")
    assert_fits(page)

    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()
    expect(page.get_by_test_id("count-inserted")).to_have_text("2")
    expect(page.get_by_test_id("import-log")).to_contain_text(re.compile(r"已记入导入日志（第 \d+ 号"))
    assert_fits(page)
    screenshot(page, "61-import-done" + ("" if screen == "desktop" else "-phone"))
