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
