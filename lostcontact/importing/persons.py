"""Importing the travel-documents registry's persons (PROGRAMMES.md §1; docs/travel-documents.md): one person
per resident ID number. A new person is recorded (unregistered, or registered on `registered_on` when the file
gives it); a person already recorded is updated, the history naming the fields that changed, and a person on
file whose org, unit, post or authority changed becomes `changed` (to be re-filed). Set-based, like the
roster import; all or nothing."""
from __future__ import annotations

from sqlalchemy import Column as SqlColumn, Connection, Integer, Table, and_, case, func, insert, literal, or_, select
from sqlalchemy import update

from models import Member, Org, Person, PersonEvent

from . import values
from .person_columns import PERSON_COLUMNS
from .kind import Context, Counts, Kind, Record, in_future
from .scope import OUTSIDE
from .staging import analyze, drop, row_number_column, temp_table

PERSONS, EVENTS, ORGS, MEMBERS = Person.__table__, PersonEvent.__table__, Org.__table__, Member.__table__

# what a re-import may change; those that must be re-filed with the exit-entry administration when they do
UPDATABLE = ("name", "former_names", "political_status", "work_unit", "post", "household_place", "authority",
             "person_type", "rank")
REFILED = ("work_unit", "post", "authority")
FIELD_LABELS = {"name": "姓名", "former_names": "曾用名", "political_status": "政治面貌", "work_unit": "工作单位",
                "post": "职务", "household_place": "户口所在地", "authority": "人事主管部门",
                "person_type": "登记备案人员类别", "rank": "职级", "org_id": "管理单位"}
IMPORTER = "import"


class PersonImport(Kind):
    name = "persons"
    columns = PERSON_COLUMNS
    target = PERSONS
    staged = ("id_number", "name", "org_code", "rank", "former_names", "political_status", "work_unit", "post",
              "household_place", "authority", "person_type", "registered_on", "sex", "birth_date")
    staging_types = {"org_code": ORGS.c.code.type, "registered_on": EVENTS.c.effective_on.type}

    def __init__(self) -> None:
        super().__init__()
        self.matched: Table | None = None
        self.registered_now: Table | None = None

    def check_row(self, row: int, record: Record, ctx: Context) -> None:
        super().check_row(row, record, ctx)
        number = record["id_number"]
        record["sex"] = "M" if int(number[16]) % 2 else "F"
        record["birth_date"] = values.id_birth_date(number)
        registered_on = record.get("registered_on")
        why = in_future(registered_on, ctx.today)
        if why:
            self.report(ctx.problems, row, "registered_on", registered_on, why)
        if registered_on is not None and record.get("person_type") is None:
            self.report(ctx.problems, row, "registered_on", registered_on,
                        ("有备案日期但未填写登记备案人员类别", "a registration date without a registered-person type"))

    def check_file(self, conn: Connection, stage: Table, ctx: Context) -> None:
        problems = ctx.problems
        first = (select(stage.c.id_number, func.min(stage.c.row_no).label("first_row"))
                 .where(stage.c.id_number.is_not(None)).group_by(stage.c.id_number).having(func.count() > 1).subquery())
        for row, number, first_row in conn.execute(
                select(stage.c.row_no, stage.c.id_number, first.c.first_row)
                .join(first, first.c.id_number == stage.c.id_number).where(stage.c.row_no != first.c.first_row)):
            self.report(problems, row, "id_number", number, (f"与第{first_row}行的身份证号重复",
                                                             f"the same ID number as row {first_row}"))
        org = ctx.visible(ORGS, "org")
        bad_org: set[int] = set()
        for row, code in conn.execute(
                select(stage.c.row_no, stage.c.org_code)
                .select_from(stage.outerjoin(org, org.c.code == stage.c.org_code))
                .where(stage.c.org_code.is_not(None), org.c.id.is_(None))):
            self.report(problems, row, "org_code", code, ctx.unknown(("未知组织代码", "unknown org code")))
            bad_org.add(row)

        self.matched = temp_table(conn, "matched", [row_number_column(), SqlColumn("person_id", Integer)])
        conn.execute(insert(self.matched).from_select(
            ["row_no", "person_id"],
            select(stage.c.row_no, PERSONS.c.id).join(PERSONS, PERSONS.c.id_number == stage.c.id_number)))
        analyze(conn, self.matched)
        current = ORGS.alias("current_org")
        for row, number, path, status, last_on, registered_on in conn.execute(
                select(stage.c.row_no, stage.c.id_number, current.c.path, PERSONS.c.registration_status,
                       PERSONS.c.last_event_on, stage.c.registered_on)
                .select_from(self.matched.join(stage, stage.c.row_no == self.matched.c.row_no)
                             .join(PERSONS, PERSONS.c.id == self.matched.c.person_id)
                             .join(current, current.c.id == PERSONS.c.org_id))):
            if ctx.scope is not None and not ctx.scope.covers(path):
                # recorded outside the user's subtrees: refused in words that say neither where nor whether
                if row not in bad_org:
                    self.report(problems, row, "id_number", number, OUTSIDE)
                continue
            if registered_on is not None and status == "unregistered" and registered_on < last_on:
                self.report(problems, row, "registered_on", registered_on,
                            (f"早于该人员最近一次记录的日期 {last_on}",
                             f"before the person's latest recorded event ({last_on})"))

    def write(self, conn: Connection, stage: Table, ctx: Context) -> Counts:
        matched = self.matched
        fields = [n for n in UPDATABLE if n in ctx.present]
        org = ORGS.alias("org")
        existing = conn.scalar(select(func.count()).select_from(matched))
        # new persons on their recording day, then 备案 on the file's day, then today's changes: the history
        # of every person stays in date order
        inserted = self._insert_new(conn, stage, ctx, org)
        self._register(conn, stage, ctx)
        updated = self._update_existing(conn, stage, ctx, fields, org) if existing else 0
        # the roster's member with the same ID number, for every person of the file not yet linked
        conn.execute(update(PERSONS).where(PERSONS.c.member_id.is_(None), PERSONS.c.id_number.in_(
            select(stage.c.id_number))).values(member_id=select(MEMBERS.c.id).where(
                MEMBERS.c.id_number == PERSONS.c.id_number).scalar_subquery()))
        return Counts(inserted, updated, existing - updated)

    def _update_existing(self, conn, stage, ctx, fields, org) -> int:
        matched = self.matched
        pairs = [(PERSONS.c[n], stage.c[n]) for n in fields] + [(PERSONS.c.org_id, org.c.id)]
        changed = or_(*(old.is_distinct_from(new) for old, new in pairs))
        refiled = or_(*(PERSONS.c[n].is_distinct_from(stage.c[n]) for n in REFILED if n in fields),
                      PERSONS.c.org_id.is_distinct_from(org.c.id))
        # a person this file has just filed was filed with the file's values: nothing to re-file
        new_status = case((and_(PERSONS.c.registration_status == "registered", refiled,
                                PERSONS.c.id.not_in(select(self.registered_now.c.person_id))), "changed"),
                          else_=PERSONS.c.registration_status)
        which = literal("")
        for old, new in pairs:
            which = which.concat(case((old.is_distinct_from(new), FIELD_LABELS[old.name] + " "), else_=""))
        joined = (matched.join(stage, stage.c.row_no == matched.c.row_no)
                  .join(PERSONS, PERSONS.c.id == matched.c.person_id).join(org, org.c.code == stage.c.org_code))
        # the history first, while the old values are still there
        conn.execute(insert(EVENTS).from_select(
            ["person_id", "seq", "action", "from_status", "to_status", "person_type", "org_id", "rank", "note",
             "effective_on", "actor", "role", "recorded_at"],
            select(PERSONS.c.id, PERSONS.c.last_seq + 1, literal(IMPORTER), PERSONS.c.registration_status, new_status,
                   stage.c.person_type if "person_type" in fields else PERSONS.c.person_type, org.c.id,
                   stage.c.rank, literal(f"导入 {ctx.file_name[:200]}：").concat(func.rtrim(which)),
                   literal(ctx.today, EVENTS.c.effective_on.type), literal(ctx.actor), literal(IMPORTER),
                   literal(ctx.now, EVENTS.c.recorded_at.type))
            .select_from(joined).where(changed)))
        return conn.execute(
            update(PERSONS)
            .where(PERSONS.c.id == matched.c.person_id, stage.c.row_no == matched.c.row_no,
                   org.c.code == stage.c.org_code, changed)
            .values({**{n: stage.c[n] for n in fields}, "org_id": org.c.id, "registration_status": new_status,
                     "last_seq": PERSONS.c.last_seq + 1, "last_event_on": ctx.today,
                     "version": PERSONS.c.version + 1, "updated_at": ctx.now})).rowcount

    def _insert_new(self, conn, stage, ctx, org) -> int:
        matched = self.matched
        recorded_on = func.coalesce(stage.c.registered_on, literal(ctx.today, EVENTS.c.effective_on.type))
        new_rows = (select(stage.c.id_number, stage.c.name, stage.c.former_names, stage.c.sex, stage.c.birth_date,
                           stage.c.political_status, org.c.id, stage.c.work_unit, stage.c.post, stage.c.rank,
                           stage.c.household_place, stage.c.authority, stage.c.person_type,
                           literal("unregistered"), literal(1), recorded_on, literal(1),
                           literal(ctx.now, PERSONS.c.updated_at.type))
                    .select_from(stage.join(org, org.c.code == stage.c.org_code)
                                 .outerjoin(matched, matched.c.row_no == stage.c.row_no))
                    .where(matched.c.row_no.is_(None)).order_by(stage.c.id_number))
        inserted = conn.execute(insert(PERSONS).from_select(
            ["id_number", "name", "former_names", "sex", "birth_date", "political_status", "org_id", "work_unit",
             "post", "rank", "household_place", "authority", "person_type", "registration_status", "last_seq",
             "last_event_on", "version", "updated_at"], new_rows)).rowcount
        conn.execute(insert(EVENTS).from_select(
            ["person_id", "seq", "action", "from_status", "to_status", "person_type", "org_id", "rank", "note",
             "effective_on", "actor", "role", "recorded_at"],
            select(PERSONS.c.id, literal(1), literal(IMPORTER), literal(None), literal("unregistered"),
                   PERSONS.c.person_type, PERSONS.c.org_id, PERSONS.c.rank, literal(f"导入 {ctx.file_name[:200]}"),
                   PERSONS.c.last_event_on, literal(ctx.actor), literal(IMPORTER),
                   literal(ctx.now, EVENTS.c.recorded_at.type))
            .select_from(stage.outerjoin(matched, matched.c.row_no == stage.c.row_no)
                         .join(PERSONS, PERSONS.c.id_number == stage.c.id_number))
            .where(matched.c.row_no.is_(None))))
        return inserted

    def _register(self, conn, stage, ctx) -> None:
        """备案 on `registered_on` for every unregistered person of the file that has a type and the date."""
        self.registered_now = temp_table(conn, "registered_now", [SqlColumn("person_id", Integer, primary_key=True)])
        conn.execute(insert(self.registered_now).from_select(
            ["person_id"], select(PERSONS.c.id).join(stage, stage.c.id_number == PERSONS.c.id_number)
            .where(stage.c.registered_on.is_not(None), PERSONS.c.person_type.is_not(None),
                   PERSONS.c.registration_status == "unregistered")))
        due = select(self.registered_now.c.person_id)
        conn.execute(insert(EVENTS).from_select(
            ["person_id", "seq", "action", "from_status", "to_status", "person_type", "org_id", "rank", "note",
             "effective_on", "actor", "role", "recorded_at"],
            select(PERSONS.c.id, PERSONS.c.last_seq + 1, literal("register"), literal("unregistered"),
                   literal("registered"), PERSONS.c.person_type, PERSONS.c.org_id, PERSONS.c.rank,
                   literal(f"导入 {ctx.file_name[:200]}"), stage.c.registered_on, literal(ctx.actor),
                   literal(IMPORTER), literal(ctx.now, EVENTS.c.recorded_at.type))
            .join(stage, stage.c.id_number == PERSONS.c.id_number).where(PERSONS.c.id.in_(due))))
        conn.execute(update(PERSONS).where(PERSONS.c.id.in_(due))
                     .values(registration_status="registered", last_seq=PERSONS.c.last_seq + 1,
                             last_event_on=select(stage.c.registered_on)
                             .where(stage.c.id_number == PERSONS.c.id_number).scalar_subquery(),
                             version=PERSONS.c.version + 1))

    def cleanup(self, conn: Connection) -> None:
        for table in (self.matched, self.registered_now):
            if table is not None:
                drop(conn, table)
