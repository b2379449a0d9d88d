"""Importing the roster (INTERFACE.md "Import files", members): new members are inserted; a member
already recorded at the same branch is updated, each changed field going into their history
(member_changes); at another branch the row is bad (a transfer, not an import)."""
from __future__ import annotations

from sqlalchemy import Column as SqlColumn, Connection, Integer, String, Table, case, cast, false, func, insert
from sqlalchemy import literal, or_, select, update

from models import ContactEvent, Member, MemberChange, Org
from statemachines.codes import ORG_LEVELS

from ..services.alert_closing import close_member_alerts
from . import values
from .columns import MEMBER_COLUMNS
from .kind import Context, Counts, Kind, Record, in_future
from .scope import OUTSIDE
from ..sqlfuncs import latest_date
from .staging import analyze, drop, row_number_column, temp_table

MEMBERS = Member.__table__
ORGS = Org.__table__
CHANGES = MemberChange.__table__
EVENTS = ContactEvent.__table__

DATES = ("birth_date", "join_date", "probation_start", "away_since", "abroad_date", "transfer_out_date",
         "work_start_date", "return_date")
FLAGS = ("mobile", "reported", "abroad", "receipt_returned")
DERIVED_FROM_ID = frozenset(("birth_date", "sex"))  # filled in from the ID number when the file lacks them


class MemberImport(Kind):
    name = "members"
    columns = MEMBER_COLUMNS
    target = MEMBERS
    staged = ("id_number", "name", "sex", "ethnicity", "birth_date", "join_date", "standing", "probation_start",
              "phone", "branch_code", "occupation", "mobile", "flow_direction", "flow_reason", "flow_card_no",
              "receiving_unit", "away_since", "reported", "abroad", "abroad_reason", "abroad_date",
              "transfer_out_date", "receipt_returned", "receiving_org", "marital_status", "work_start_date",
              "education", "degree", "school", "party_post", "abroad_contact", "membership_handling", "return_date",
              "life_resumption", "family")
    staging_types = {"branch_code": ORGS.c.code.type}

    def __init__(self) -> None:
        super().__init__()
        self.matched: Table | None = None

    # --- one row ------------------------------------------------------------------------------------------

    def check_row(self, row: int, record: Record, ctx: Context) -> None:
        super().check_row(row, record, ctx)
        problems, today = ctx.problems, ctx.today
        id_number = record["id_number"]
        from_id = values.id_birth_date(id_number)
        birth = record.get("birth_date")
        if birth is None:
            record["birth_date"] = birth = from_id
        elif (birth.year, birth.month) != (from_id.year, from_id.month) or birth.day not in (1, from_id.day):
            self.report(problems, row, "birth_date", birth,
                        (f"与身份证号中的出生日期（{from_id}）不符",
                         f"does not match the birth date in the ID number ({from_id})"))
        sex_from_id = "M" if int(id_number[16]) % 2 else "F"
        sex = record.get("sex")
        if sex is None:
            record["sex"] = sex_from_id
        elif sex != sex_from_id:
            self.report(problems, row, "sex", "男" if sex == "M" else "女",
                        ("与身份证号中的性别不符", "does not match the sex encoded in the ID number"))
        for name in DATES:
            why = in_future(record.get(name), today)
            if why:
                self.report(problems, row, name, record[name], why)
        if record["join_date"] <= birth:
            self.report(problems, row, "join_date", record["join_date"],
                        (f"入党时间不晚于出生日期（{birth}）", f"the join date is not after the birth date ({birth})"))
        back, left = record.get("return_date"), record.get("abroad_date")
        if back is not None and left is not None and back < left:
            self.report(problems, row, "return_date", back, (f"回国日期早于出国日期（{left}）",
                                                             f"the return date is before the departure date ({left})"))
        if record["standing"] == "probationary" and record.get("probation_start") is None:
            self.report(problems, row, "probation_start", None,
                        ("预备党员必须填写预备期开始日期", "a probationary member needs a probation_start date"))
        for flag in FLAGS:
            if flag in ctx.present and record.get(flag) is None:
                record[flag] = False  # an empty cell in a yes/no column is 否

    # --- the whole file, in SQL ---------------------------------------------------------------------------

    def check_file(self, conn: Connection, stage: Table, ctx: Context) -> None:
        problems = ctx.problems
        first = (select(stage.c.id_number, func.min(stage.c.row_no).label("first_row"))
                 .where(stage.c.id_number.is_not(None))
                 .group_by(stage.c.id_number).having(func.count() > 1).subquery())
        for row, id_number, first_row in conn.execute(
                select(stage.c.row_no, stage.c.id_number, first.c.first_row)
                .join(first, first.c.id_number == stage.c.id_number)
                .where(stage.c.row_no != first.c.first_row)):
            self.report(problems, row, "id_number", id_number, (f"与第{first_row}行的身份证号重复",
                                                                f"the same ID number as row {first_row}"))

        branch = ctx.visible(ORGS, "branch")
        bad_branch: set[int] = set()
        for row, code, level in conn.execute(
                select(stage.c.row_no, stage.c.branch_code, branch.c.level)
                .select_from(stage.outerjoin(branch, branch.c.code == stage.c.branch_code))
                .where(stage.c.branch_code.is_not(None), or_(branch.c.id.is_(None), branch.c.level != "branch"))):
            why = (ctx.unknown(("未知党支部代码", "unknown branch code")) if level is None else
                   (f"该组织不是党支部（层级为{ORG_LEVELS.get(level, level)}）", f"this org is not a branch (its level is {level})"))
            self.report(problems, row, "branch_code", code, why)
            bad_branch.add(row)

        # The members already recorded, found once: the checks and every write below use this table.
        self.matched = temp_table(conn, "matched", [row_number_column(), SqlColumn("member_id", Integer),
                                                    SqlColumn("branch_id", Integer)])
        conn.execute(insert(self.matched).from_select(
            ["row_no", "member_id", "branch_id"],
            select(stage.c.row_no, MEMBERS.c.id, MEMBERS.c.branch_id)
            .join(MEMBERS, MEMBERS.c.id_number == stage.c.id_number)))
        analyze(conn, self.matched)
        current = ORGS.alias("current_branch")
        for row, id_number, code, path in conn.execute(
                select(stage.c.row_no, stage.c.id_number, current.c.code, current.c.path)
                .select_from(self.matched.join(stage, stage.c.row_no == self.matched.c.row_no)
                             .join(current, current.c.id == self.matched.c.branch_id))
                .where(current.c.code != stage.c.branch_code)):
            if ctx.scope is not None and not ctx.scope.covers(path):
                # An ID number recorded outside the user's subtrees cannot be added again: the row is
                # refused, in words that say neither where nor whether; not at all when its branch
                # already made it bad (a second reason would tell that the number exists).
                if row not in bad_branch:
                    self.report(problems, row, "id_number", id_number, OUTSIDE)
                continue
            self.report(problems, row, "id_number", id_number,
                        (f"该党员已在另一党支部（{code}）登记，请办理组织关系转接而非导入",
                         f"this member is recorded at another branch ({code}): transfer them instead of importing"))

    # --- writes -------------------------------------------------------------------------------------------

    def write(self, conn: Connection, stage: Table, ctx: Context) -> Counts:
        matched = self.matched
        fields = [n for n in self.staged
                  if n not in ("id_number", "branch_code") and (n in ctx.present or n in DERIVED_FROM_ID)]
        source = f"import:{ctx.file_name}"[: CHANGES.c.source.type.length]
        existing = conn.scalar(select(func.count()).select_from(matched))

        # History first, while the old values are still there: one INSERT … SELECT per field.
        for name in fields:
            old, new = MEMBERS.c[name], stage.c[name]
            conn.execute(insert(CHANGES).from_select(
                ["member_id", "field", "old_value", "new_value", "source", "effective_on", "recorded_at"],
                select(matched.c.member_id, literal(name), _as_text(old), _as_text(new), literal(source),
                       literal(ctx.today, CHANGES.c.effective_on.type), literal(ctx.now, CHANGES.c.recorded_at.type))
                .select_from(matched.join(stage, stage.c.row_no == matched.c.row_no)
                             .join(MEMBERS, MEMBERS.c.id == matched.c.member_id))
                .where(old.is_distinct_from(new))))

        updated = 0
        if existing:
            changed = or_(*(MEMBERS.c[n].is_distinct_from(stage.c[n]) for n in fields))
            updated = conn.execute(
                update(MEMBERS)
                .where(MEMBERS.c.id == matched.c.member_id, stage.c.row_no == matched.c.row_no, changed)
                .values({**{n: stage.c[n] for n in fields}, "updated_at": ctx.now,
                         "last_contact_on": _last_contact_after(stage)})).rowcount

        new_members = (select(*(_new_value(stage, n) for n in self.staged if n != "branch_code"),
                              ORGS.c.id, stage.c.join_date, literal(ctx.now, MEMBERS.c.updated_at.type))
                       .select_from(stage.join(ORGS, ORGS.c.code == stage.c.branch_code)
                                    .outerjoin(matched, matched.c.row_no == stage.c.row_no))
                       .where(matched.c.row_no.is_(None))
                       .order_by(stage.c.id_number))  # the unique index's order: each page filled once
        inserted = conn.execute(insert(MEMBERS).from_select(
            [n for n in self.staged if n != "branch_code"] + ["branch_id", "last_contact_on", "updated_at"],
            new_members)).rowcount
        if updated:  # a report (是否已报告), a member no longer away, a corrected join date: their warnings end today
            close_member_alerts(conn, ctx.today, ctx.policy, members=select(
                matched.c.member_id, literal(ctx.today, CHANGES.c.effective_on.type).label("closed_on")))
        return Counts(inserted, updated, existing - updated)

    def cleanup(self, conn: Connection) -> None:
        if self.matched is not None:
            drop(conn, self.matched)


def _new_value(stage: Table, name: str):
    """A new member's value; a yes/no column the file lacks is 否."""
    if name in FLAGS:
        return func.coalesce(stage.c[name], false())
    return stage.c[name]


def _as_text(column):
    """A value as the history records it: dates YYYY-MM-DD, flags true/false, numbers as digits."""
    if column.name in FLAGS:
        return case((column.is_(None), None), (column, "true"), else_="false")
    return cast(column, String)


def _last_contact_after(stage: Table):
    """The last contact date after the update (DOMAIN.md §6.3): unchanged unless the join date was
    corrected, then the latest of the new join date, the contact events and any later contact the old
    date held (a reached search or an active closing)."""
    old_join, new_join, kept = MEMBERS.c.join_date, stage.c.join_date, MEMBERS.c.last_contact_on
    latest_event = (select(func.max(EVENTS.c.on_date)).where(EVENTS.c.member_id == MEMBERS.c.id)
                    .scalar_subquery())
    return case(
        (old_join.is_distinct_from(new_join),
         latest_date(new_join, case((kept > old_join, kept), else_=new_join), func.coalesce(latest_event, new_join))),
        else_=kept)

