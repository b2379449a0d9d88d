"""The one autoescaping Jinja2 environment of the project (forms, reports, notices, pages), loading from
the top-level templates/ folder, with the few filters the official forms need."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def circled(code: int | None) -> str:
    """The forms write code numbers as ①–⑩ (seed 003 附件5 填表说明)."""
    if code is None:
        return ""
    return CIRCLED[code - 1] if 1 <= code <= len(CIRCLED) else str(code)


def cn_date(day: date | str | None, precision: str = "day") -> str:
    """2016年3月1日 (or 2016年3月 with precision="month", as 出生年月 is written); an ISO date or time as
    stored in JSON (a meeting's date, an attachment's day) is read first."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if precision == "month":
        return f"{day.year}年{day.month}月"
    return f"{day.year}年{day.month}月{day.day}日"


@lru_cache(maxsize=1)
def environment() -> Environment:
    # The templates ship with the code and never change under a running process: no reload check, which
    # stats every template a page extends, includes or imports on each request (about 9 µs for a page).
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), auto_reload=False,
                      autoescape=select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["circled"] = circled
    env.filters["cn_date"] = cn_date
    return env
