"""Importing contact events (organisational life, dues, other). An identical event already recorded is
left as it is; each member's last contact date is raised in one set-based UPDATE from the file's latest
event per member, never member by member, and the warnings the contacts end close in the same transaction."""
from __future__ import annotations

from sqlalchemy import Column as SqlColumn, Connection, Date, Integer, Table, Text, and_, func, insert, literal, null
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from models import ContactEvent, Member, Org

from ..services.alert_closing import close_member_alerts
from . import values
from .columns import CONTACT_COLUMNS
from .kind import Context, Counts, Kind, in_future
from .staging import analyze, drop, temp_table

MEMBERS = Member.__table__
EVENTS = ContactEvent.__table__
ORGS = Org.__table__


class ContactImport(Kind):
    name = "contacts"
    columns = CONTACT_COLUMNS
    target = EVENTS
    staged = ("id_number", "date", "kind")
    staging_types = {"id_number": MEMBERS.c.id_number.type, "date": EVENTS.c.on_date.type}

    def __init__(self) -> None:
        super().__init__()
        self.per_member: Table | None = None

    def check_file(self, conn: Connection, stage: Table, ctx: Context) -> None:
        # One row per ID number in the file (its first and last dates) with its member, if any: every
        # check and the last-contact update read this, so members are looked up once per person, not
        # once per event.
        self.per_member = per_member = temp_table(conn, "per_member", [
            SqlColumn("id_number", Text), SqlColumn("first_date", Date),
            SqlColumn("last_date", Date), SqlColumn("member_id", Integer), SqlColumn("join_date", Date)])
        dates = (select(stage.c.id_number, func.min(stage.c.date).label("first_date"),
                        func.max(stage.c.date).label("last_date"))
                 .where(stage.c.id_number.is_not(None), stage.c.date.is_not(None))
                 .group_by(stage.c.id_number).subquery())
        conn.execute(insert(per_member).from_select(
            ["id_number", "first_date", "last_date", "member_id", "join_date"],
            select(dates.c.id_number, dates.c.first_date, dates.c.last_date, MEMBERS.c.id, MEMBERS.c.join_date)
            .select_from(dates.outerjoin(MEMBERS, self._member_of_scope(dates.c.id_number, ctx)))
            # in members' own order, so the update below walks the members table once, page by page
            .order_by(MEMBERS.c.id)))
        analyze(conn, per_member)

        # Dates in the future are found here too, rather than row by row: five million rows.
        bad = (select(per_member).where(or_(per_member.c.member_id.is_(None),
                                            per_member.c.first_date < per_member.c.join_date,
                                            per_member.c.last_date > ctx.today)).subquery())
        if conn.scalar(select(func.count()).select_from(bad)) == 0:
            return
        for row, id_number, on_date, member_id, join_date in conn.execute(
                select(stage.c.row_no, stage.c.id_number, stage.c.date, bad.c.member_id, bad.c.join_date)
                .join(bad, bad.c.id_number == stage.c.id_number)
                .where(or_(bad.c.member_id.is_(None), stage.c.date < bad.c.join_date, stage.c.date > ctx.today))):
            if on_date is not None and on_date > ctx.today:
                self.report(ctx.problems, row, "date", on_date, in_future(on_date, ctx.today))
            elif member_id is None:
                why = values.id_number_problem(id_number) or ctx.unknown(
                    ("没有此身份证号的党员（请先导入党员名册）", "no member has this ID number (import the roster first)"))
                self.report(ctx.problems, row, "id_number", id_number, why)
            else:
                self.report(ctx.problems, row, "date", on_date, (f"早于该党员的入党时间（{join_date}）",
                                                                 f"before the member's join date ({join_date})"))

    @staticmethod
    def _member_of_scope(id_number, ctx: Context):
        """The member with this ID number; in a scoped import only one of the user's subtrees (a member
        outside them is not found, exactly like one who does not exist)."""
        found = MEMBERS.c.id_number == id_number
        if ctx.scope is None:
            return found
        return and_(found, MEMBERS.c.branch_id.in_(select(ORGS.c.id).where(ctx.scope.sql(ORGS.c.path))))

    def write(self, conn: Connection, stage: Table, ctx: Context) -> Counts:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        per_member = self.per_member
        rows = conn.scalar(select(func.count()).select_from(stage))
        events = (select(MEMBERS.c.id, stage.c.date, stage.c.kind, literal("import"), null(),
                         literal(ctx.now, EVENTS.c.recorded_at.type))
                  .select_from(stage.join(MEMBERS, MEMBERS.c.id_number == stage.c.id_number))
                  .where(MEMBERS.c.id.is_not(None))  # a WHERE keeps SQLite's INSERT … SELECT … ON CONFLICT unambiguous
                  # In the order of the events' indexes: each index page is then filled once, not
                  # revisited at random five million times.
                  .order_by(MEMBERS.c.id, stage.c.date))
        inserted = conn.execute(dialect.insert(EVENTS).from_select(
            ["member_id", "on_date", "kind", "source", "actor", "recorded_at"], events)
            .on_conflict_do_nothing()).rowcount
        conn.execute(update(MEMBERS)
                     .where(MEMBERS.c.id == per_member.c.member_id, MEMBERS.c.last_contact_on < per_member.c.last_date)
                     .values(last_contact_on=per_member.c.last_date))
        # The warnings these contacts end close now, as for a contact recorded by hand: each on the day of
        # the member's latest contact in the file (the one their last contact date now holds).
        close_member_alerts(conn, ctx.today, ctx.policy, members=select(
            per_member.c.member_id, per_member.c.last_date.label("closed_on"))
            .where(per_member.c.member_id.is_not(None)))
        return Counts(inserted, 0, rows - inserted)

    def cleanup(self, conn: Connection) -> None:
        if self.per_member is not None:
            drop(conn, self.per_member)
