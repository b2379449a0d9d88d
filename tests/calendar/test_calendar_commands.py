"""`lostcontact calendar load FILE` and `calendar show YEAR` as an operator types them."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from lostcontact.uow import UnitOfWork
from models.db import open_database
from statemachines.clocks import DueDate, add_working_days
from tests.cli.conftest import cli  # noqa: F401  (the fixture)

from .conftest import write_file

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "examples" / "holidays-2027.toml"


def test_the_example_file_loads_and_show_says_where_it_came_from(cli):
    loaded = cli("calendar", "load", EXAMPLE)
    assert loaded.exit_code == 0, loaded.output
    assert "已载入 2027 年节假日数据第 1 版" in loaded.stdout and "loaded 2027 holiday data, version 1" in loaded.stdout
    shown = cli("calendar", "show", "2027")
    assert shown.exit_code == 0, shown.output
    assert "来源：数据库中载入的第 1 版" in shown.stdout and "source: stored version 1" in shown.stdout
    assert "2027-10-01 至 2027-10-07（星期五至星期四，共 7 天）" in shown.stdout
    assert "2027-02-20（星期六）" in shown.stdout
    as_json = cli.json("calendar", "show", "2027")
    assert as_json["source"]["kind"] == "stored" and as_json["source"]["version"] == 1
    assert "2027-01-01" in as_json["holidays"] and as_json["workdays"][0] == "2027-02-20"


def test_show_names_the_package_or_says_nothing_is_known(cli):
    package = cli("calendar", "show", "2026")
    assert package.exit_code == 0 and "来源：已安装的 chinesecalendar 程序包" in package.stdout
    assert "2026-02-15 至 2026-02-23" in package.stdout
    unknown = cli("calendar", "show", "2030")
    assert unknown.exit_code == 0
    assert "2030 年的节假日数据尚未载入，工作日按周一至周五计算，相关期限为暂定" in unknown.stdout
    assert "source: unknown" in unknown.stdout


def test_a_bad_file_exits_4_in_both_languages_and_stores_nothing(cli, tmp_path):
    bad = write_file(tmp_path, 'year = 2027\nholidays = ["2027-01-01", "2027-13-01"]\nworkdays = ["2027-01-01"]\n')
    refused = cli("calendar", "load", bad)
    assert refused.exit_code == 4
    assert "错误：节假日文件 holidays.toml 有 2 处错误，未载入任何内容" in refused.stderr
    assert "error: holiday file holidays.toml has 2 problem(s); nothing was loaded" in refused.stderr
    assert "holidays.toml：第 2 行，holidays[2]：“2027-13-01”不是 YYYY-MM-DD 格式的日期" in refused.stderr
    assert "holidays.toml: line 3, holidays/workdays: 2027-01-01 is both a holiday and a make-up working day" in refused.stderr
    assert "Traceback" not in refused.output
    assert cli.json("calendar", "show", "2027")["source"] == {"kind": "unknown"}
    assert cli("calendar", "load", tmp_path / "missing.toml").exit_code == 4


def test_a_year_that_is_not_a_number_is_a_usage_error(cli):
    assert cli("calendar", "show", "明年").exit_code == 2
    assert cli("calendar", "show", "27").exit_code == 2


def test_a_year_loaded_by_another_process_is_counted_with_at_once(cli, tmp_path):
    database = open_database(cli.url)
    try:
        with UnitOfWork(database, write=False):
            assert add_working_days(date(2026, 12, 31), 1) == DueDate(date(2027, 1, 1), provisional=True)
        environment = {**os.environ, "LOSTCONTACT_DB": cli.url, "PYTHONPATH": str(REPOSITORY)}
        other = subprocess.run([sys.executable, "-c", "from lostcontact.cli.main import main; main()",
                                "calendar", "load", str(EXAMPLE)], env=environment, capture_output=True, text=True,
                               timeout=120)
        assert other.returncode == 0, other.stderr
        with UnitOfWork(database, write=False):  # this process's next unit of work, no restart
            assert add_working_days(date(2026, 12, 31), 1) == DueDate(date(2027, 1, 4), provisional=False)
    finally:
        database.dispose()
