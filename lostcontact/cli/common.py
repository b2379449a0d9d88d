"""What every command shares: settings, the database, today's date, errors and output."""
from __future__ import annotations

import functools
import json
import sys
from datetime import date
from typing import Any, Callable

import typer

from models.db import Database, open_database
from statemachines.errors import LostContactError, UsageError
from statemachines.isodate import parse_iso_date

from ..config import Settings

_state: dict[str, Any] = {}


def settings() -> Settings:
    if "settings" not in _state:
        _state["settings"] = Settings.from_env()
    return _state["settings"]


def database(*, initialised: bool = True) -> Database:
    if "db" not in _state:
        _state["db"] = open_database(settings().db_url)
    if initialised:
        from ..services.setup import require_schema
        require_schema(_state["db"])
    return _state["db"]


def today() -> date:
    return settings().today()


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        raise UsageError(f"{option} 日期格式应为 YYYY-MM-DD：{value}", f"{option} must be YYYY-MM-DD: {value}") from None


def fail(error: LostContactError) -> None:
    for line in error.lines():
        typer.echo(line, err=True)
    raise typer.Exit(error.exit_code)


def handles_errors(func: Callable) -> Callable:
    """Turn a user's mistake into its exit code and two lines (Chinese, English); never a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except LostContactError as error:
            fail(error)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # an internal error: one line, no traceback (exit 1)
            typer.echo(f"内部错误 / internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                       err=True)
            raise typer.Exit(1)
    return wrapper


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"--format 只能是 {'|'.join(allowed)}", f"--format must be one of {'|'.join(allowed)}")
    return value


def is_terminal() -> bool:
    return sys.stdout.isatty()
