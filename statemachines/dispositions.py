"""Dispositions (处置), whom they apply to, and where they count in the tally (DOMAIN.md §7, §8)."""
from __future__ import annotations

from dataclasses import dataclass

from .codes import CAUSE_ABROAD


@dataclass(frozen=True)
class Disposition:
    id: str
    label: str
    reached: tuple[bool, ...]          # the reached values it applies to
    standings: tuple[str, ...]         # full / probationary
    needs_abroad: bool
    columns_reached: tuple[str, ...]   # tally columns when reached
    columns_unreached: tuple[str, ...]  # tally columns when not reached
    ends_membership: bool = False
    suspends: bool = False
    submittable: bool = True           # expelled is recorded, never submitted


FULL = ("full",)
ANY_STANDING = ("full", "probationary")
R, N, RN = (True,), (False,), (True, False)

DISPOSITIONS: dict[str, Disposition] = {d.id: d for d in (
    Disposition("normal_management", "纳入组织管理（恢复正常管理/转接组织关系）", R, ANY_STANDING, False, ("C",), ()),
    Disposition("retain_relationship", "保留组织关系（出国（境）留学、劳务）", R, ANY_STANDING, True, ("C", "D"), ()),
    Disposition("suspend_reached_abroad", "停止党籍（取得联系但出国（境）定居）", R, FULL, True, ("C", "E"), (),
                suspends=True),
    Disposition("correct_within_deadline", "限期改正", R, FULL, False, ("C", "F"), ()),
    Disposition("persuade_withdraw", "劝退 / 劝而不退除名", R, FULL, False, ("G", "H"), (), ends_membership=True),
    Disposition("removal_self_withdrawal", "自行脱党除名", RN, FULL, False, ("G", "I"), ("P", "Q"),
                ends_membership=True),
    Disposition("removal_requested", "退党除名", R, FULL, False, ("G", "J"), (), ends_membership=True),
    Disposition("non_recognition", "不予承认党员资格", R, ANY_STANDING, False, ("G", "K"), (), ends_membership=True),
    Disposition("annul_probationary", "取消预备党员资格 / 不再保留预备党员资格", RN, ("probationary",), False,
                ("G", "L"), ("P", "R"), ends_membership=True),
    Disposition("expelled", "开除党籍（纪检机关决定）", RN, FULL, False, ("M",), ("V",), ends_membership=True,
                submittable=False),
    Disposition("suspend_unreachable", "停止党籍（确定无法取得联系）", N, FULL, False, (), ("S", "T"), suspends=True),
    Disposition("suspend_abroad_unreachable", "停止党籍（出国（境）定居无法联系）", N, FULL, True, (), ("S", "U"),
                suspends=True),
)}

# What a reopened round may decide (R7, R8): reopen kind -> allowed dispositions.
REOPEN_ALLOWED = {
    "correction_review": ("normal_management", "persuade_withdraw"),
    "suspension_restore": ("normal_management",),
    "suspension_expired": ("removal_self_withdrawal",),
}


def columns_for(disposition: str, reached: bool) -> tuple[str, ...]:
    d = DISPOSITIONS[disposition]
    return d.columns_reached if reached else d.columns_unreached


def why_not_applicable(disposition: str, *, reached: bool, standing: str, abroad: bool,
                       cause: int | None) -> tuple[str, str] | None:
    """None when the disposition applies to this member; else the (zh, en) reason it does not."""
    d = DISPOSITIONS[disposition]
    if reached not in d.reached:
        state = ("已取得联系", "reached") if reached else ("未取得联系", "not reached")
        return (f"“{d.label}”不适用于{state[0]}的党员", f"{disposition} does not apply to a member {state[1]}")
    if standing not in d.standings:
        if standing == "probationary":
            return (f"“{d.label}”不适用于预备党员（预备党员只能取消预备党员资格）",
                    f"{disposition} does not apply to a probationary member (R9: annul_probationary instead)")
        return (f"“{d.label}”只适用于预备党员", f"{disposition} applies to probationary members only")
    if d.needs_abroad and not (abroad or cause == CAUSE_ABROAD):
        return (f"“{d.label}”需要党员有出国（境）标记或失联情形为⑤出国（境）",
                f"{disposition} needs the member's abroad flag or cause 5 (abroad)")
    return None
