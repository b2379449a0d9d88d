"""A self-report as a JSON file (the paper form of seed 002 附件1 typed in): read all or nothing, every bad
field named (exit 4), before anything is written.

    {"documents": [{"kind": "passport_private", "number": "E12345678", "issued_on": "2019-05-01",
                    "expires_on": "2029-04-30", "name_on_document": "王五", "kept_at": "区委组织部",
                    "remark": "", "self_corrected": false, "correction": null}],
     "trips": [{"departure_on": "2018-02-10", "return_on": "2018-02-17", "destinations": ["泰国"],
                "reason": "旅游", "approved": true, "approving_authority": "区委组织部", "remark": ""}],
     "notes": "其他需要说明情况", "pledge_signed": true}

`documents` and `trips` may be left out; `pledge_signed` may instead be given on the command line (--signed)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from statemachines.errors import BadInput, UsageError
from statemachines.travel.codes import DOCUMENT_KINDS
from statemachines.travel.self_report import DocumentLine, TripLine

from .documents import document_number

_TEXT_LIMITS = {"name_on_document": 100, "kept_at": 200, "approving_authority": 200, "reason": 400}


@dataclass(frozen=True)
class ReportFile:
    documents: tuple[DocumentLine, ...]
    trips: tuple[TripLine, ...]
    notes: str | None
    pledge_signed: bool


def _bad(where: str, zh: str, en: str) -> BadInput:
    return BadInput(f"{where}：{zh}", f"{where}: {en}")


def _as_typed(key: str) -> str:
    """A field as the file names it (its key); a web form passes its Chinese labels instead."""
    return key


def _date(item: dict, key: str, where: str, name: Callable[[str], str], *, required: bool = True) -> date | None:
    value = item.get(key)
    if value in (None, "") and not required:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _bad(where, f"{name(key)} 应为日期 YYYY-MM-DD（现为 {value!r}）",
                   f"{key} is not a date YYYY-MM-DD") from None


def _text(item: dict, key: str, where: str, name: Callable[[str], str] = _as_typed) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(where, f"{name(key)} 应为文字", f"{key} is not text")
    limit = _TEXT_LIMITS.get(key, 2000)
    if len(value) > limit:
        raise _bad(where, f"{name(key)} 不能超过 {limit} 个字符", f"{key} is longer than {limit} characters")
    return value.strip() or None


def _flag(item: dict, key: str, where: str, name: Callable[[str], str] = _as_typed) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise _bad(where, f"{name(key)} 应为 true 或 false", f"{key} is not true/false")
    return value


def document_line(item, where: str, name: Callable[[str], str] = _as_typed) -> DocumentLine:
    """One line of 本人持有因私出入境证件情况 (the file's keys); BadInput naming `where` and the field."""
    if not isinstance(item, dict):
        raise _bad(where, "应为对象", "is not an object")
    kind = item.get("kind")
    if kind not in DOCUMENT_KINDS:
        raise _bad(where, f"未知证件类别 {kind!r}（{'|'.join(DOCUMENT_KINDS)}）", f"unknown kind {kind!r}")
    try:
        number = document_number(str(item.get("number") or ""))
    except UsageError as error:
        raise _bad(where, error.zh, error.en) from None
    return DocumentLine(kind=kind, number=number, expires_on=_date(item, "expires_on", where, name),
                        issued_on=_date(item, "issued_on", where, name, required=False),
                        name_on_document=_text(item, "name_on_document", where, name),
                        kept_at=_text(item, "kept_at", where, name), remark=_text(item, "remark", where, name),
                        self_corrected=_flag(item, "self_corrected", where, name),
                        correction=_text(item, "correction", where, name))


def trip_line(item, where: str, name: Callable[[str], str] = _as_typed) -> TripLine:
    """One line of 本人因私出国（境）情况 (the file's keys); BadInput naming `where` and the field."""
    if not isinstance(item, dict):
        raise _bad(where, "应为对象", "is not an object")
    places = item.get("destinations")
    if isinstance(places, str):
        places = [p for p in places.replace("，", "、").replace(",", "、").split("、")]
    if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
        raise _bad(where, f"{name('destinations')} 应为国家（地区）列表", "destinations is not a list of places")
    places = tuple(p.strip() for p in places if p.strip())
    if len("、".join(places)) > 400:
        raise _bad(where, f"{name('destinations')} 不能超过 400 个字符", "destinations is longer than 400 characters")
    if "approved" not in item:
        raise _bad(where, "须填 approved（是否经批准）" if name is _as_typed else f"须选择“{name('approved')}”",
                   "approved (true/false) is required")
    return TripLine(departure_on=_date(item, "departure_on", where, name),
                    return_on=_date(item, "return_on", where, name), destinations=places,
                    reason=_text(item, "reason", where, name) or "", approved=_flag(item, "approved", where, name),
                    approving_authority=_text(item, "approving_authority", where, name),
                    remark=_text(item, "remark", where, name),
                    self_corrected=_flag(item, "self_corrected", where, name),
                    correction=_text(item, "correction", where, name))


def read_report_file(path: str | Path) -> ReportFile:
    """The report in `path`; BadInput naming the file, the line and the field when anything is wrong."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError:
        raise BadInput(f"无法读取文件 {name}", f"cannot read {name}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BadInput(f"{name} 不是有效的 JSON（{error}）", f"{name} is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise BadInput(f"{name} 应为一个 JSON 对象", f"{name} is not a JSON object")
    unknown = set(data) - {"documents", "trips", "notes", "pledge_signed"}
    if unknown:
        raise BadInput(f"{name} 含未知字段 {'、'.join(sorted(unknown))}", f"{name} has unknown fields {sorted(unknown)}")
    lists = {}
    for key in ("documents", "trips"):
        lists[key] = data.get(key) or []
        if not isinstance(lists[key], list):
            raise BadInput(f"{name}：{key} 应为列表", f"{name}: {key} is not a list")
    documents = tuple(document_line(item, f"{name} 证件第 {n} 行") for n, item in enumerate(lists["documents"], 1))
    trips = tuple(trip_line(item, f"{name} 出国（境）第 {n} 行") for n, item in enumerate(lists["trips"], 1))
    return ReportFile(documents, trips, _text(data, "notes", name), _flag(data, "pledge_signed", name))
