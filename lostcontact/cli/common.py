"""What every command shares: settings, the database, today's date, errors and output.

Light on purpose: every command imports this module, `--help` included, so SQLAlchemy (models.db) is
imported only when a command opens the database."""
from __future__ import annotations

import functools
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

import typer

from statemachines.errors import LostContactError, UsageError
from statemachines.isodate import parse_iso_date

from ..config import Settings

if TYPE_CHECKING:
    from models.db import Database

_state: dict[str, Any] = {}


def settings() -> Settings:
    if "settings" not in _state:
        _state["settings"] = Settings.from_env()
    return _state["settings"]


def database(*, initialised: bool = True) -> Database:
    if "db" not in _state:
        from models.db import open_database
        _state["db"] = open_database(settings().db_url, busy_seconds=settings().sqlite_busy_seconds)
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


SIGPIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader closed the pipe


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush of the closed pipe raises nothing."""
    import os
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


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
        except BrokenPipeError:  # the reader went away (`… | head`): stop quietly, as a shell tool does
            _silence_stdout()
            raise typer.Exit(SIGPIPE_EXIT)
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
