"""The automatic checks (PROGRAMMES.md §4) as set-based SQL as of a day: each kind is ONE SELECT of
(person_id, subject, org_id, evidence) over indexed columns, and the runner turns each into one
INSERT … SELECT of the problems not yet found (unique per person, kind and subject: a check run again, on the
same day or a later one, finds nothing twice), then one INSERT … SELECT of their `find` history records.
Never a loop over persons.

A check is a function of `Scope` (the day, the policy, the persons of the run's subtrees as they stood that
day) returning its SELECT (and, optionally, `self_corrected`: declared and corrected in a self-report); `CHECKS`
lists them in the order they run. M1, P2, P1 are here; the trip checks P4, P5, P7 in trip_checks.py, the
self-report checks P3, P6 in report_checks.py. The daily sweep calls `run_checks_in` as the system.

Readings of PROGRAMMES.md §4 (docs/travel-documents.md#checks has them in full, with P3–P7):

- M1 一人多证: a person on file whose name and birth date the administration has on a valid document under
  another ID number (subject `id:<that number>`); or whose valid private documents of one kind carry
  different names (subject `names:<kind>`).
- P2 违规持有: a valid private document of a person on file not in custody past its hand-in day (the policy's
  working days after registration or issue) — a registry document still held, or a document the
  administration holds that the registry never recorded (subject `doc:<kind>:<number>`); or a checked-out one
  not back by its return day, counted from the administration's entry when the unit has not recorded the
  return yet (subject `doc:<kind>:<number>:return:<day>`).
- P1 违规办理: a private document the administration issued to a person on a day they were on file, which
  the organisation has no custody record of, and no approved trip (applied for by the issue day, to travel on
  a document of that kind) explains."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Callable

from sqlalchemy import (Column, Date, Integer, MetaData, Select, String, Table, Text, and_, case, cast, exists, func,
                        insert, literal, not_, select, union_all)

from models import Org, Person, PoliceCrossing, PoliceHolding, Problem, ProblemEvent, TravelDocument, Trip
from models.db import Database
from statemachines.errors import Refused
from statemachines.travel import custody
from statemachines.travel.codes import AUTOMATIC_CHECKS, PRIVATE_KINDS, PROBLEM_KINDS
from statemachines.travel.trips import APPROVED_STATES

from ...importing.staging import analyze, bulk_settings, create_temporary
from ...permissions import OPERATOR, Actor, load_actor, scope_filter
from ...policies import policy_as_of
from ...uow import UnitOfWork
from ..dates import check_as_of
from . import report_checks, trip_checks
from .check_sql import (Scope, day_text, doc_subject, kind_label, masked_document, masked_id, on_file_on, plus_days,
                        text, valid_holding)
from .history import documents_as_of, outside_custody, overdue, persons_as_of, registered_on
from .self_report_lines import document_self_corrected

_persons, _orgs, _docs = Person.__table__, Org.__table__, TravelDocument.__table__
_holdings, _problems, _events = PoliceHolding.__table__, Problem.__table__, ProblemEvent.__table__
_crossings, _trips = PoliceCrossing.__table__, Trip.__table__
RUNNERS = ("cadre_supervisor",)   # PROGRAMMES.md §8: the cadre supervisor runs the checks


# ---- the checks ---------------------------------------------------------------------------------------

def check_m1(scope: Scope) -> Select:
    p, h, day = scope.persons, _holdings, scope.day
    other_identity = (
        select(p.c.person_id, text("id:", h.c.id_number).label("subject"), p.c.org_id,
               text("公安出入境管理部门记录另一身份证号 ", masked_id(h.c.id_number), " 下同名（", p.c.name, "）、同出生日期（",
                     day_text(p.c.birth_date), "）的有效证件 ", cast(func.count(), String), " 件").label("evidence"))
        .join(h, and_(h.c.name == p.c.name, h.c.birth_date == p.c.birth_date, h.c.id_number != p.c.id_number))
        .where(scope.on_file, valid_holding(h, day))
        .group_by(p.c.person_id, p.c.org_id, p.c.name, p.c.birth_date, h.c.id_number))
    d = documents_as_of(day)
    held = union_all(
        select(_docs.c.person_id, _docs.c.kind, _docs.c.number, _docs.c.name_on_document.label("name"))
        .join(d, d.c.document_id == _docs.c.id)
        .where(_docs.c.kind.in_(PRIVATE_KINDS), _docs.c.issued_on <= day, _docs.c.expires_on >= day,
               d.c.state.not_in(custody.GONE), _docs.c.name_on_document.is_not(None)),
        select(p.c.person_id, _holdings.c.kind, _holdings.c.number, _holdings.c.name)
        .join(_holdings, _holdings.c.id_number == p.c.id_number)
        .where(_holdings.c.kind.in_(PRIVATE_KINDS), valid_holding(_holdings, day))).subquery("held")
    names = (select(held.c.person_id, held.c.kind, func.count(func.distinct(held.c.number)).label("documents"),
                    func.count(func.distinct(held.c.name)).label("names"))
             .group_by(held.c.person_id, held.c.kind).having(func.count(func.distinct(held.c.name)) > 1)
             .subquery("names"))
    several_names = (
        select(p.c.person_id, text("names:", names.c.kind).label("subject"), p.c.org_id,
               text("同一身份证号下有效的", kind_label(names.c.kind), " ", cast(names.c.documents, String),
                     " 件，登记在 ", cast(names.c.names, String), " 个不同姓名下").label("evidence"))
        .join(names, names.c.person_id == p.c.person_id).where(scope.on_file))
    return union_all(other_identity, several_names)


def check_p2(scope: Scope) -> Select:
    day, p = scope.day, scope.persons
    bound = custody.latest_start_overdue(day, scope.policy)
    gaps = outside_custody(day, on_file=select(p).where(scope.on_file).subquery("on_file")).subquery("outside_custody")
    in_scope = (_docs, _docs.c.id == gaps.c.id)
    corrected = document_self_corrected(p.c.person_id, gaps.c.kind, gaps.c.number, day)
    held = (select(p.c.person_id, doc_subject(gaps.c.kind, gaps.c.number).label("subject"), p.c.org_id,
                   text(kind_label(gaps.c.kind), " ", masked_document(gaps.c.number), "（签发于 ", day_text(gaps.c.issued_on),
                        "，备案于 ", day_text(gaps.c.registered_on), "）超过交存期限（",
                        str(scope.policy.hand_in_working_days), "个工作日）仍由本人持有，未交组织集中保管（截至 ",
                        day.isoformat(), "）").label("evidence"), _flag(corrected).label("self_corrected"))
            .select_from(gaps.join(*in_scope).join(p, p.c.person_id == _docs.c.person_id))
            .where(gaps.c.state == "held", gaps.c.registered_on.is_not(None), overdue(gaps, day, scope.policy)))
    # back from the trip: the administration's first entry since the checkout counts the return day when it
    # comes before the custody record's (the unit has not recorded the return yet); once it records the same
    # entry (custody trip_end) the two days agree, so the subject stays the same
    back_on = (select(func.min(_crossings.c.crossed_on))
               .where(_crossings.c.id_number == p.c.id_number, _crossings.c.direction == "entry",
                      _crossings.c.crossed_on >= gaps.c.state_since, _crossings.c.crossed_on <= day)
               .scalar_subquery())
    back_due = plus_days(back_on, literal(scope.policy.return_days))
    due = case((back_due < gaps.c.return_due_on, back_due), else_=gaps.c.return_due_on)
    not_back = (select(p.c.person_id, text("doc:", gaps.c.kind, ":", gaps.c.number, ":return:",
                                           day_text(due)).label("subject"), p.c.org_id,
                       text(kind_label(gaps.c.kind), " ", masked_document(gaps.c.number), " 于 ",
                            day_text(gaps.c.state_since), " 领用（", func.coalesce(gaps.c.trip_ref, ""), "），",
                            func.coalesce(text("公安出入境管理部门记录其于 ", day_text(back_on), " 入境，"), ""), "应于 ",
                            day_text(due), " 前交回，截至 ", day.isoformat(), " 未交回").label("evidence"),
                       _flag(corrected).label("self_corrected"))
                .select_from(gaps.join(*in_scope).join(p, p.c.person_id == _docs.c.person_id))
                .where(gaps.c.state == "checked_out", due < day))
    h = _holdings
    filed_on = registered_on(p.c.person_id, day)
    h_start = case((filed_on > h.c.issued_on, filed_on), else_=h.c.issued_on)
    unrecorded = (select(p.c.person_id, doc_subject(h.c.kind, h.c.number).label("subject"), p.c.org_id,
                         text("公安出入境管理部门登记其持有", kind_label(h.c.kind), " ", masked_document(h.c.number),
                              "（签发于 ", day_text(h.c.issued_on), "，有效期至 ", day_text(h.c.expires_on),
                              "），组织未登记、未集中保管，已超过交存期限（截至 ", day.isoformat(), "）").label("evidence"),
                         _flag(document_self_corrected(p.c.person_id, h.c.kind, h.c.number, day))
                         .label("self_corrected"))
                  .join(h, h.c.id_number == p.c.id_number)
                  # the cheap, selective conditions first: the filing day is a correlated read per row left
                  .where(scope.on_file, h.c.kind.in_(PRIVATE_KINDS), valid_holding(h, day), _unrecorded(h),
                         filed_on.is_not(None), h_start <= bound))
    return union_all(held, not_back, unrecorded)


def check_p1(scope: Scope) -> Select:
    p, h = scope.persons, _holdings
    trip_docs = TravelDocument.__table__.alias("trip_document")
    # the organisation knew of the application: an approved trip applied for by the issue day, still ahead
    # then, to travel on a document of that kind (the person renewed it for the trip)
    approved_for = exists().where(_trips.c.person_id == p.c.person_id, _trips.c.state.in_(APPROVED_STATES),
                                  _trips.c.applied_on <= h.c.issued_on, _trips.c.planned_return >= h.c.issued_on,
                                  trip_docs.c.id == _trips.c.document_id, trip_docs.c.kind == h.c.kind)
    return (select(p.c.person_id, doc_subject(h.c.kind, h.c.number).label("subject"), p.c.org_id,
                   text(kind_label(h.c.kind), " ", masked_document(h.c.number), " 签发于 ", day_text(h.c.issued_on),
                        "，其时本人为登记备案人员；组织人事部门没有该证件的审批、保管记录，也没有需要办理该证件的已批准出行申请"
                        "（公安出入境管理部门记录）").label("evidence"),
                   _flag(document_self_corrected(p.c.person_id, h.c.kind, h.c.number, scope.day)).label("self_corrected"))
            .join(h, h.c.id_number == p.c.id_number)
            .where(h.c.kind.in_(PRIVATE_KINDS), h.c.issued_on <= scope.day, _unrecorded(h), not_(approved_for),
                   on_file_on(p.c.person_id, h.c.issued_on)))


def _flag(condition):
    return case((condition, True), else_=False)


def _unrecorded(h):
    """The registry has no record of the administration's document (no custody record of any kind)."""
    return not_(exists().where(_docs.c.kind == h.c.kind, _docs.c.number == h.c.number))


_CHECK_OF: dict[str, Callable[[Scope], Select]] = {
    "M1": check_m1, "P2": check_p2, "P1": check_p1,
    "P3": report_checks.check_p3, "P4": trip_checks.check_p4, "P5": trip_checks.check_p5,
    "P6": report_checks.check_p6, "P7": trip_checks.check_p7}
CHECKS: dict[str, Callable[[Scope], Select]] = {kind: _CHECK_OF[kind] for kind in AUTOMATIC_CHECKS}


# ---- the runner ---------------------------------------------------------------------------------------

# One table object for every run: the checks' statements read it, and SQLAlchemy compiles a statement once a
# process only when the tables it names are the same objects (a table made afresh each run, under a name of its
# own, made each check a new statement every run).
_PERSONS_IN_SCOPE = Table(
    "lc_persons_in_scope", MetaData(),
    Column("person_id", Integer, primary_key=True, autoincrement=False), Column("org_id", Integer),
    Column("status", Text), Column("rank", Text), Column("id_number", Text), Column("name", Text),
    Column("birth_date", Date), prefixes=["TEMPORARY"])


def _persons_in_scope(conn, day: date, actor: Actor):
    """The persons of the runner's subtrees as they stood on the day (org, status and rank from their history;
    ID number, name and birth date have none), computed once a run into a temporary table
    (indexed as the checks join it: by person, ID number, name and birth date) that every check reads."""
    table = create_temporary(conn, _PERSONS_IN_SCOPE)
    p = persons_as_of(day)
    where = scope_filter(Actor(actor.login, tuple(g for g in actor.grants if g.role in RUNNERS)), _orgs.c.path)
    conn.execute(insert(table).from_select(
        ["person_id", "org_id", "status", "rank", "id_number", "name", "birth_date"],
        select(p.c.person_id, p.c.org_id, p.c.status, p.c.rank, _persons.c.id_number, _persons.c.name,
               _persons.c.birth_date)
        .join(_persons, _persons.c.id == p.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id)
        .where(*([where] if where is not None else [])).order_by(p.c.person_id)))
    # indexed once filled: one sorted build each, not a random insert per row
    # (as DDL text: an Index object would attach itself to the one table object and come back with it next run)
    for suffix, columns in (("id_number", "id_number"), ("name_birth", "name, birth_date")):
        conn.exec_driver_sql(f"CREATE INDEX ix_{table.name}_{suffix} ON {table.name} ({columns})")
    analyze(conn, table)
    return table


def run_checks(db: Database, *, as_of: date | None, today: date, actor_login: str | None,
               kinds: tuple[str, ...] | None = None) -> dict[str, int]:
    """Run the checks as of the day over the actor's subtrees (the local operator: the whole tree), in one unit
    of work; the number of new problems per kind."""
    from statemachines.errors import UsageError

    unknown = [k for k in kinds or () if k not in CHECKS]
    if unknown:
        automatic = "|".join(CHECKS)
        raise UsageError(f"没有自动检查 {'、'.join(unknown)}（现有 {automatic}；Q1–Q3 由公安联络员逐条录入）",
                         f"no automatic check {', '.join(unknown)} (there are {automatic}; Q1–Q3 are recorded by hand)")
    day = check_as_of(as_of, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        if not actor.is_operator and not any(g.role in RUNNERS for g in actor.grants):
            raise Refused(f"运行检查须由干部监督（组织人事部门）执行，{actor.person()}没有该授权",
                          f"running the checks needs a cadre_supervisor grant; {actor.login} has none")
        counts = run_checks_in(s, day, actor, kinds)
        uow.commit()
    return counts


def run_checks_in(session, day: date, actor: Actor = OPERATOR, kinds: tuple[str, ...] | None = None) -> dict[str, int]:
    """The checks inside the caller's transaction (the daily sweep's, as the system): new problems per kind."""
    conn = session.connection()
    policy = policy_as_of(session, day).travel
    with bulk_settings(conn):  # a set-based pass over every person: the bulk loads' page cache
        persons = _persons_in_scope(conn, day, actor)
        scope = Scope(day, policy, persons)
        counts = {kind: _insert_new(conn, kind, CHECKS[kind](scope), day, actor) for kind in (kinds or tuple(CHECKS))}
        persons.drop(conn)
    return counts


def _insert_new(conn, kind: str, found: Select, day: date, actor: Actor) -> int:
    """The problems of `found` not yet recorded, and their `find` records: two statements."""
    f = found.subquery("found")
    known = exists().where(_problems.c.person_id == f.c.person_id, _problems.c.kind == kind,
                           _problems.c.subject == f.c.subject)
    on = literal(day, _problems.c.found_on.type)
    corrected = f.c.self_corrected if "self_corrected" in f.c else literal(False)
    new = (select(f.c.person_id, literal(kind), f.c.subject, f.c.org_id, on, f.c.evidence, literal("found"),
                  corrected, literal(1), on, literal(1))
           .where(not_(known)).order_by(f.c.person_id, f.c.subject))
    conn.execute(insert(_problems).from_select(
        ["person_id", "kind", "subject", "org_id", "found_on", "evidence", "status", "self_corrected", "last_seq",
         "last_event_on", "version"], new))
    # the count comes from the history's statement: SQLite's driver reports no row count for an INSERT that
    # begins with the WITH of the persons in scope
    recorded = (_events.c.problem_id == _problems.c.id)
    return conn.execute(insert(_events).from_select(
        ["problem_id", "seq", "trigger", "from_status", "to_status", "self_corrected", "note", "effective_on",
         "actor", "role", "recorded_at"],
        select(_problems.c.id, literal(1), literal("find"), literal(None), literal("found"), _problems.c.self_corrected,
               literal(f"自动检查 {kind}（{PROBLEM_KINDS[kind]}），截至 {day}"), on, literal(actor.label()),
               literal("cadre_supervisor" if not actor.is_operator else "system"),
               literal(datetime.now(timezone.utc), _events.c.recorded_at.type))
        .where(_problems.c.kind == kind, _problems.c.found_on == day, not_(exists().where(recorded))))).rowcount


__all__ = ["CHECKS", "Scope", "run_checks", "run_checks_in", "masked_id", "masked_document"]
