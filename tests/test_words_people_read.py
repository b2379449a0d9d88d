"""A refusal's sentences are read on web pages as well as on the command line, so they name what is missing
in words; the command-line option that supplies it travels beside them (`option=`) and only the command
line's lines name it (statemachines/errors.py)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from statemachines.errors import Refused, Refusals

ROOT = Path(__file__).resolve().parent.parent
ERRORS = {"LostContactError", "UsageError", "Refused", "Conflict", "BadInput", "refuse"}
OPTION = re.compile(r"--[a-z]")


def _called(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def _sentences_naming_options(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call) and _called(node) in ERRORS:
            for sentence in node.args[:2]:  # zh, en; the third is the option itself
                for part in ast.walk(sentence):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str) and OPTION.search(part.value):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {part.value}")
    return found


def test_no_sentence_of_the_rules_or_the_services_names_a_command_line_option():
    sources = [*(ROOT / "statemachines").rglob("*.py"), *(ROOT / "lostcontact" / "services").rglob("*.py")]
    assert [line for path in sorted(sources) for line in _sentences_naming_options(path)] == []


def test_the_command_line_names_the_option_after_each_sentence_and_the_sentences_stay_plain():
    refused = Refused("退回须说明需要修改的内容", "a return says what to correct", "--note")
    assert refused.lines() == ["错误：退回须说明需要修改的内容（--note）", "error: a return says what to correct (--note)"]
    assert refused.zh == "退回须说明需要修改的内容"  # what a web page shows


def test_a_guards_first_reason_is_raised_with_its_option():
    refusals = Refusals()
    assert refusals.refuse("排除须说明理由", "a dismissal needs its reason", "--reason") is False
    refusals.refuse("另一个理由", "another reason")
    raised = Refused(*refusals.refusals[0])
    assert (raised.zh, raised.option) == ("排除须说明理由", "--reason")


# A login in a Chinese sentence of a refusal where the person belongs: `actor.login`, `actor.label()`, or a
# login variable right after 用户 (the sentences about an account by its login, 未知用户/用户名, are not people).
LOGIN_NAMES = {"login", "actor_login"}


def _is_login(expression: ast.expr, before: str) -> bool:
    if isinstance(expression, ast.Attribute) and expression.attr in LOGIN_NAMES:
        return True
    if isinstance(expression, ast.Call) and getattr(expression.func, "attr", "") == "label":
        return True
    return (isinstance(expression, ast.Name) and expression.id in LOGIN_NAMES and before.rstrip().endswith("用户")
            and not before.rstrip().endswith("未知用户"))


def _sentences_naming_logins(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call) and _called(node) in ERRORS and node.args:
            zh = node.args[0]
            if not isinstance(zh, ast.JoinedStr):
                continue
            before = ""
            for part in zh.values:
                if isinstance(part, ast.Constant):
                    before = str(part.value)
                elif _is_login(part.value, before):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(zh)}")
    return found


def test_no_refusal_names_the_user_by_login_in_its_chinese_sentence():
    sources = [*(ROOT / "statemachines").rglob("*.py"), *(ROOT / "lostcontact").rglob("*.py")]
    assert [line for path in sorted(sources) for line in _sentences_naming_logins(path)] == []
