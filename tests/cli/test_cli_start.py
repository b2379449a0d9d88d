"""The command line starts at once and answers a wrong command line like every other error.

- `lostcontact --help`, a command's `--help` and a read command import none of the heavy libraries
  (Prefect, the web stack, argon2, the file writers; SQLAlchemy not even for help), each checked in a fresh
  process, as a user's shell starts it;
- an unknown command or option, a missing argument or option, a bad value: one line in Chinese, one in
  English, exit 2, no traceback and no boxed panel;
- every command's help is bilingual, every option and argument is explained, and no flag shows a type.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import pytest
import typer.main
from typer.testing import CliRunner

from lostcontact.cli.main import app
from lostcontact.cli.usage import for_the_command_called

from .conftest import WholeAppRunner, whole_app

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("prefect", "fastapi", "starlette", "uvicorn", "argon2", "openpyxl", "weasyprint", "jinja2", "alembic",
         "pydantic")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Runs `lostcontact ARGS…` in this process and prints every module it imported.
IMPORTS_OF_ONE_COMMAND = """
import json, sys
from lostcontact.cli.main import main
sys.argv = ["lostcontact", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""
READS_NEVER_IMPORT = {"transitions", "statemachines.lifecycle", "lostcontact.services.cases",
                      "sqlalchemy.dialects.postgresql", "models.travel", "models.self_reports", "models.police",
                      "rich.console", "rich.table"}  # a pipe gets its tables from cli/plain_table.py


def imported_by(*args: str, db_url: str | None = None, modules: bool = False) -> set[str]:
    """The top-level packages `lostcontact ARGS…` imported (with `modules`: every module, by its full name)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOSTCONTACT_TZ": "Asia/Shanghai"}
    if db_url:
        env["LOSTCONTACT_DB"] = db_url
    run = subprocess.run([sys.executable, "-c", IMPORTS_OF_ONE_COMMAND, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    loaded = set(json.loads(run.stderr.strip().splitlines()[-1]))
    return loaded if modules else {name.split(".")[0] for name in loaded}


@pytest.mark.parametrize("args", [["--help"], ["cases", "--help"], ["case", "fire", "--help"], ["serve", "--help"],
                                  ["tally", "--help"], ["demo", "--help"], ["users", "add", "--help"]])
def test_help_imports_neither_the_heavy_libraries_nor_sqlalchemy(args):
    loaded = imported_by(*args)
    assert loaded.isdisjoint(HEAVY + ("sqlalchemy",)), loaded & set(HEAVY + ("sqlalchemy",))


def test_a_read_command_imports_the_database_layer_but_none_of_the_heavy_libraries(tmp_path):
    url = f"sqlite:///{tmp_path / 'start.db'}"
    assert "alembic" in imported_by("init", db_url=url)  # init migrates: the one command that needs Alembic
    for command in (["cases"], ["case", "show", "1"], ["alerts"], ["tally"]):
        loaded = imported_by(*command, db_url=url, modules=True)
        assert "sqlalchemy" in loaded  # it did run, against the database
        packages = {name.split(".")[0] for name in loaded}
        assert packages.isdisjoint(HEAVY), (command, packages & set(HEAVY))
        # reading needs no state machine (statemachines.case_states has the names), no travel-programme
        # tables (declared on first use, models/__init__.py) and, on SQLite, no PostgreSQL dialect
        # (models.base.postgresql_only keeps the indexes' PostgreSQL options aside)
        assert not loaded & READS_NEVER_IMPORT, (command, loaded & READS_NEVER_IMPORT)


USAGE_ERRORS = {
    "unknown command": (["bogus"], "没有命令 bogus", "no such command: bogus"),
    "unknown option": (["cases", "--bogus"], "没有选项 --bogus", "no such option: --bogus"),
    "missing argument": (["case", "show"], "缺少参数 CASE_ID", "missing argument CASE_ID"),
    "missing option": (["case", "fire", "1", "start_search"], "缺少选项 --actor", "missing option --actor"),
    "not a number": (["case", "show", "abc"], "CASE_ID 的值无效：应为整数", "invalid value for CASE_ID"),
    "out of range": (["serve", "--port", "70000"], "--port 的值无效：应在 1 到 65535 之间", "invalid value for --port"),
    "option without its value": (["cases", "--org"], "选项 --org 后面需要一个值", "option --org needs a value"),
    "flag given a value": (["cases", "--overdue=yes"], "选项 --overdue 不带值", "option --overdue takes no value"),
    "extra argument": (["cases", "extra"], "多余的参数：extra", "unexpected extra argument(s): extra"),
}


@pytest.mark.parametrize("case", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_a_usage_error_is_one_line_in_chinese_and_one_in_english_with_exit_2(case):
    args, zh, en = case
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    chinese, english = result.stderr.splitlines()  # exactly two lines, as every error prints
    assert chinese.startswith("错误：") and zh in chinese
    assert english.startswith("error: ") and en in english and not CJK.search(english)
    assert "Traceback" not in result.stderr and "╭" not in result.stderr and "Usage:" not in result.stderr


def test_a_usage_error_names_the_help_to_read():
    result = CliRunner().invoke(app, ["case", "show"], prog_name="lostcontact")
    assert "（用法见 lostcontact case show --help）" in result.stderr
    assert "(see lostcontact case show --help)" in result.stderr


def test_a_refusal_inside_a_command_keeps_its_own_exit_code(tmp_path, monkeypatch):
    monkeypatch.setenv("LOSTCONTACT_DB", f"sqlite:///{tmp_path / 'none.db'}")
    from lostcontact.cli import common
    common._state.clear()
    result = CliRunner().invoke(app, ["cases"])  # a database nobody initialised
    common._state.clear()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["错误：数据库尚未初始化，请先运行 lostcontact init",
                                          "error: the database is not initialised: run `lostcontact init` first"]


def every_command(command=None, path=()):
    command = command or whole_app()
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from every_command(sub, (*path, name))


def invoke_whole_app(args: list[str]):
    return WholeAppRunner().invoke(app, args, prog_name="lostcontact")


@pytest.mark.parametrize("path, command", list(every_command()), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_help_is_bilingual_and_explains_every_option(path, command):
    result = invoke_whole_app([*path, "--help"])
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith(f"用法 Usage: lostcontact {' '.join(path)}".rstrip())
    assert "<bool>" not in page and "Show this message" not in page
    assert "显示本帮助并退出 / show this help and exit" in page
    assert CJK.search(command.help or "") and re.search(r"[a-z]{3}", command.help or ""), command.help
    for param in command.params:
        explained = param.help or ""
        assert CJK.search(explained) and re.search(r"[a-z]{3}", explained), (path, param.name, explained)


def test_lostcontact_without_a_command_shows_its_help():
    result = CliRunner().invoke(app, [], prog_name="lostcontact")
    assert result.exit_code == 2
    assert "命令 Commands:" in result.stdout and "cases" in result.stdout


def test_a_command_line_builds_only_the_command_it_calls():
    assert set(typer.main.get_group(for_the_command_called(app, ["cases", "--overdue"])).commands) == {"cases"}
    assert set(typer.main.get_group(for_the_command_called(app, ["case", "show", "1"])).commands) == {"case"}
    for args in (["--help"], [], ["bogus"], ["-x"]):
        assert for_the_command_called(app, args) is app


ANSWERED_ALIKE = [[*path, "--help"] for path, _ in every_command()] + [args for args, _, _ in USAGE_ERRORS.values()]


@pytest.mark.parametrize("args", ANSWERED_ALIKE, ids=" ".join)
def test_the_command_built_alone_answers_as_the_whole_app_does(args):
    whole = invoke_whole_app(args)
    with patch("typer.testing._get_command", typer.main.get_group):  # as main() builds it: always a group
        alone = CliRunner().invoke(for_the_command_called(app, args), args, prog_name="lostcontact")
    assert (alone.exit_code, alone.stdout, alone.stderr) == (whole.exit_code, whole.stdout, whole.stderr)
