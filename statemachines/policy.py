"""The versioned policy file (DOMAIN.md §4 "Default policy"): load, migrate, validate.

A policy file carries `format`; each older format has one migration step to the next, so a file
written for an old release still loads.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Any, Callable, Mapping

from .codes import CHANNEL_TIERS, ORG_LEVELS
from .errors import BadInput
from .isodate import parse_iso_date

CURRENT_FORMAT = 1
STEP_STATES = ("lost_contact", "searching", "verifying", "branch_proposal", "committee_prereview",
               "upper_prereview", "meeting_resolution", "final_approval", "upper_approval")
CHAIN_KINDS = ("committee", "upper", "recorded")
MONTH_KEYS = ("early_warning", "lost_contact", "mobile_unreported", "pocket_receipt",
              "correction_period", "suspension_window")
# [attachments] max_mb: optional, so every policy stored before it existed still loads (with the default)
ATTACHMENT_MAX_MB_DEFAULT = 20
ATTACHMENT_MAX_MB_BOUNDS = (1, 200)

# Sane bounds of every number (docs/policy.md). A policy outside them is refused whole: 3,000,000 working
# days once loaded and then overflowed the calendar in every transition and sweep.
DUE_WORKING_DAYS_BOUNDS = (1, 250)          # one step: at most about a year of working days
ALERT_WORKING_DAYS_BOUNDS = (0, 60)         # reminder lead and escalation lag
MONTHS_BOUNDS = (1, 120)                    # any period counted in months: at most ten years
MAJORITY_BOUNDS = (1, 100)                  # numerator and denominator of the vote's majority

# [travel] (PROGRAMMES.md §1, §2): optional, so every policy stored before it existed still loads (defaults)
TRAVEL_DEFAULTS = {"hand_in_working_days": 10, "checkout_lead_days": 5, "return_days": 10,
                   "change_report_day": 25, "record_working_days": 1}
TRAVEL_BOUNDS = {"hand_in_working_days": (1, 250), "checkout_lead_days": (0, 60), "return_days": (1, 120),
                 "change_report_day": (1, 28), "record_working_days": (1, 30)}
# [travel.trip_approval] (PROGRAMMES.md §3): who approves a private trip, by the person's rank — the org level at
# (or above) which the approving cadre supervisor's grant sits (干部管理权限); "unit": any grant over the person
TRIP_APPROVERS = ("unit", *ORG_LEVELS)
TRIP_APPROVAL_DEFAULTS = {"provincial": "province", "bureau": "province", "county": "city", "township": "county",
                          "staff": "unit", "party_only": "unit", "other": "unit"}
# [travel] strict_review_types: registered-person types whose trips get the stricter review (裸官, sensitive posts)
STRICT_REVIEW_DEFAULTS = ("naked_official", "sensitive_post")

# format N -> function turning a format-N document into a format-(N+1) document
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class TravelPolicy:
    """The travel-documents programme's periods (docs/policy.md, [travel])."""
    hand_in_working_days: int = TRAVEL_DEFAULTS["hand_in_working_days"]  # hand in within, after registration/issue
    checkout_lead_days: int = TRAVEL_DEFAULTS["checkout_lead_days"]      # check out at most this long before departure
    return_days: int = TRAVEL_DEFAULTS["return_days"]                    # return within, after the trip ends
    change_report_day: int = TRAVEL_DEFAULTS["change_report_day"]        # monthly changes reach the administration by
    record_working_days: int = TRAVEL_DEFAULTS["record_working_days"]    # the administration records them within
    trip_approval: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(dict(TRIP_APPROVAL_DEFAULTS)))
    strict_review_types: tuple[str, ...] = STRICT_REVIEW_DEFAULTS

    def approver_level(self, rank: str) -> str:
        """The org level of the cadre authority approving a private trip of a person of `rank`."""
        return self.trip_approval.get(rank, "unit")


@dataclass(frozen=True)
class Policy:
    version: str
    effective_from: date
    due_working_days: Mapping[str, int]
    reminder_lead_working_days: int
    escalation_lag_working_days: int
    months: Mapping[str, int]
    required_tiers: tuple[str, ...]
    majority_numerator: int
    majority_denominator: int
    chains: Mapping[str, str]
    source_text: str = ""
    attachment_max_mb: int = ATTACHMENT_MAX_MB_DEFAULT
    travel: TravelPolicy = TravelPolicy()
    # [discipline] (PROGRAMMES.md §5): months without contact with the org or unit before a person is a
    # candidate for the 失联 register (the organisation department's own rule, DOMAIN R1, is six)
    discipline_threshold_months: int = 3

    @property
    def attachment_max_bytes(self) -> int:
        return self.attachment_max_mb * 1024 * 1024

    def chain_of(self, disposition: str) -> str:
        return self.chains[disposition]

    def vote_passes(self, entitled: int, votes_for: int) -> bool:
        return votes_for * self.majority_denominator > entitled * self.majority_numerator


def _bad(zh: str, en: str, source: str) -> BadInput:
    return BadInput(f"策略文件 {source}：{zh}", f"policy file {source}: {en}")


def _int_table(doc: dict, key: str, names: tuple[str, ...], source: str,
               bounds: tuple[int, int]) -> dict[str, int]:
    table = doc.get(key)
    if not isinstance(table, dict):
        raise _bad(f"缺少 [{key}] 表", f"missing table [{key}]", source)
    low, high = bounds
    out = {}
    for name in names:
        value = table.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _bad(f"[{key}] {name} 须为 {low} 到 {high} 之间的整数（现为 {value!r}）",
                       f"[{key}] {name} must be an integer from {low} to {high} (got {value!r})", source)
        out[name] = value
    unknown = set(table) - set(names)
    if unknown:
        raise _bad(f"[{key}] 含未知项 {sorted(unknown)}", f"[{key}] has unknown keys {sorted(unknown)}", source)
    return out


def _attachment_max_mb(doc: dict, source: str) -> int:
    table = doc.get("attachments", {})
    if not isinstance(table, dict):
        raise _bad("[attachments] 须为表", "[attachments] must be a table", source)
    unknown = set(table) - {"max_mb"}
    if unknown:
        raise _bad(f"[attachments] 含未知项 {sorted(unknown)}", f"[attachments] has unknown keys {sorted(unknown)}",
                   source)
    value = table.get("max_mb", ATTACHMENT_MAX_MB_DEFAULT)
    low, high = ATTACHMENT_MAX_MB_BOUNDS
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _bad(f"[attachments] max_mb 须为 {low} 到 {high} 之间的整数（现为 {value!r}）",
                   f"[attachments] max_mb must be an integer from {low} to {high} (got {value!r})", source)
    return value


def _travel(doc: dict, source: str) -> TravelPolicy:
    table = doc.get("travel", {})
    if not isinstance(table, dict):
        raise _bad("[travel] 须为表", "[travel] must be a table", source)
    unknown = set(table) - set(TRAVEL_DEFAULTS) - {"trip_approval", "strict_review_types"}
    if unknown:
        raise _bad(f"[travel] 含未知项 {sorted(unknown)}", f"[travel] has unknown keys {sorted(unknown)}", source)
    values: dict[str, Any] = {}
    for name, default in TRAVEL_DEFAULTS.items():
        value = table.get(name, default)
        low, high = TRAVEL_BOUNDS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _bad(f"[travel] {name} 须为 {low} 到 {high} 之间的整数（现为 {value!r}）",
                       f"[travel] {name} must be an integer from {low} to {high} (got {value!r})", source)
        values[name] = value
    return TravelPolicy(**values, trip_approval=_trip_approval(table, source),
                        strict_review_types=_strict_review_types(table, source))


def _trip_approval(table: dict, source: str) -> Mapping[str, str]:
    from .travel.codes import RANKS

    chain = table.get("trip_approval", {})
    if not isinstance(chain, dict):
        raise _bad("[travel.trip_approval] 须为表", "[travel.trip_approval] must be a table", source)
    unknown = set(chain) - set(RANKS)
    if unknown:
        raise _bad(f"[travel.trip_approval] 含未知职级 {sorted(unknown)}",
                   f"[travel.trip_approval] has unknown ranks {sorted(unknown)}", source)
    out = {**TRIP_APPROVAL_DEFAULTS, **chain}
    for rank, level in out.items():
        if level not in TRIP_APPROVERS:
            raise _bad(f"[travel.trip_approval] {rank} 须为 {'/'.join(TRIP_APPROVERS)}（现为 {level!r}）",
                       f"[travel.trip_approval] {rank} must be one of {', '.join(TRIP_APPROVERS)} (got {level!r})",
                       source)
    return MappingProxyType(out)


def _strict_review_types(table: dict, source: str) -> tuple[str, ...]:
    from .travel.codes import PERSON_TYPES

    types = table.get("strict_review_types", list(STRICT_REVIEW_DEFAULTS))
    if not isinstance(types, list) or any(t not in PERSON_TYPES for t in types):
        raise _bad(f"[travel] strict_review_types 须为登记备案人员类别的列表（{'|'.join(PERSON_TYPES)}）",
                   f"[travel] strict_review_types must be a list of person types ({'|'.join(PERSON_TYPES)})", source)
    return tuple(types)


def parse_policy(text: str, source: str = "<text>") -> Policy:
    from .dispositions import DISPOSITIONS  # local: dispositions imports nothing of policy

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(f"不是有效的 TOML：{exc}", f"not valid TOML: {exc}", source) from None
    fmt = doc.get("format")
    if not isinstance(fmt, int) or not 1 <= fmt <= CURRENT_FORMAT:
        raise _bad(f"format 须为 1 到 {CURRENT_FORMAT}（现为 {fmt!r}）",
                   f"format must be 1..{CURRENT_FORMAT} (got {fmt!r})", source)
    while fmt < CURRENT_FORMAT:
        doc = MIGRATIONS[fmt](doc)
        fmt += 1
    version = doc.get("version")
    if not isinstance(version, str) or not version.strip():
        raise _bad("缺少 version", "missing version", source)
    effective_from = doc.get("effective_from", date(1900, 1, 1))
    if isinstance(effective_from, str):
        try:
            effective_from = parse_iso_date(effective_from)
        except ValueError:
            raise _bad(f"effective_from 日期无效：{effective_from}", f"bad effective_from: {effective_from}",
                       source) from None
    due = _int_table(doc, "due_working_days", STEP_STATES, source, DUE_WORKING_DAYS_BOUNDS)
    alerts = _int_table(doc, "alerts", ("reminder_lead_working_days", "escalation_lag_working_days"), source,
                        ALERT_WORKING_DAYS_BOUNDS)
    months = _int_table(doc, "months", MONTH_KEYS, source, MONTHS_BOUNDS)
    search = doc.get("search", {})
    tiers = search.get("required_tiers", ()) if isinstance(search, dict) else None
    if not isinstance(tiers, list | tuple):
        raise _bad("[search] required_tiers 须为列表", "[search] required_tiers must be a list", source)
    tiers = tuple(tiers)
    for tier in tiers:
        if tier not in CHANNEL_TIERS:
            raise _bad(f"未知查找层级 {tier}", f"unknown search tier {tier}", source)
    meeting = _int_table(doc, "meeting", ("majority_numerator", "majority_denominator"), source, MAJORITY_BOUNDS)
    if meeting["majority_numerator"] >= meeting["majority_denominator"]:
        raise _bad("[meeting] majority_numerator 须小于 majority_denominator（否则表决永远不能通过）",
                   "[meeting] majority_numerator must be less than majority_denominator (or no vote could pass)",
                   source)
    chains = doc.get("chains", {})
    if not isinstance(chains, dict):
        raise _bad("[chains] 须为表", "[chains] must be a table", source)
    for disposition in DISPOSITIONS:
        if chains.get(disposition) not in CHAIN_KINDS:
            raise _bad(f"[chains] {disposition} 须为 {'/'.join(CHAIN_KINDS)}",
                       f"[chains] {disposition} must be one of {', '.join(CHAIN_KINDS)}", source)
    if chains["expelled"] != "recorded" or any(v == "recorded" for k, v in chains.items() if k != "expelled"):
        raise _bad("只有 expelled 可为 recorded（纪检机关决定）",
                   "only expelled may (and must) be 'recorded' (the discipline organ decides)", source)
    return Policy(
        version=version.strip(), effective_from=effective_from,
        due_working_days=MappingProxyType(due),
        reminder_lead_working_days=alerts["reminder_lead_working_days"],
        escalation_lag_working_days=alerts["escalation_lag_working_days"],
        months=MappingProxyType(months), required_tiers=tiers,
        majority_numerator=meeting["majority_numerator"], majority_denominator=meeting["majority_denominator"],
        chains=MappingProxyType({k: chains[k] for k in DISPOSITIONS}), source_text=text,
        attachment_max_mb=_attachment_max_mb(doc, source), travel=_travel(doc, source),
        discipline_threshold_months=_discipline_threshold(doc, source),
    )


def _discipline_threshold(doc: dict, source: str) -> int:
    table = doc.get("discipline", {})
    if not isinstance(table, dict) or set(table) - {"threshold_months"}:
        raise _bad("[discipline] 只能含 threshold_months", "[discipline] may hold threshold_months only", source)
    value = table.get("threshold_months", 3)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24:
        raise _bad(f"[discipline] threshold_months 须为 1 到 24 之间的整数（现为 {value!r}）",
                   f"[discipline] threshold_months must be an integer from 1 to 24 (got {value!r})", source)
    return value


def default_policy_text() -> str:
    return resources.files("statemachines").joinpath("default_policy.toml").read_text(encoding="utf-8")


def default_policy() -> Policy:
    return parse_policy(default_policy_text(), "default_policy.toml")
