"""Importing the exit-entry administration's records (PROGRAMMES.md §4; docs/travel-documents.md#police-records):
the documents it holds on file and the exits and entries it recorded. All or nothing like every import; each
record is keyed by its natural key (a holding by kind and number; a crossing by ID number, day, direction and
document), so a file imported again adds nothing twice: a holding whose status or dates changed is updated, a
crossing whose port or destination changed likewise.

Police records are keyed by ID number, not by org: the administration's file covers whoever it covers (M1
looks for identities the registry does not know), so a liaison's grant decides who may import, and the
import reads nothing back but its counts."""
from __future__ import annotations

from sqlalchemy import Connection, Table, and_, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from models import PoliceCrossing, PoliceHolding

from ..masking import mask_document
from . import values
from .kind import Context, Counts, Kind, Record, in_future
from .problems import BadValue
from .police_columns import CROSSING_COLUMNS, HOLDING_COLUMNS

HOLDINGS, CROSSINGS = PoliceHolding.__table__, PoliceCrossing.__table__


def _insert(conn: Connection, table: Table):
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


def _duplicates(kind: Kind, conn: Connection, stage: Table, ctx: Context, key: tuple[str, ...], column: str,
                what: tuple[str, str]) -> None:
    """Every row repeating an earlier row's natural key, named with that row."""
    cols = [stage.c[k] for k in key]
    first = (select(*cols, func.min(stage.c.row_no).label("first_row"))
             .where(*(c.is_not(None) for c in cols)).group_by(*cols).having(func.count() > 1).subquery())
    for row, value, first_row in conn.execute(
            select(stage.c.row_no, stage.c[column], first.c.first_row)
            .join(first, and_(*(first.c[k] == stage.c[k] for k in key))).where(stage.c.row_no != first.c.first_row)):
        kind.report(ctx.problems, row, column, value, (f"与第{first_row}行{what[0]}重复", f"{what[1]} as row {first_row}"))


class _PoliceFile(Kind):
    """Document numbers are masked in every message, like ID numbers (PROGRAMMES.md §2)."""
    numbers = ("number", "document_number")

    def report(self, problems, row: int, name: str, value: object, why: BadValue | tuple[str, str]) -> None:
        if name in self.numbers and value is not None:
            zh, en = (why.zh, why.en) if isinstance(why, BadValue) else why
            problems.add(row, name, mask_document(values.clean_text(value)), zh, en)
            return
        super().report(problems, row, name, value, why)


class HoldingImport(_PoliceFile):
    name = "police_holdings"
    columns = HOLDING_COLUMNS
    target = HOLDINGS
    staged = ("id_number", "name", "kind", "number", "issued_on", "expires_on", "status", "birth_date")

    def check_row(self, row: int, record: Record, ctx: Context) -> None:
        super().check_row(row, record, ctx)
        record["birth_date"] = values.id_birth_date(record["id_number"])
        why = in_future(record["issued_on"], ctx.today)
        if why:
            self.report(ctx.problems, row, "issued_on", record["issued_on"], why)
        if record["expires_on"] <= record["issued_on"]:
            self.report(ctx.problems, row, "expires_on", record["expires_on"],
                        (f"不晚于签发日期 {record['issued_on']}", f"not after the issue date {record['issued_on']}"))

    def check_file(self, conn: Connection, stage: Table, ctx: Context) -> None:
        _duplicates(self, conn, stage, ctx, ("kind", "number"), "number", ("的证件", "the same document"))
        # a document on file under another ID number: the administration's two records disagree
        for row, number in conn.execute(
                select(stage.c.row_no, stage.c.number).join(HOLDINGS, and_(HOLDINGS.c.kind == stage.c.kind,
                                                                           HOLDINGS.c.number == stage.c.number))
                .where(HOLDINGS.c.id_number != stage.c.id_number)):
            self.report(ctx.problems, row, "number", number, ("该证件已登记在另一身份证号下",
                                                               "this document is on file under another ID number"))

    def write(self, conn: Connection, stage: Table, ctx: Context) -> Counts:
        rows = conn.scalar(select(func.count()).select_from(stage))
        fields = ("name", "issued_on", "expires_on", "status")
        same_doc = and_(HOLDINGS.c.kind == stage.c.kind, HOLDINGS.c.number == stage.c.number)
        updated = conn.execute(
            update(HOLDINGS).where(same_doc, or_(*(HOLDINGS.c[f].is_distinct_from(stage.c[f]) for f in fields)))
            .values({**{f: stage.c[f] for f in fields}, "updated_on": ctx.today})).rowcount
        today = literal(ctx.today, HOLDINGS.c.recorded_on.type)
        new = (select(stage.c.id_number, stage.c.name, stage.c.birth_date, stage.c.kind, stage.c.number,
                      stage.c.issued_on, stage.c.expires_on, stage.c.status, today, today)
               .where(stage.c.row_no.is_not(None)).order_by(stage.c.kind, stage.c.number))
        inserted = conn.execute(_insert(conn, HOLDINGS).from_select(
            ["id_number", "name", "birth_date", "kind", "number", "issued_on", "expires_on", "status", "recorded_on",
             "updated_on"], new).on_conflict_do_nothing()).rowcount
        return Counts(inserted, updated, rows - inserted - updated)


class CrossingImport(_PoliceFile):
    name = "police_crossings"
    columns = CROSSING_COLUMNS
    target = CROSSINGS
    staged = ("id_number", "document_kind", "document_number", "direction", "crossed_on", "port", "destination")
    KEY = ("id_number", "crossed_on", "direction", "document_kind", "document_number")

    def check_row(self, row: int, record: Record, ctx: Context) -> None:
        super().check_row(row, record, ctx)
        why = in_future(record["crossed_on"], ctx.today)
        if why:
            self.report(ctx.problems, row, "crossed_on", record["crossed_on"], why)
        if record["document_kind"] == "resident_id":
            self.report(ctx.problems, row, "document_kind", record["document_kind"],
                        ("居民身份证不是出入境证件", "a resident ID card is not a travel document"))

    def check_file(self, conn: Connection, stage: Table, ctx: Context) -> None:
        _duplicates(self, conn, stage, ctx, self.KEY, "crossed_on", ("的出入境记录", "the same crossing"))

    def write(self, conn: Connection, stage: Table, ctx: Context) -> Counts:
        rows = conn.scalar(select(func.count()).select_from(stage))
        same = and_(*(CROSSINGS.c[k] == stage.c[k] for k in self.KEY))
        updated = conn.execute(
            update(CROSSINGS).where(same, or_(CROSSINGS.c.port != stage.c.port,
                                              CROSSINGS.c.destination.is_distinct_from(stage.c.destination)))
            .values(port=stage.c.port, destination=stage.c.destination)).rowcount
        new = (select(*(stage.c[c] for c in self.staged), literal(ctx.today, CROSSINGS.c.recorded_on.type))
               .where(stage.c.row_no.is_not(None)).order_by(stage.c.id_number, stage.c.crossed_on))
        inserted = conn.execute(_insert(conn, CROSSINGS).from_select([*self.staged, "recorded_on"], new)
                                .on_conflict_do_nothing()).rowcount
        return Counts(inserted, updated, rows - inserted - updated)
