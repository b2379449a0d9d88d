"""What every kind of import file shares: its columns, how a checked row goes into the staging table,
and the context of one import. Each kind (orgs, members, contacts) adds its row rules, its whole-file
checks in SQL and its set-based writes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, Column as SqlColumn, Connection, Date, Integer, String, Table, Text, select

from statemachines.policy import Policy

from . import values
from .columns import Column
from .problems import BadValue, Problems, shown
from .scope import OUTSIDE, Scope
from .staging import row_number_column

Record = dict[str, Any]  # one row of the file: column name -> value (None when empty)


@dataclass
class Context:
    """One import: what the kind's checks and writes need besides the staging table."""
    today: date
    now: datetime
    file_name: str
    present: frozenset[str]   # the columns the file has (a re-import leaves the others as they are)
    problems: Problems
    scope: Scope | None = None  # None: the local operator, the whole tree
    policy: Policy | None = None  # in force today: what the alerts an import ends are judged by
    actor: str = "operator"       # who imports (a history a kind writes names them)

    def unknown(self, reason: tuple[str, str]) -> tuple[str, str]:
        """The reason for something not found: in a scoped import the same words whether it does not
        exist or lies outside the user's subtrees."""
        return reason if self.scope is None else OUTSIDE

    def visible(self, table: Table, name: str):
        """`table` (orgs) as this import may see it, under an alias: a scoped import sees its subtrees only."""
        if self.scope is None:
            return table.alias(name)
        return select(table).where(self.scope.sql(table.c.path)).subquery(name)


@dataclass(frozen=True)
class Counts:
    inserted: int
    updated: int
    unchanged: int


class Kind:
    name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    target: ClassVar[Table]                      # the table whose column types and lengths the values must fit
    staged: ClassVar[tuple[str, ...]]            # staging columns after row_no, in order
    staging_types: ClassVar[dict[str, Any]] = {}  # types of staged columns the target does not have
    indexed: ClassVar[tuple[str, ...]] = ()      # staged columns the whole-file checks look up

    def __init__(self) -> None:
        self._by_name = {column.name: column for column in self.columns}
        self._dates = tuple(i for i, name in enumerate(self.staged, 1) if isinstance(self._type(name), Date))
        # Lengths matter for what people type freely; words from a fixed list and ID numbers fit already.
        self._limits = {name: self._type(name).length for name in self.staged
                        if name in self._by_name and self._by_name[name].parse in values.FREE_TEXT
                        and isinstance(self._type(name), String) and self._type(name).length}

    def _type(self, name: str):
        return self.staging_types.get(name) or self.target.c[name].type

    def staging_columns(self) -> list[SqlColumn]:
        """Text columns without length limits (the lengths are checked row by row, with a message)."""
        columns = [row_number_column()]
        for name in self.staged:
            kind = self._type(name)
            plain = Text() if isinstance(kind, String) else Date() if isinstance(kind, Date) else \
                Boolean() if isinstance(kind, Boolean) else Integer()
            columns.append(SqlColumn(name, plain, index=name in self.indexed))
        return columns

    def prepare(self, present: frozenset[str]) -> None:
        """Called once the header is known: only the columns the file has need their lengths checked."""
        self._limits = {name: limit for name, limit in self._limits.items() if name in present}
        self.checks_rows = bool(self._limits) or type(self).check_row is not Kind.check_row

    def check_row(self, row: int, record: Record, ctx: Context) -> None:
        """The rules of a row whose every cell was read (beyond each cell's form): report what is wrong."""
        self._check_lengths(row, record, ctx.problems)

    def stage_row(self, row: int, record: Record) -> list:
        get = record.get
        staged = [row, *map(get, self.staged)]
        for i in self._dates:
            if staged[i] is not None:
                staged[i] = staged[i].isoformat()
        return staged

    def check_file(self, conn: Connection, stage: Table, ctx: Context) -> None:
        """Rules over the whole file and the database, in SQL; report every bad row in ctx.problems."""

    def write(self, conn: Connection, stage: Table, ctx: Context) -> Counts:
        raise NotImplementedError

    def cleanup(self, conn: Connection) -> None:
        """Drop the kind's own temporary tables."""

    # helpers -------------------------------------------------------------------------------------------

    def _check_lengths(self, row: int, record: Record, problems: Problems) -> None:
        for name, limit in self._limits.items():
            value = record.get(name)
            if value is not None and len(value) > limit:
                self.report(problems, row, name, value, (f"过长（最多{limit}个字符）", f"too long (at most {limit} characters)"))

    def report(self, problems: Problems, row: int, name: str, value: object, why: BadValue | tuple[str, str]) -> None:
        zh, en = (why.zh, why.en) if isinstance(why, BadValue) else why
        column = self._by_name.get(name)
        problems.add(row, name, None if value is None else shown(value, is_id=bool(column and column.is_id)), zh, en)


def in_future(day: date | None, today: date) -> tuple[str, str] | None:
    if day is not None and day > today:
        return f"日期在未来（今天是 {today}）", f"the date is in the future (today is {today})"
    return None
