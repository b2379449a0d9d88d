"""The one autoescaping Jinja2 environment of the project (forms, reports, notices, pages), loading from
the top-level templates/ folder, with the few filters the official forms need."""
from __future__ import annotations

import hashlib
import os
from datetime import date
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import (BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined,
                    select_autoescape)

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


# The templates ship with the code and never change under a running process: no reload check, which
# stats every template a page extends, includes or imports on each request (about 9 µs for a page).
_OPTIONS = {"auto_reload": False, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
_AUTOESCAPED = ("html", "htm", "xml", "svg")


class _TemplateCache(FileSystemBytecodeCache):
    """A cache that cannot be read or written (a full disk, a file removed under it) is no cache, never an
    error: the template is compiled as it would be without one."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache() -> BytecodeCache | None:
    """Compiled templates kept between processes (Jinja's own cache, in a directory only this user may
    use): each command, sweep or server process otherwise parses and compiles every template it renders
    anew (the day's notices pair: about 13 ms of a sweep). Jinja checks each file's source against what
    was compiled; the file names carry what else shapes the compiled code (these options, Jinja's version).
    LOSTCONTACT_TEMPLATE_CACHE=off turns it off; a temporary directory that is not safe to use does too."""
    if os.environ.get("LOSTCONTACT_TEMPLATE_CACHE", "").lower() in ("off", "0", "no"):
        return None
    shape = repr((sorted(_OPTIONS.items()), _AUTOESCAPED, jinja2.__version__)).encode()
    try:
        return _TemplateCache(pattern=f"lostcontact-{hashlib.sha1(shape).hexdigest()[:12]}-%s.cache")
    except (OSError, RuntimeError):  # Jinja refuses a cache directory another user owns or can write to
        return None


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), bytecode_cache=template_cache(),
                      autoescape=select_autoescape(list(_AUTOESCAPED), default_for_string=True),
                      undefined=StrictUndefined, **_OPTIONS)
    env.filters["circled"] = circled
    env.filters["cn_date"] = cn_date
    return env
