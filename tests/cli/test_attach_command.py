"""`lostcontact case attach` as a user types it: a good file is stored beside the database and listed by
`case show`; a bad file exits 4, a refusal 3, a usage mistake 2 — each saying why and storing nothing."""
import hashlib
from pathlib import Path

import pytest

from ..attachments.files import JPEG, PDF, PNG


@pytest.fixture
def case_id(cli, zhang_san):
    result = cli("case", "open", zhang_san, "--at", "2016-03-01", "--actor", "officer1")
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip().rsplit(" ", 1)[-1])


@pytest.fixture
def folder(cli) -> Path:
    """Where the files go by default: beside the SQLite database file."""
    return Path(cli.url.removeprefix("sqlite:///") + ".attachments")


def a_file(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def stored(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_officer_attaches_a_scan_and_case_show_lists_it(cli, case_id, folder, tmp_path):
    scan = a_file(tmp_path, "支部大会记录.pdf", PDF)
    result = cli("case", "attach", case_id, scan, "--note", "会议记录扫描件", "--step", "1", "--at", "2016-03-02",
                 "--actor", "officer1")
    assert result.exit_code == 0, result.output
    attachment_id = int(result.stdout.strip().rsplit(" ", 1)[-1])
    [row] = cli.json("case", "show", case_id)["attachments"]
    assert row["id"] == attachment_id and row["file_name"] == "支部大会记录.pdf" and row["note"] == "会议记录扫描件"
    assert row["sha256"] == hashlib.sha256(PDF).hexdigest() and row["at"] == "2016-03-02"
    assert row["documents"] == "办理环节：2016-03-01 立案" and row["superseded_by"] is None
    [blob] = stored(folder)
    assert blob.read_bytes() == PDF


def test_case_show_tables_the_files_with_who_and_whether_replaced(cli, case_id, tmp_path):
    cli("case", "attach", case_id, a_file(tmp_path, "签字页.jpg", JPEG), "--actor", "officer1")
    replaced = cli("case", "attach", case_id, a_file(tmp_path, "签字页2.png", PNG), "--replaces", "1",
                   "--note", "更清晰", "--actor", "officer1")
    assert replaced.exit_code == 0, replaced.output
    table = cli("case", "show", case_id).stdout
    assert "签字页.jpg" in table and "签字页2.png" in table and "JPEG" in table and "PNG" in table
    assert hashlib.sha256(JPEG).hexdigest()[:12] in table and "已被替换" in table and "更清晰" in table
    assert "officer1（未填姓名）" in table


@pytest.mark.parametrize("name, data, words", [
    ("伪装.pdf", PNG, "文件内容与类型不符"), ("空白.pdf", b"", "文件为空"), ("程序.exe", PDF, "只能上传")])
def test_a_bad_file_exits_4_and_stores_nothing(cli, case_id, folder, tmp_path, name, data, words):
    result = cli("case", "attach", case_id, a_file(tmp_path, name, data), "--actor", "officer1")
    assert result.exit_code == 4 and words in result.stderr and "error:" in result.stderr
    assert "Traceback" not in result.output
    assert cli.json("case", "show", case_id)["attachments"] == [] and stored(folder) == []


def test_a_missing_file_exits_4(cli, case_id, tmp_path):
    result = cli("case", "attach", case_id, str(tmp_path / "nowhere.pdf"), "--actor", "officer1")
    assert result.exit_code == 4 and "无法读取文件" in result.stderr


def test_a_case_outside_the_subtree_exits_4_exactly_as_an_unknown_case(cli, case_id, tmp_path):
    scan = a_file(tmp_path, "记录.pdf", PDF)
    outside = cli("case", "attach", case_id, scan, "--actor", "officer3")
    unknown = cli("case", "attach", case_id + 1000, scan, "--actor", "officer3")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.stderr.replace(f"编号 {case_id}", "编号 #").replace(f"case id {case_id}", "case id #") == \
        unknown.stderr.replace(f"编号 {case_id + 1000}", "编号 #").replace(f"case id {case_id + 1000}", "case id #")


def test_a_supervisor_is_refused_with_exit_3(cli, case_id, folder, tmp_path):
    result = cli("case", "attach", case_id, a_file(tmp_path, "记录.pdf", PDF), "--actor", "supervisor1")
    assert result.exit_code == 3 and "上传佐证材料" in result.stderr and stored(folder) == []


@pytest.mark.parametrize("extra", [[], ["--at", "2016/03/02", "--actor", "officer1"],
                                   ["--colour", "red", "--actor", "officer1"]],
                         ids=["no-actor", "bad-date", "unknown-option"])
def test_a_usage_mistake_exits_2(cli, case_id, tmp_path, extra):
    result = cli("case", "attach", case_id, a_file(tmp_path, "记录.pdf", PDF), *extra)
    assert result.exit_code == 2, result.output
