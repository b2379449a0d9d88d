"""Reading posted form fields: an empty field is None, a malformed one a UsageError in Chinese and English
(the same sentence the CLI would give for a malformed option)."""
from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from statemachines.errors import UsageError
from statemachines.guards import Meeting
from statemachines.isodate import parse_iso_date

MAX_TEXT = 4000
MEETING_FIELDS = {"date": "会议日期", "entitled": "应到正式党员人数", "present": "实到人数", "for": "赞成",
                  "against": "反对", "abstain": "弃权"}
# what a message calls a field (a page never shows the form's field names)
FIELD_LABELS = {"opinion": "意见", "note": "查找过程", "witness": "证明人", "id_number": "身份证号", "at": "办理日期",
                "cause": "失去联系情形", "channel": "查找渠道", "outcome": "查找结果", "disposition": "处置",
                "trigger": "操作", "version": "版本", "to_branch": "转入党支部代码", "from_branch": "原党支部",
                "kept_at": "保管地点"}


def text(form: FormData, name: str, *, max_length: int = MAX_TEXT, label: str | None = None) -> str | None:
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) > max_length:
        raise UsageError(f"“{label or FIELD_LABELS.get(name, name)}”不能超过 {max_length} 个字符",
                         f"{name} is longer than {max_length} characters")
    return value or None


def integer(form: FormData, name: str, label: str | None = None) -> int | None:
    value = text(form, name, max_length=12)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"{label or FIELD_LABELS.get(name, name)} 须为整数：{value}",
                         f"{name} must be an integer: {value}") from None


def day(form: FormData, name: str, label: str | None = None) -> date | None:
    return parse_day(text(form, name, max_length=10), label or FIELD_LABELS.get(name, name), name)


def parse_day(value: str | None, label: str, name: str | None = None) -> date | None:
    """A date typed in a form or a query string (empty: none); a malformed one is the user's mistake."""
    if not value:
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        raise UsageError(f"{label}格式应为“年-月-日”（如 2016-06-20）：{value[:20]}",
                         f"{name or label} must be YYYY-MM-DD: {value[:20]}") from None


def meeting(form: FormData) -> Meeting | None:
    """The branch general meeting of resolve/reject, checked by the same rules as a meeting file."""
    raw = {key: text(form, f"meeting_{key}", max_length=12) for key in MEETING_FIELDS}
    if all(v is None for v in raw.values()):
        return None
    missing = [label for key, label in MEETING_FIELDS.items() if raw[key] is None]
    if missing:
        raise UsageError(f"请填写支部党员大会的{'、'.join(missing)}", "the meeting form is incomplete")
    data: dict[str, object] = {"date": raw["date"]}
    for key in list(MEETING_FIELDS)[1:]:
        data[key] = integer(form, f"meeting_{key}", MEETING_FIELDS[key])
    return Meeting.from_mapping(data, "（支部党员大会表单）")
