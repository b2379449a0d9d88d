"""A self-report typed into the browser (seed 002 附件1 as a form): rows of documents and of trips, each row's
fields named `doc3_number`, `trip1_departure_on` …, read into the lines `self-report submit` takes by the same
reader as a report file (services.travel.self_report_file: document_line, trip_line), its refusals naming the
row and the field in Chinese. A row left wholly blank is no line."""
from __future__ import annotations

from starlette.datastructures import FormData

from statemachines.errors import UsageError
from statemachines.travel.self_report import DocumentLine, TripLine

from ..services.travel.self_report_file import document_line, trip_line
from . import forms

DOCUMENT_FIELDS = {"kind": "证件类别", "number": "证件号码", "issued_on": "签发日期", "expires_on": "有效期至",
                   "name_on_document": "证件上的姓名", "kept_at": "保管机构", "remark": "备注",
                   "self_corrected": "自查纠正", "correction": "纠正情况"}
TRIP_FIELDS = {"departure_on": "出境日期", "return_on": "入境日期", "destinations": "所到国家（地区）", "reason": "事由",
               "approved": "是否经批准", "approving_authority": "审批机构", "remark": "备注",
               "self_corrected": "自查纠正", "correction": "纠正情况"}
MAX_ROWS = 30
BLANK_DOCUMENT_ROWS, BLANK_TRIP_ROWS = 2, 2
_FLAGS = {"on": True, "yes": True, "no": False}


def _rows(form: FormData, name: str, blank: int) -> int:
    count = forms.integer(form, name, "行数")
    if count is None:
        return blank
    if not 0 <= count <= MAX_ROWS:
        raise UsageError(f"每类最多填 {MAX_ROWS} 行", f"at most {MAX_ROWS} rows of each kind")
    return count


def row_counts(form: FormData) -> tuple[int, int]:
    """How many document and trip rows the posted form had."""
    return _rows(form, "doc_rows", BLANK_DOCUMENT_ROWS), _rows(form, "trip_rows", BLANK_TRIP_ROWS)


def _item(form: FormData, prefix: str, fields: dict[str, str]) -> dict | None:
    """The row's fields as the report file has them (empty ones left out); None for a blank row."""
    item: dict = {}
    for key, label in fields.items():
        value = forms.text(form, f"{prefix}_{key}", label=label)
        if value is None:
            continue
        item[key] = _FLAGS.get(value, value) if key in ("self_corrected", "approved") else value
    if not any(v for k, v in item.items() if k != "self_corrected") and not item.get("self_corrected"):
        return None
    return item


def report_lines(form: FormData) -> tuple[tuple[DocumentLine, ...], tuple[TripLine, ...]]:
    """The documents and trips of a posted report form, or BadInput naming the row and the field."""
    documents, trips = row_counts(form)
    doc_lines, trip_lines = [], []
    for n in range(1, documents + 1):
        item = _item(form, f"doc{n}", DOCUMENT_FIELDS)
        if item is not None:
            doc_lines.append(document_line(item, f"证件第 {n} 行", lambda key: DOCUMENT_FIELDS.get(key, key)))
    for n in range(1, trips + 1):
        item = _item(form, f"trip{n}", TRIP_FIELDS)
        if item is not None:
            trip_lines.append(trip_line(item, f"出国（境）第 {n} 行", lambda key: TRIP_FIELDS.get(key, key)))
    return tuple(doc_lines), tuple(trip_lines)


def prefilled_rows(report: dict) -> dict:
    """A report file's shape (prefilled_report) as the form's typed values, with the row counts."""
    typed: dict[str, str] = {}
    for n, doc in enumerate(report["documents"], 1):
        for key in DOCUMENT_FIELDS:
            value = doc.get(key)
            if value not in (None, False):
                typed[f"doc{n}_{key}"] = "on" if value is True else str(value)
    for n, trip in enumerate(report["trips"], 1):
        for key in TRIP_FIELDS:
            value = trip.get(key)
            if key == "approved":
                typed[f"trip{n}_approved"] = "yes" if value else "no"
            elif key == "destinations":
                typed[f"trip{n}_destinations"] = "、".join(value or ())
            elif value not in (None, False):
                typed[f"trip{n}_{key}"] = "on" if value is True else str(value)
    typed["doc_rows"] = str(len(report["documents"]) + BLANK_DOCUMENT_ROWS)
    typed["trip_rows"] = str(len(report["trips"]) + BLANK_TRIP_ROWS)
    if report.get("notes"):
        typed["notes"] = report["notes"]
    return typed
