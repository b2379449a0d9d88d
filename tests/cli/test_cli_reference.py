"""docs/cli.md is the command-line contract: every command the program has is described there."""
from __future__ import annotations

from pathlib import Path

import typer

from lostcontact.cli.main import app

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def command_paths(command, prefix: str = "") -> list[str]:
    if hasattr(command, "commands"):  # a group (typer brings its own click: no isinstance)
        return [path for name, sub in sorted(command.commands.items())
                for path in command_paths(sub, f"{prefix} {name}".strip())]
    return [prefix]


def test_every_command_of_the_program_is_in_the_command_line_reference():
    reference = REFERENCE.read_text(encoding="utf-8")
    paths = command_paths(typer.main.get_command(app))
    assert len(paths) > 20
    assert [path for path in paths if f"`{path}" not in reference] == []
