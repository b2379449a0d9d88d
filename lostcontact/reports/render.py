"""Producing a form or the tally in a format, to a file or to stdout — what `lostcontact tally` and
`lostcontact render` call (and the web downloads can). A file is written whole or not at all."""
from __future__ import annotations

import io
import json
import os
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, TextIO

from models.db import Database
from statemachines.errors import BadInput, UsageError

from ..permissions import load_actor
from ..queries import registers as register_queries
from ..queries.records import case_record
from ..queries.tally import TallyNode, compute_tally, tally_root
from ..services.dates import check_as_of
from ..uow import UnitOfWork
from . import form_notes, summaries
from . import registers as forms
from .html import render_html, write_html, write_sheet_html
from .kinds import REGISTERS, SUFFIXES, TALLY_FORMATS, RegisterKind  # noqa: F401  (re-exported: web, tests)
from .kinds import MEMBER_FORMS
from .labels import LABELS
from .layout import Sheet
from .pdf import pdf_engine, write_pdf
from .tally_sheet import tally_sheet, write_tally_csv
from .xlsx import write_xlsx


def format_of(path: Path | None, allowed: tuple[str, ...]) -> str:
    """The format `-o` asks for by its extension (HTML without -o); one this command cannot make is bad input."""
    if path is None:
        return "html"
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt not in allowed:
        wanted = "、".join(f".{a}" for a in allowed)
        raise BadInput(f"无法输出 {path.name} 的格式（可用扩展名：{wanted}），未写入任何文件",
                       f"cannot produce {path.name}: use one of {', '.join('.' + a for a in allowed)}; nothing written")
    if fmt == "pdf":
        pdf_engine()  # say so before any work, and write nothing
    return fmt


@contextmanager
def atomic_file(path: Path, binary: bool = False) -> Iterator:
    """A temporary file beside `path`, renamed onto it only when everything was written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(tmp, "wb" if binary else "w", encoding=None if binary else "utf-8", newline=None if binary else "") \
                as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput(f"无法写入 {path}：{exc.strerror}", f"cannot write {path}: {exc.strerror}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _emit_text(path: Path | None, stdout: TextIO | None, write: Callable[[TextIO], None]) -> None:
    if path is None:
        write(stdout or sys.stdout)  # looked up now: a test runner may have replaced it
        return
    with atomic_file(path) as handle:
        write(handle)


def _emit_sheet(sheet: Sheet, fmt: str, path: Path | None, stdout: TextIO | None, sheet_name: str) -> None:
    if fmt == "xlsx":
        with atomic_file(path, binary=True) as handle:
            write_xlsx(sheet, handle, sheet_name=sheet_name)
    elif fmt == "pdf":
        buffer = io.StringIO()
        write_sheet_html(sheet, buffer)
        write_pdf(buffer.getvalue(), path)
    else:
        _emit_text(path, stdout, lambda out: write_sheet_html(sheet, out))


# ---- the tally ------------------------------------------------------------------------------------------


def write_tally(tree: TallyNode, as_of: date, fmt: str, path: Path | None, *, filled_on: date,
                stdout: TextIO | None = None) -> None:
    """json / csv / xlsx / html / pdf of a computed tally (the table format is the CLI's own printing)."""
    if fmt == "json":
        _emit_text(path, stdout, lambda out: out.write(json.dumps(tree.as_json(as_of), ensure_ascii=False,
                                                                  indent=2) + "\n"))
    elif fmt == "csv":
        _emit_text(path, stdout, lambda out: write_tally_csv(tree, as_of, out))
    elif fmt in ("xlsx", "html", "pdf"):
        if fmt in ("xlsx", "pdf") and path is None:
            raise UsageError(f"--format {fmt} 需要 -o 文件名", f"--format {fmt} needs -o FILE")
        if fmt == "pdf":
            pdf_engine()  # say so before any work, and write nothing
        _emit_sheet(tally_sheet(tree, as_of, filled_on), fmt, path, stdout, "统计表")
    else:
        raise UsageError(f"--format 只能是 {'|'.join(TALLY_FORMATS)}", f"--format must be one of {'|'.join(TALLY_FORMATS)}")


# ---- registers ------------------------------------------------------------------------------------------

def register_kind(kind: str) -> RegisterKind:
    if kind not in REGISTERS:
        raise UsageError(f"未知登记表 {kind}（可用：{'、'.join(REGISTERS)}）",
                         f"unknown register {kind} (one of: {', '.join(REGISTERS)})")
    return REGISTERS[kind]


def render_register(db: Database, kind: str, *, today: date, org_code: str | None = None,
                    as_of: date | None = None, actor_login: str | None = None, path: Path | None = None,
                    stdout: TextIO | None = None) -> None:
    spec = register_kind(kind)
    fmt = format_of(path, spec.formats)
    day = check_as_of(as_of, today)
    if kind in MEMBER_FORMS:  # seed 003 附件1, 2, 4, 8: from the roster, not from the cases
        from .member_forms import render_member_form
        render_member_form(db, kind, fmt, day=day, today=today, org_code=org_code, actor_login=actor_login,
                           path=path, stdout=stdout)
        return
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        root = tally_root(s, actor, org_code)
        dated = {"as_of": day, "filled_on": today}
        if kind in ("summary", "disposition-summary"):
            unreached = register_queries.unreached_summary(s, root, day)
            sheet = (summaries.summary_sheet(unreached, **dated) if kind == "summary" else
                     summaries.disposition_summary_sheet(compute_tally(s, root, day), ended=unreached, **dated))
            _emit_sheet(sheet, fmt, path, stdout, kind)
            return
        rows = register_queries.register_rows(s, root, day, actor)
        if kind == "search-record":
            blocks = register_queries.with_search_logs(s, rows, day)
            if fmt == "xlsx":
                _emit_sheet(forms.search_record_sheet(blocks, unit_name=root.name, **dated), fmt, path, stdout, kind)
                return
            context = {"blocks": blocks, "unit": root, "as_of": day, "labels": LABELS, "remarks": forms.remarks,
                       "notes": form_notes.SEARCH_RECORD, "notes_title": form_notes.NOTES_TITLE}
            if fmt == "pdf":
                write_pdf(render_html("forms/search_record.html", **context), path)
            else:
                _emit_text(path, stdout, lambda out: write_html("forms/search_record.html", out, **context))
            return
        build = {"found": forms.found_sheet, "unreached": forms.unreached_sheet,
                 "unreached-committee": forms.unreached_committee_sheet, "roster": forms.roster_sheet}[kind]
        _emit_sheet(build(rows, unit_name=root.name, **dated), fmt, path, stdout, kind)


# ---- the 纪实表 of one case -----------------------------------------------------------------------------

def render_record(db: Database, case_id: int, *, today: date, as_of: date | None = None,
                  actor_login: str | None = None, path: Path | None = None, stdout: TextIO | None = None) -> None:
    fmt = format_of(path, ("html", "pdf"))
    record = case_record(db, case_id, today=today, as_of=as_of, actor_login=actor_login)
    html = render_html("forms/record.html", rec=record, labels=LABELS, notes=form_notes.RECORD)
    if fmt == "pdf":
        write_pdf(html, path)
    else:
        _emit_text(path, stdout, lambda out: out.write(html))
