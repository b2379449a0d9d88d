"""Campaigns (集中排查, R10): milestones owed by the orgs of a level, and their submissions. A submission
closes the org's R10 alerts for the milestone and freezes its tally as of the submission's as-of day."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Campaign, Milestone, Submission
from models.db import Database
from statemachines.codes import ORG_LEVELS
from statemachines.errors import BadInput, Refused, UsageError

from ..orgtree import org_by_code
from ..permissions import load_actor
from ..uow import UnitOfWork
from .alert_closing import close_milestone_alerts
from .dates import check_as_of

SUBMITTERS = ("branch_officer", "committee_reviewer", "upper_reviewer", "admin")


def add_campaign(db: Database, name: str, *, start: date, end: date) -> int:
    if end < start:
        raise UsageError(f"结束日期 {end} 早于开始日期 {start}", f"the end {end} is before the start {start}", "--end、--start")
    with UnitOfWork(db) as uow:
        s = uow.session
        if s.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
            raise Refused(f"排查活动“{name}”已存在", f"campaign {name!r} already exists")
        campaign = Campaign(name=name, start_on=start, end_on=end)
        s.add(campaign)
        uow.commit()
        return campaign.id


def _campaign(s, name: str) -> Campaign:
    campaign = s.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is None:
        raise BadInput(f"未知排查活动“{name}”", f"unknown campaign {name!r}")
    return campaign


def add_milestone(db: Database, campaign_name: str, key: str, *, due: date, level: str, title: str) -> int:
    if level not in ORG_LEVELS:
        raise UsageError(f"未知组织层级 {level}（{'/'.join(ORG_LEVELS)}）",
                         f"unknown org level {level} ({'/'.join(ORG_LEVELS)})")
    with UnitOfWork(db) as uow:
        s = uow.session
        campaign = _campaign(s, campaign_name)
        if s.scalar(select(Milestone.id).where(Milestone.campaign_id == campaign.id, Milestone.key == key)):
            raise Refused(f"节点 {key} 已存在", f"milestone {key} already exists in {campaign_name!r}")
        milestone = Milestone(campaign_id=campaign.id, key=key, due_on=due, level=level, title=title)
        s.add(milestone)
        uow.commit()
        return milestone.id


def submit(db: Database, campaign_name: str, key: str, *, org_code: str, actor_login: str, today: date,
           as_of: date | None = None) -> int:
    """Record the org's submission (any role but supervisor, over that org) and freeze its tally."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        campaign = _campaign(s, campaign_name)
        milestone = s.scalar(select(Milestone).where(Milestone.campaign_id == campaign.id, Milestone.key == key))
        if milestone is None:
            raise BadInput(f"未知节点 {key}", f"unknown milestone {key} in {campaign_name!r}")
        org = org_by_code(s, org_code)
        if org.level != milestone.level:
            raise Refused(f"节点 {key} 由 {ORG_LEVELS[milestone.level]} 报送，{org_code} 不是该层级",
                          f"milestone {key} is owed by {milestone.level} orgs; {org_code} is a {org.level}")
        actor = load_actor(s, actor_login)
        if actor.is_operator or not any(g.role in SUBMITTERS and org.path.startswith(g.org_path) for g in actor.grants):
            raise Refused(f"{actor.person()}无权为 {org_code} 报送", f"{actor.label()} may not submit for {org_code}")
        submission = Submission(milestone_id=milestone.id, org_id=org.id, submitted_on=today, as_of=day,
                                actor=actor_login)
        s.add(submission)
        try:
            s.flush()
        except IntegrityError:
            raise Refused(f"{org_code} 已报送节点 {key}", f"{org_code} has already submitted {key}") from None
        close_milestone_alerts(s, today, org_id=org.id, milestone_id=milestone.id)
        _freeze(s, org.id, day, submission.id)
        uow.commit()
        return submission.id


def _freeze(session, org_id: int, as_of: date, submission_id: int) -> None:
    """The tally issue's snapshot, when installed (lostcontact.services.snapshots.freeze_tally)."""
    try:
        from .snapshots import freeze_tally
    except ImportError:
        return
    freeze_tally(session, org_id=org_id, as_of=as_of, submission_id=submission_id)
