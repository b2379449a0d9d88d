"""The `lostcontact` entry point: each command group lives in its own module and registers here.

Starting must stay fast (`--help` in a fraction of a second): a command module imports only typer and
light modules at its top; Prefect, the web stack, argon2, SQLAlchemy and the file writers are imported
inside the command that needs them (tests/cli/test_cli_start.py guards this)."""
from __future__ import annotations

import sys

import typer

from . import cases, demo, flows, imports, reports, setup, web
from . import attachments, calendar, maintenance, members, travel
from . import self_reports
from . import police
from . import discipline
from .usage import LostContactGroup, run, speak_both_languages

# Plain help (rich_markup_mode=None): the same words, without importing rich's help renderer on every call.
app = typer.Typer(help="失联党员查找处置工作流 lostcontact", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, cls=LostContactGroup, rich_markup_mode=None)
setup.register(app)
cases.register(app)
imports.register(app)
flows.register(app)
demo.register(app)
web.register(app)
reports.register(app)
maintenance.register(app)
attachments.register(app)
calendar.register(app)
members.register(app)
travel.register(app)
self_reports.register(app)  # the travel programme's self-report campaigns
police.register(app)
discipline.register(app)  # the discipline commission's register
speak_both_languages(app)


def main() -> None:
    run(app, sys.argv[1:])  # the app, building only the command called (usage.for_the_command_called)
