"""Guard facts and checks that the lifecycle needs beyond the case itself (DOMAIN.md §5, §6)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from .codes import TIER_LABELS
from .errors import BadInput
from .isodate import parse_iso_date


@dataclass(frozen=True)
class SearchSummary:
    """The search log of a case as the guards see it."""
    tiers: frozenset[str] = field(default_factory=frozenset)  # tiers with at least one attempt
    first_reached_on: date | None = None                        # earliest entry with outcome `reached`


def search_exhausted_refusal(search: SearchSummary, required: tuple[str, ...]) -> tuple[str, str] | None:
    """None when every required tier has an attempt ("经多方努力确实无法取得联系"), else why not."""
    missing = [t for t in required if t not in search.tiers]
    if not missing:
        return None
    zh = "、".join(TIER_LABELS[t] for t in missing)
    return (f"查找未穷尽：缺少{zh}渠道的查找记录",
            f"search not exhausted: no attempt in tier(s) {', '.join(missing)} (R6, §5)")


MEETING_KEYS = ("date", "entitled", "present", "for", "against", "abstain")
MAX_MEETING_COUNT = 1_000_000  # any head count of a meeting: the file, the form and the API alike


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _refusing_duplicates(pairs: list[tuple[str, object]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


@dataclass(frozen=True)
class Meeting:
    """A branch general meeting (支部党员大会) and its vote."""
    held_on: date
    entitled: int
    present: int
    votes_for: int
    against: int
    abstain: int

    @classmethod
    def from_json(cls, text: str, source: str) -> "Meeting":
        """A meeting file: one JSON object of exactly the six keys, none twice (the last would silently win)."""
        try:
            data = json.loads(text, object_pairs_hook=_refusing_duplicates)
        except _DuplicateKey as twice:
            raise _meeting_error(source, f"键 {twice.key} 出现了不止一次", f"key {twice.key} appears more than once") \
                from None
        except RecursionError:
            raise _meeting_error(source, "嵌套层数过多，不是会议文件", "nested too deeply to be a meeting file") from None
        except ValueError as exc:  # JSONDecodeError, and integers of more than 4,300 digits
            raise _meeting_error(source, f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}") from None
        return cls.from_mapping(data, source)

    @classmethod
    def from_mapping(cls, data: object, source: str) -> "Meeting":
        def bad(zh: str, en: str) -> BadInput:
            return _meeting_error(source, zh, en)

        if not isinstance(data, dict):
            raise bad("须为 JSON 对象", "must be a JSON object")
        for key in MEETING_KEYS:
            if key not in data:
                raise bad(f"缺少键 {key}", f"missing key {key}")
        unknown = sorted(str(key)[:40] for key in data if key not in MEETING_KEYS)
        if unknown:
            raise bad(f"含未知键 {'、'.join(unknown)}（只能有 {'、'.join(MEETING_KEYS)}）",
                      f"unknown key(s) {', '.join(unknown)} (only {', '.join(MEETING_KEYS)})")
        try:
            held_on = parse_iso_date(data["date"])
        except ValueError:
            raise bad(f"date 不是 YYYY-MM-DD：{str(data['date'])[:20]}",
                      f"date is not YYYY-MM-DD: {str(data['date'])[:20]}") from None
        numbers = {}
        for key in MEETING_KEYS[1:]:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad(f"{key} 须为整数（现为 {value!r}）", f"{key} must be an integer (got {value!r})")
            if not 0 <= value <= MAX_MEETING_COUNT:
                raise bad(f"{key} 须在 0 到 {MAX_MEETING_COUNT} 之间（现为 {str(value)[:20]}）",
                          f"{key} must be from 0 to {MAX_MEETING_COUNT} (got {str(value)[:20]})")
            numbers[key] = value
        if numbers["present"] > numbers["entitled"]:
            raise bad(f"实到人数 {numbers['present']} 超过应到人数 {numbers['entitled']}",
                      f"present {numbers['present']} exceeds entitled {numbers['entitled']}")
        if numbers["for"] + numbers["against"] + numbers["abstain"] > numbers["present"]:
            raise bad("赞成、反对、弃权之和超过实到人数", "for + against + abstain exceeds present")
        return cls(held_on, numbers["entitled"], numbers["present"], numbers["for"], numbers["against"],
                   numbers["abstain"])

    def as_dict(self) -> dict:
        return {"date": self.held_on.isoformat(), "entitled": self.entitled, "present": self.present,
                "for": self.votes_for, "against": self.against, "abstain": self.abstain}


def _meeting_error(source: str, zh: str, en: str) -> BadInput:
    return BadInput(f"会议文件 {source}：{zh}", f"meeting file {source}: {en}")


def meeting_window_refusal(meeting: Meeting, step_entered_on: date | None,
                           effective_on: date) -> tuple[str, str] | None:
    """A meeting is dated no later than the action recording it and no earlier than the step (§6.2)."""
    if meeting.held_on > effective_on:
        return (f"会议日期 {meeting.held_on} 晚于记录日期 {effective_on}",
                f"the meeting date {meeting.held_on} is after the action's date {effective_on}")
    if step_entered_on and meeting.held_on < step_entered_on:
        return (f"会议日期 {meeting.held_on} 早于案件进入支部党员大会环节的日期 {step_entered_on}",
                f"the meeting date {meeting.held_on} is before the case entered meeting_resolution "
                f"({step_entered_on})")
    return None
