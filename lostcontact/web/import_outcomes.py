"""What a run of the importer on an uploaded file came to, as kept beside the file (JSON) and shown on the
import page: the counts of a dry run or a real one, or the refusal with every problem as data."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from statemachines.errors import LostContactError

from ..importing import ImportSummary
from ..reports.import_problems import ProblemRow

CHECKED = "checked"    # the dry run passed: the file may be imported
REFUSED = "refused"    # the dry run refused the file
DONE = "done"          # imported
FAILED = "failed"      # the real run refused it (the data changed since the dry run): nothing written

# The importer speaks the command line's options; a page names the fields of its form instead.
_WEB_WORDS = (("--encoding", "“文件编码”", "the encoding field"), ("--sheet", "“工作表”", "the sheet field"))


def web_words(zh: str, en: str) -> list[str]:
    for option, zh_word, en_word in _WEB_WORDS:
        zh, en = zh.replace(option, zh_word), en.replace(option, en_word)
    return [zh, en]


def outcome_of_summary(summary: ImportSummary, state: str, tz: str) -> dict:
    recorded = summary.recorded_at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if summary.recorded_at else None
    return {"state": state, "rows": summary.rows, "inserted": summary.inserted, "updated": summary.updated,
            "unchanged": summary.unchanged, "format": summary.format, "encoding": summary.encoding,
            "log_id": summary.log_id, "recorded_at": recorded,
            "warnings": [web_words(zh, en) for zh, en in summary.warnings]}


def outcome_of_error(error: LostContactError, state: str) -> dict:
    problems = [[p.row, p.column, p.value, *web_words(p.zh, p.en)] for p in getattr(error, "problems", ())]
    return {"state": state, "error": web_words(error.zh, error.en), "problems": problems,
            "unlisted": getattr(error, "unlisted", 0),
            # a refusal of the file as a whole may still carry lines of its own
            "details": [] if problems else [web_words(zh, en) for zh, en in error.details]}


def problem_rows(result: dict) -> list[ProblemRow]:
    return [ProblemRow(*problem) for problem in result.get("problems", ())]
