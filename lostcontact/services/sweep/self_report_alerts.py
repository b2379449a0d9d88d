"""S1 and S2, the self-report campaigns' missing reports (PROGRAMMES.md §4), raised by the sweep with the alerts'
exactly-once keys (subject `person`, the person's id; the step is the self-report campaign's id; the due day
is its milestone's):

- S1 自查自报逾期未确认 (`overdue`, to the person's org): a person of the campaign's scope with no confirmed
  report once the milestone's due day is past;
- S2 自查自报逾期升级督办 (`escalated`, to that org's parent): still none after the policy's escalation lag of
  working days.

One INSERT … SELECT per campaign and rule over the persons as they stood on the day (their org then); the
confirmation closes both in its own unit of work; the sweep closes any confirmed otherwise, and those of a
person whose org has left the campaign's scope."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, and_, exists, func, literal, select, update
from sqlalchemy.orm import Session, aliased

from models import Alert, Campaign, Milestone, Org, Person, SelfReport, SelfReportCampaign
from models.base import utcnow
from statemachines.clocks import add_working_days
from statemachines.policy import Policy

from ...orgtree import in_subtree
from ..travel.history import persons_as_of
from .context import InsertSelectIgnoring

RULES = ("S1", "S2")
_alerts, _reports, _persons, _orgs = Alert.__table__, SelfReport.__table__, Person.__table__, Org.__table__
_campaigns = SelfReportCampaign.__table__
_COLUMNS = ["subject_kind", "subject_id", "rule", "level", "step_seq", "due_on", "org_id", "raised_on", "message",
            "sweep_run_id", "recorded_at"]


def _campaigns_past_due(session: Session, as_of: date):
    return session.execute(
        select(SelfReportCampaign.id, Campaign.name, Milestone.due_on, Org.path)
        .join(Campaign, Campaign.id == SelfReportCampaign.campaign_id)
        .join(Milestone, Milestone.id == SelfReportCampaign.milestone_id)
        .join(Org, Org.id == SelfReportCampaign.scope_org_id)
        .where(Milestone.due_on < as_of)).all()


def self_report_alerts(session: Session, as_of: date, policy: Policy, run_id: int | None) -> dict[str, int]:
    """Raise S1/S2 for every person owing a confirmed report past the due day on `as_of`; counts per rule."""
    lag = policy.escalation_lag_working_days
    counts = dict.fromkeys(RULES, 0)
    now = utcnow()
    for campaign_id, name, due, scope_path in _campaigns_past_due(session, as_of):  # few campaigns; persons in SQL
        p = persons_as_of(as_of)
        confirmed = exists().where(_reports.c.campaign_id == campaign_id, _reports.c.person_id == p.c.person_id,
                                   _reports.c.state == "confirmed", _reports.c.confirmed_on <= as_of)
        text = literal(f"{name}：", String) + _persons.c.name + literal(f" 未按期（{due}）完成自查自报并经审核确认",
                                                                         String)
        levels = [("S1", "overdue", _orgs.c.id, text)]
        if as_of > add_working_days(due, lag).on:
            levels.append(("S2", "escalated", func.coalesce(_orgs.c.parent_id, _orgs.c.id),
                           literal("【升级督办】", String) + text))
        for rule, level, recipient, message in levels:
            source = (select(literal("person", String), p.c.person_id, literal(rule, String), literal(level, String),
                             literal(campaign_id, Integer), literal(due, Date), recipient, literal(as_of, Date), message,
                             literal(run_id, Integer), literal(now))
                      .select_from(p.join(_orgs, _orgs.c.id == p.c.org_id)
                                   .join(_persons, _persons.c.id == p.c.person_id))
                      .where(in_subtree(_orgs.c.path, scope_path), ~confirmed))
            counts[rule] += session.execute(InsertSelectIgnoring(_alerts).from_select(_COLUMNS, source)).rowcount
    return counts


def close_self_report_alerts(session: Session, as_of: date, *, person_id: int | None = None,
                             campaign_id: int | None = None) -> int:
    """Close the open S1/S2 of every report confirmed on or before `as_of` (or of one person's report, inside
    its confirmation's unit of work), each on the day it was confirmed."""
    confirmed = and_(_reports.c.campaign_id == _alerts.c.step_seq, _reports.c.person_id == _alerts.c.subject_id,
                     _reports.c.state == "confirmed", _reports.c.confirmed_on <= as_of)
    open_ = (_alerts.c.closed_on.is_(None), _alerts.c.subject_kind == "person", _alerts.c.rule.in_(RULES))
    one = ([_alerts.c.subject_id == person_id, _alerts.c.step_seq == campaign_id] if person_id is not None else [])
    closed = session.execute(
        update(_alerts).where(*open_, *one, exists().where(confirmed))
        .values(closed_on=select(_reports.c.confirmed_on).where(confirmed).scalar_subquery())
        .execution_options(synchronize_session=False)).rowcount
    if person_id is None:
        closed += _close_left_the_scope(session, as_of, open_)
    return closed


def _close_left_the_scope(session: Session, as_of: date, open_) -> int:
    """Close, on `as_of`, the open S1/S2 of persons whose org that day lies outside their campaign's scope (moved
    to another unit): they owe that campaign nothing any more."""
    p = persons_as_of(as_of)
    scope, org = aliased(_orgs, name="scope_org"), aliased(_orgs, name="person_org")
    outside = (select(p.c.person_id)
               .join(org, org.c.id == p.c.org_id)
               .join(_campaigns, _campaigns.c.id == _alerts.c.step_seq)
               .join(scope, scope.c.id == _campaigns.c.scope_org_id)
               .where(p.c.person_id == _alerts.c.subject_id,
                      ~and_(org.c.path >= scope.c.path, org.c.path < scope.c.path + "\x7f")))
    return session.execute(update(_alerts).where(*open_, exists(outside)).values(closed_on=as_of)
                           .execution_options(synchronize_session=False)).rowcount
