"""Render a template of templates/ to HTML, streamed chunk by chunk (a long register never sits in memory)."""
from __future__ import annotations

from typing import Iterator, TextIO

from ..templating import environment
from .layout import Sheet


def html_chunks(template: str, **context) -> Iterator[str]:
    return environment().get_template(template).generate(**context)


def write_html(template: str, out: TextIO, **context) -> None:
    for chunk in html_chunks(template, **context):
        out.write(chunk)


def render_html(template: str, **context) -> str:
    return "".join(html_chunks(template, **context))


def write_sheet_html(sheet: Sheet, out: TextIO) -> None:
    sheet.check()
    write_html("reports/sheet.html", out, sheet=sheet)
