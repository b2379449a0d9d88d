"""Importing the organisation tree. Parents may come later in the file than their children: rows are
inserted level by level (each level one INSERT … SELECT of the rows whose parent now exists), then each
new org's materialised path is parent.path + "<id>/" as in services/orgs.py. Rows left over are a cycle.
An org already recorded keeps its place in the tree; its name, level and type may change."""
from __future__ import annotations

from sqlalchemy import Connection, String, Table, cast, exists, false, func, insert, literal, null, or_, select, update

from models import Member, Org

from .columns import ORG_COLUMNS
from .kind import Context, Counts, Kind, Record
from .scope import OUTSIDE

ORGS = Org.__table__
MEMBERS = Member.__table__


class OrgImport(Kind):
    name = "orgs"
    columns = ORG_COLUMNS
    target = ORGS
    staged = ("code", "name", "parent_code", "level", "org_type")
    staging_types = {"parent_code": ORGS.c.code.type}
    indexed = ("code",)

    def check_row(self, row: int, record: Record, ctx: Context) -> None:
        super().check_row(row, record, ctx)
        if record.get("parent_code") == record["code"]:
            self.report(ctx.problems, row, "parent_code", record["code"],
                        ("上级组织不能是其自身", "an org cannot be its own parent"))

    def check_file(self, conn: Connection, stage: Table, ctx: Context) -> None:
        report = self.report
        problems = ctx.problems
        s = stage
        first = (select(s.c.code, func.min(s.c.row_no).label("first_row")).where(s.c.code.is_not(None))
                 .group_by(s.c.code).having(func.count() > 1).subquery())
        for row, code, first_row in conn.execute(select(s.c.row_no, s.c.code, first.c.first_row)
                                                 .join(first, first.c.code == s.c.code)
                                                 .where(s.c.row_no != first.c.first_row)):
            report(problems, row, "code", code, (f"与第{first_row}行的组织代码重复", f"the same code as row {first_row}"))

        in_file, in_db = s.alias("in_file"), ctx.visible(ORGS, "in_db")
        if ctx.scope is not None:
            self._check_scope(conn, s, ctx)
        for row, code in conn.execute(
                select(s.c.row_no, s.c.parent_code).where(
                    s.c.parent_code.is_not(None),
                    ~exists().where(in_file.c.code == s.c.parent_code),
                    ~exists().where(in_db.c.code == s.c.parent_code),
                    ~self._keeps_its_recorded_parent(s, ctx))):
            report(problems, row, "parent_code", code,
                   ctx.unknown(("上级组织代码在数据库和本文件中都不存在",
                                "the parent code is neither in the database nor in this file")))

        for row, code in conn.execute(
                select(s.c.row_no, s.c.parent_code).distinct()
                .select_from(s.outerjoin(in_file, in_file.c.code == s.c.parent_code)
                             .outerjoin(in_db, in_db.c.code == s.c.parent_code))
                .where(func.coalesce(in_file.c.level, in_db.c.level) == "branch")):
            report(problems, row, "parent_code", code, ("上级组织是党支部，党支部不能有下级组织",
                                                         "the parent is a branch, and a branch has no child orgs"))

        recorded, its_parent = ctx.visible(ORGS, "recorded"), ORGS.alias("its_parent")
        for row, code, parent_code, parent_path in conn.execute(
                select(s.c.row_no, s.c.parent_code, its_parent.c.code, its_parent.c.path)
                .select_from(s.join(recorded, recorded.c.code == s.c.code)
                             .outerjoin(its_parent, its_parent.c.id == recorded.c.parent_id))
                .where(func.coalesce(its_parent.c.code, "") != func.coalesce(s.c.parent_code, ""))):
            if parent_code is None or ctx.scope is None or ctx.scope.covers(parent_path):
                why = (f"该组织已登记在上级 {parent_code or '（无）'} 之下，导入不能移动组织",
                       f"this org is recorded under {parent_code or '(none)'}: an import cannot move an org")
            else:  # (the parent of the user's own top org lies outside: not named)
                why = ("该组织已登记在另一上级组织之下，导入不能移动组织",
                       "this org is recorded under another parent: an import cannot move an org")
            report(problems, row, "parent_code", code, why)

        for row, level, has_members in conn.execute(
                select(s.c.row_no, s.c.level, exists().where(MEMBERS.c.branch_id == recorded.c.id))
                .select_from(s.join(recorded, recorded.c.code == s.c.code))
                .where(or_(
                    (recorded.c.level == "branch") & (s.c.level != "branch")
                    & exists().where(MEMBERS.c.branch_id == recorded.c.id),
                    (s.c.level == "branch") & exists().where(ORGS.c.parent_id == recorded.c.id)))):
            report(problems, row, "level", level,
                   ("该党支部已有党员，不能改为其他层级", "this branch has members: its level cannot change")
                   if has_members else
                   ("该组织已有下级组织，不能改为党支部", "this org has child orgs: it cannot become a branch"))

    def _check_scope(self, conn: Connection, s: Table, ctx: Context) -> None:
        """A scoped import adds and updates orgs inside the user's subtrees only. A row without a parent
        names a new root or an org outside: bad on its parent, like a row whose parent is outside or
        unknown (checked below with the other parents). A row naming an org recorded outside under a
        parent the user may name is bad on its code. Each such row gets exactly one reason, the same
        whether the org exists or not, wherever it can."""
        outside, visible, in_file = ORGS.alias("outside"), ctx.visible(ORGS, "visible"), s.alias("parent_in_file")
        for row, code in conn.execute(
                select(s.c.row_no, s.c.code).join(outside, outside.c.code == s.c.code)
                .where(~ctx.scope.sql(outside.c.path), s.c.parent_code.is_not(None),
                       or_(exists().where(visible.c.code == s.c.parent_code),
                           exists().where(in_file.c.code == s.c.parent_code)))):
            self.report(ctx.problems, row, "code", code, OUTSIDE)
        for (row,) in conn.execute(
                select(s.c.row_no).where(s.c.parent_code.is_(None), s.c.code.is_not(None),
                                         ~exists().where(visible.c.code == s.c.code))):
            self.report(ctx.problems, row, "parent_code", None, OUTSIDE)

    @staticmethod
    def _keeps_its_recorded_parent(s: Table, ctx: Context):
        """The row names an org of the user's subtrees under the parent it is recorded under: the top org
        of a subtree keeps its parent (outside the subtree) when a user re-imports it."""
        if ctx.scope is None:
            return false()
        kept, parent = ORGS.alias("kept"), ORGS.alias("kept_parent")
        return exists().where(kept.c.code == s.c.code, ctx.scope.sql(kept.c.path),
                              parent.c.id == kept.c.parent_id, parent.c.code == s.c.parent_code)

    def write(self, conn: Connection, stage: Table, ctx: Context) -> Counts:
        s = stage
        existing = conn.scalar(select(func.count()).select_from(s.join(ORGS, ORGS.c.code == s.c.code)))
        fields = [n for n in ("name", "level", "org_type") if n in ctx.present]
        updated = conn.execute(
            update(ORGS).where(ORGS.c.code == s.c.code, or_(*(ORGS.c[n].is_distinct_from(s.c[n]) for n in fields)))
            .values({n: s.c[n] for n in fields})).rowcount

        new = ~exists().where(ORGS.c.code == s.c.code)
        parent = ORGS.alias("parent")
        columns = ["code", "name", "level", "org_type", "parent_id", "path", "depth"]
        inserted = conn.execute(insert(ORGS).from_select(columns, select(
            s.c.code, s.c.name, s.c.level, s.c.org_type, null(), literal(""), literal(0))
            .where(s.c.parent_code.is_(None), new))).rowcount
        while True:
            self._set_paths(conn)
            level_inserted = conn.execute(insert(ORGS).from_select(columns, select(
                s.c.code, s.c.name, s.c.level, s.c.org_type, parent.c.id, literal(""), parent.c.depth + 1)
                .join(parent, parent.c.code == s.c.parent_code).where(new))).rowcount
            if not level_inserted:
                break
            inserted += level_inserted
        for row, code, parent_code in conn.execute(select(s.c.row_no, s.c.code, s.c.parent_code).where(new)):
            self.report(ctx.problems, row, "parent_code", parent_code,
                        ("上下级关系成环（沿上级组织代码向上永远到不了根组织）",
                         "the parent codes form a cycle (following them never reaches a root org)"))
        return Counts(inserted, updated, existing - updated)

    @staticmethod
    def _set_paths(conn: Connection) -> None:
        parent = ORGS.alias("parent")
        parent_path = select(parent.c.path).where(parent.c.id == ORGS.c.parent_id).scalar_subquery()
        conn.execute(update(ORGS).where(ORGS.c.path == "")
                     .values(path=func.coalesce(parent_path, "/") + cast(ORGS.c.id, String) + "/"))
