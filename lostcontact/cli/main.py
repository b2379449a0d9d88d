"""The `lostcontact` entry point: each command group lives in its own module and registers here."""
from __future__ import annotations

import typer

from . import cases, demo, flows, imports, reports, setup, web
from . import calendar

app = typer.Typer(help="失联党员查找处置工作流 lostcontact", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)
setup.register(app)
cases.register(app)
imports.register(app)
flows.register(app)
demo.register(app)
web.register(app)
reports.register(app)
calendar.register(app)


def main() -> None:
    app()
