"""R10: campaign milestones. Every org of the milestone's level that has not submitted by the due date
gets a `reminder` once the day is past, and an `escalated` alert (to its parent) once the escalation lag
has run out too. The alert's step sequence is the milestone id. A submission closes them."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from models import Campaign, Milestone, Org, Submission
from statemachines.clocks import add_working_days
from statemachines.policy import Policy

from ..alert_closing import close_milestone_alerts
from .alerting import NewAlert, raise_alerts


def milestone_alerts(session: Session, as_of: date, policy: Policy, run_id: int | None) -> int:
    lag = policy.escalation_lag_working_days
    parent = aliased(Org)
    submitted = exists().where(Submission.milestone_id == Milestone.id, Submission.org_id == Org.id,
                               Submission.submitted_on <= as_of)
    rows = session.execute(
        select(Milestone.id, Milestone.due_on, Milestone.title, Campaign.name, Org.id, Org.code, parent.id)
        .join(Campaign, Campaign.id == Milestone.campaign_id)
        .join(Org, Org.level == Milestone.level)
        .outerjoin(parent, parent.id == Org.parent_id)
        .where(Milestone.due_on < as_of, ~submitted)).all()
    alerts = []
    for milestone_id, due_on, title, campaign, org_id, org_code, parent_id in rows:
        text = f"{campaign}：{org_code} 未按期（{due_on}）报送“{title}”"
        alerts.append(NewAlert("org", org_id, "R10", "reminder", milestone_id, due_on, org_id, text))
        if as_of > add_working_days(due_on, lag).on:
            alerts.append(NewAlert("org", org_id, "R10", "escalated", milestone_id, due_on, parent_id or org_id,
                                   text + "，升级督办"))
    return raise_alerts(session, alerts, as_of=as_of, run_id=run_id)


def close_submitted(session: Session, as_of: date) -> int:
    return close_milestone_alerts(session, as_of)
