"""R2 (five-month early warning) and R3 (mobile members away over a month unreported, the 失控 list):
alerts about a member, level `reminder`, to the member's branch. Neither opens a case."""
from __future__ import annotations

from sqlalchemy import false, select, true

from models import Member
from statemachines.clocks import crossing_day, latest_since_crossing_on_or_before

from ...masking import mask_id
from ..alert_closing import close_member_alerts
from .alerting import NewAlert, raise_alerts
from .context import SweepContext, any_member_with
from .eligibility import last_contact_as_of, may_open_case
from .openings import scan_members


def early_warnings(ctx: SweepContext) -> int:
    """R2: more than `early_warning` months without contact, not yet `lost_contact` months."""
    warn, lost = ctx.policy.months["early_warning"], ctx.policy.months["lost_contact"]
    last_contact = last_contact_as_of(ctx.as_of)
    rows = ctx.session.execute(
        select(Member.id, Member.id_number, Member.branch_id, last_contact)
        .where(ctx.in_partition(Member.branch_id), scan_members(ctx, ctx.month_window(Member.last_contact_on, warn)),
               last_contact <= latest_since_crossing_on_or_before(ctx.as_of, warn),
               last_contact > latest_since_crossing_on_or_before(ctx.as_of, lost), may_open_case(ctx.as_of)))
    alerts = (NewAlert("member", member_id, "R2", "reminder", 0, crossing_day(last, lost), branch_id,
                       f"党员 {mask_id(id_number)} 已超过{warn}个月未与党组织联系（最近一次联系 {last}），"
                       f"如仍无联系，将于 {crossing_day(last, lost)} 按失联党员立案")
              for member_id, id_number, branch_id, last in rows)
    return raise_alerts(ctx.session, alerts, as_of=ctx.as_of, run_id=ctx.run_id)


def unreported_mobile(ctx: SweepContext) -> int:
    """R3: `away_since` + `mobile_unreported` months < as-of, not reported, no contact since leaving."""
    if not any_member_with(ctx.session, "away_since"):  # nobody has left: no mobile member to list
        return 0
    months = ctx.policy.months["mobile_unreported"]
    scan = ctx.members_to_scan(ctx.month_window(Member.away_since, months))
    last_contact = last_contact_as_of(ctx.as_of)
    rows = ctx.session.execute(
        select(Member.id, Member.id_number, Member.branch_id, Member.away_since)
        .where(ctx.in_partition(Member.branch_id), scan, Member.mobile == true(), Member.reported == false(),
               Member.away_since <= latest_since_crossing_on_or_before(ctx.as_of, months),
               last_contact <= Member.away_since, may_open_case(ctx.as_of)))
    alerts = (NewAlert("member", member_id, "R3", "reminder", 0, crossing_day(away, months), branch_id,
                       f"流动党员 {mask_id(id_number)} 外出（{away}）超过{months}个月未向党支部报告，"
                       f"列入失控名单，请党支部联系")
              for member_id, id_number, branch_id, away in rows)
    return raise_alerts(ctx.session, alerts, as_of=ctx.as_of, run_id=ctx.run_id)


def close_member_warnings(session, as_of, policy) -> int:
    """R2 closes on a contact or a new case; R3 on a report or a contact after leaving (every member)."""
    return close_member_alerts(session, as_of, policy)
