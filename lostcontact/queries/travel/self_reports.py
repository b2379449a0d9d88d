"""Self-report campaigns as of a day (PROGRAMMES.md §4): a campaign, the persons of its scope with the state
of their report that day (owed when nothing was submitted by then), the counts by unit, and one report with its
frozen lines and history. ID numbers are masked in every list; document numbers are full only for the person's
cadre supervisor. A person's state and org on the day come from the histories (persons_as_of, reports_as_of)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, literal, or_, select, union_all

from models import Org, Person, SelfReport, SelfReportDocument, SelfReportEvent, SelfReportTrip
from models.db import Database
from statemachines.errors import UsageError
from statemachines.travel import self_report as machine

from ...masking import mask_document, mask_id
from ...orgtree import in_subtree
from ...permissions import Actor, load_actor, scope_filter
from ...services.dates import check_as_of
from ...services.travel.access import READERS, STATUS_ONLY, status_only, unknown_org
from ...services.travel.history import persons_as_of
from ...services.travel.self_reports import PARTY_SECRETARIES, campaign_row
from ...uow import UnitOfWork

_persons, _orgs, _reports = Person.__table__, Org.__table__, SelfReport.__table__
_events, _doc_lines, _trip_lines = SelfReportEvent.__table__, SelfReportDocument.__table__, SelfReportTrip.__table__
STATE_ORDER = tuple(machine.STATES)  # owed, submitted, confirmed, returned


def reports_as_of(campaign_id: int, day: date):
    """One row per report of the campaign submitted by `day`: its state and current submission that day — the
    row itself when its latest record is on or before the day, else its latest history record on or before it."""
    r, e = _reports, _events
    current = select(r.c.id.label("report_id"), r.c.person_id, r.c.state, r.c.submission_seq
                     ).where(r.c.campaign_id == campaign_id, r.c.last_event_on <= day)
    changed = select(r.c.id).where(r.c.campaign_id == campaign_id, r.c.last_event_on > day)
    latest = (select(e.c.report_id, func.max(e.c.seq).label("seq"))
              .where(e.c.effective_on <= day, e.c.report_id.in_(changed)).group_by(e.c.report_id)
              .subquery("latest_report_event"))
    replayed = (select(e.c.report_id, r.c.person_id, e.c.to_state, e.c.submission_seq)
                .join(latest, and_(latest.c.report_id == e.c.report_id, latest.c.seq == e.c.seq))
                .join(r, r.c.id == e.c.report_id))
    return union_all(current, replayed).subquery("report_as_of")


def report_scope(actor: Actor, path_column, rank_column):
    """WHERE clause: the persons whose reports the actor reads (`may_read_report`, as SQL)."""
    if actor.is_operator:
        return literal(True)
    readers = [g for g in actor.grants if g.role in READERS and g.role not in STATUS_ONLY]
    secretaries = [g for g in actor.grants if g.role in PARTY_SECRETARIES]
    clauses = []
    if readers:
        clauses.append(scope_filter(Actor(actor.login, tuple(readers)), path_column))
    if secretaries:
        clauses.append(and_(rank_column == "party_only",
                            scope_filter(Actor(actor.login, tuple(secretaries)), path_column)))
    return or_(*clauses) if clauses else path_column == "\x00"


def _scoped_persons(conn, actor: Actor, campaign, day: date, org_code: str | None):
    """The persons of the campaign's scope on `day` the actor reads, each with their report's state that day."""
    p, rep = persons_as_of(day), reports_as_of(campaign.id, day)
    where = [in_subtree(_orgs.c.path, campaign.scope_path), report_scope(actor, _orgs.c.path, p.c.rank)]
    if org_code is not None:
        path = conn.scalar(select(_orgs.c.path).where(_orgs.c.code == org_code))
        if path is None or not (actor.is_operator or any(path.startswith(g.org_path) for g in actor.grants)):
            raise unknown_org(org_code)
        where.append(in_subtree(_orgs.c.path, path))
    state = func.coalesce(rep.c.state, "owed").label("state")
    return (select(p.c.person_id, p.c.org_id, p.c.rank, _orgs.c.code, _orgs.c.name.label("org_name"), _orgs.c.path,
                   rep.c.report_id, rep.c.submission_seq, state)
            .select_from(p.join(_orgs, _orgs.c.id == p.c.org_id)
                         .outerjoin(rep, rep.c.person_id == p.c.person_id))
            .where(*where))


def _check_state(status: str | None) -> None:
    if status is not None and status not in machine.STATES:
        raise UsageError(f"未知自查自报状态 {status}（{'|'.join(machine.STATES)}）",
                         f"unknown self-report state {status} ({'|'.join(machine.STATES)})")


def _campaign_dict(campaign) -> dict:
    return {"id": campaign.id, "name": campaign.name, "scope_org": campaign.scope_code,
            "trips_since": campaign.trips_since.isoformat(),
            "documents_expired_since": campaign.documents_expired_since.isoformat(),
            "opened_on": campaign.opened_on.isoformat(), "due_on": campaign.due_on.isoformat(),
            "pledge": machine.PLEDGE}


def list_reports(db: Database, campaign_id: int, *, actor_login: str | None, today: date, as_of: date | None = None,
                 status: str | None = None, org_code: str | None = None, with_ids: bool = False) -> list[dict]:
    """Every person of the campaign's scope (in the reader's subtrees) with their report's state on the day
    (`with_ids`: each with its `person_id`, for the web's links; never in the command line's JSON)."""
    _check_state(status)
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        campaign = campaign_row(uow.session, campaign_id, actor)
        if status_only(actor):
            return []
        people = _scoped_persons(conn, actor, campaign, day, org_code).subquery("scoped")
        r = _reports
        lines = [select(func.count()).select_from(t).where(t.c.report_id == people.c.report_id,
                                                           t.c.submission_seq == people.c.submission_seq)
                 .scalar_subquery() for t in (_doc_lines, _trip_lines)]
        # the day of the submission current that day (a later resubmission has its own)
        submitted_on = (select(func.min(_events.c.effective_on))
                        .where(_events.c.report_id == people.c.report_id, _events.c.trigger == "submit",
                               _events.c.submission_seq == people.c.submission_seq).scalar_subquery())
        query = (select(people, _persons.c.name, _persons.c.id_number, submitted_on.label("submitted_on"),
                        r.c.reviewer, r.c.confirmed_on, r.c.version, lines[0].label("documents"),
                        lines[1].label("trips"))
                 .join(_persons, _persons.c.id == people.c.person_id)
                 .outerjoin(r, r.c.id == people.c.report_id)
                 .order_by(people.c.path, _persons.c.name, _persons.c.id))
        if status is not None:
            query = query.where(people.c.state == status)
        rows = conn.execute(query).all()
    submitted = ("submitted", "confirmed", "returned")
    return [{"person_name": x.name, "person_id_number_masked": mask_id(x.id_number), "org": x.code,
             "org_name": x.org_name, "rank": x.rank, "state": x.state,
             "submitted_on": x.submitted_on.isoformat() if x.state in submitted and x.submitted_on else None,
             # a report with no line is a zero report (the machine allows no other)
             "zero_report": x.documents + x.trips == 0 if x.state in submitted else None,
             "documents": x.documents if x.report_id else 0, "trips": x.trips if x.report_id else 0,
             "reviewer": x.reviewer if x.state == "confirmed" else None,
             "confirmed_on": x.confirmed_on.isoformat() if x.state == "confirmed" else None,
             "overdue": day > campaign.due_on and x.state != "confirmed",
             **({"person_id": x.person_id} if with_ids else {})} for x in rows]


def status_by_unit(db: Database, campaign_id: int, *, actor_login: str | None, today: date,
                   as_of: date | None = None, org_code: str | None = None) -> dict:
    """Per org of the scope (the persons' orgs that day): how many owe, have submitted, were returned, are
    confirmed; one GROUP BY over the persons and the reports as of the day."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        campaign = campaign_row(uow.session, campaign_id, actor)
        units = []
        if not status_only(actor):
            people = _scoped_persons(conn, actor, campaign, day, org_code).subquery("scoped")
            counts = [func.sum(case((people.c.state == s, 1), else_=0)).label(s) for s in STATE_ORDER]
            rows = conn.execute(select(people.c.code, people.c.org_name, people.c.path, func.count().label("total"),
                                       *counts).group_by(people.c.code, people.c.org_name, people.c.path)
                                .order_by(people.c.path)).all()
            units = [{"org": r.code, "org_name": r.org_name, "total": r.total,
                      **{s: int(getattr(r, s) or 0) for s in STATE_ORDER},
                      "overdue": r.total - int(r.confirmed or 0) if day > campaign.due_on else 0} for r in rows]
    totals = {key: sum(u[key] for u in units) for key in ("total", *STATE_ORDER, "overdue")}
    return {"campaign": _campaign_dict(campaign), "as_of": day.isoformat(), "units": units, "totals": totals}


def show_campaign(db: Database, campaign_id: int, *, actor_login: str | None, today: date,
                  as_of: date | None = None) -> dict:
    data = status_by_unit(db, campaign_id, actor_login=actor_login, today=today, as_of=as_of)
    return {**data["campaign"], "as_of": data["as_of"], "totals": data["totals"]}


def show_report(db: Database, id_number: str, campaign_id: int, *, actor_login: str | None, today: date) -> dict:
    """One person's report: its state, the lines of every submission as frozen, the history."""
    from ...services.travel.access import may_see_full_numbers
    from ...services.travel.self_reports import person_for_report

    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        person = person_for_report(s, id_number, actor)
        campaign = campaign_row(s, campaign_id, actor)
        full = may_see_full_numbers(actor, person.org_path)
        report = conn.execute(select(_reports).where(_reports.c.campaign_id == campaign_id,
                                                     _reports.c.person_id == person.id)).first()
        out = {"campaign": _campaign_dict(campaign), "person_name": person.name,
               "person_id_number_masked": mask_id(person.id_number), "org": person.org_code, "rank": person.rank,
               "state": report.state if report else "owed", "version": report.version if report else 0}
        if report is None:
            return out | {"submissions": [], "history": []}
        docs = conn.execute(select(_doc_lines).where(_doc_lines.c.report_id == report.id)
                            .order_by(_doc_lines.c.submission_seq, _doc_lines.c.line_no)).all()
        trips = conn.execute(select(_trip_lines).where(_trip_lines.c.report_id == report.id)
                             .order_by(_trip_lines.c.submission_seq, _trip_lines.c.line_no)).all()
        history = conn.execute(select(_events).where(_events.c.report_id == report.id)
                               .order_by(_events.c.seq)).all()
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    out.update({"zero_report": report.zero_report, "notes": report.notes, "pledge_text": report.pledge_text,
                "pledge_signed_on": iso(report.pledge_signed_on), "submitted_on": iso(report.submitted_on),
                "submission_seq": report.submission_seq, "recorded_by": report.recorded_by,
                "reviewer": report.reviewer, "reviewer_role": report.reviewer_role,
                "confirmed_on": iso(report.confirmed_on), "returned_on": iso(report.returned_on),
                "return_reason": report.return_reason})
    submissions = []
    for seq in range(1, report.submission_seq + 1):
        submissions.append({
            "submission_seq": seq, "current": seq == report.submission_seq,
            "documents": [{"line_no": d.line_no, "kind": d.kind, "number_masked": mask_document(d.number),
                           **({"number": d.number} if full else {}), "name_on_document": d.name_on_document,
                           "issued_on": iso(d.issued_on), "expires_on": iso(d.expires_on), "expired": d.expired,
                           "kept_at": d.kept_at, "remark": d.remark, "self_corrected": d.self_corrected,
                           "correction": d.correction} for d in docs if d.submission_seq == seq],
            "trips": [{"line_no": t.line_no, "departure_on": iso(t.departure_on), "return_on": iso(t.return_on),
                       "destinations": t.destinations.split("、") if t.destinations else [], "reason": t.reason,
                       "approved": t.approved, "approving_authority": t.approving_authority, "remark": t.remark,
                       "self_corrected": t.self_corrected, "correction": t.correction}
                      for t in trips if t.submission_seq == seq]})
    out["submissions"] = submissions
    out["history"] = [{"seq": h.seq, "on": iso(h.effective_on), "trigger": h.trigger, "from_state": h.from_state,
                       "to_state": h.to_state, "submission_seq": h.submission_seq, "note": h.note,
                       "actor": h.actor, "role": h.role} for h in history]
    return out


def prefilled_report(db: Database, id_number: str, campaign_id: int, *, actor_login: str | None,
                     today: date) -> dict:
    """A report file (the shape `self-report submit --from-file` reads) prefilled with the registry's documents
    of the person that the campaign asks about — held now, or expired since its date — for the person to check,
    complete and sign. Only for who records the person's report (the numbers are full); trips are the person's
    to fill in, and the pledge is left unsigned."""
    from models import TravelDocument
    from statemachines.travel.custody import GONE

    from ...services.travel.self_reports import person_for_report, recorder_grant

    docs = TravelDocument.__table__
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        person = person_for_report(s, id_number, actor)
        campaign = campaign_row(s, campaign_id, actor)
        recorder_grant(actor, person.org_path, person.rank)
        rows = s.connection().execute(
            select(docs).where(docs.c.person_id == person.id, docs.c.state.not_in(GONE),
                               docs.c.expires_on >= campaign.documents_expired_since, docs.c.issued_on <= today)
            .order_by(docs.c.kind, docs.c.issued_on, docs.c.id)).all()
    return {"documents": [{"kind": r.kind, "number": r.number, "issued_on": r.issued_on.isoformat(),
                           "expires_on": r.expires_on.isoformat(), "name_on_document": r.name_on_document,
                           "kept_at": (r.kept_at or "组织集中保管") if r.state == "in_custody" else None,
                           "remark": f"已领用（{r.trip_ref}）" if r.state == "checked_out" else None} for r in rows],
            "trips": [], "notes": None, "pledge_signed": False}
