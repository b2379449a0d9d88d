"""Every existing form of the fixed scenario printed once into a folder: HTML, PDF through WeasyPrint, XLSX,
and (on request) each XLSX converted to PDF by LibreOffice headless, as a county office would print it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from lostcontact.queries.tally import tally
from lostcontact.reports.kinds import REGISTERS
from lostcontact.reports.render import render_record, render_register, write_tally

from ..tally.scenario import PAST, TODAY

SEED_TEXT = Path(__file__).parent / "seed_text"
RECORD_MEMBER = "赵六"


@dataclass(frozen=True)
class Form:
    key: str             # the register kind, "tally" or "record"; names its seed_text file
    title: str
    has_xlsx: bool = True


FORMS = (*(Form(kind, spec.title.split(" ")[-1]) for kind, spec in REGISTERS.items()),  # “附件5 经查找…” → “经查找…”
         Form("tally", "与党组织失去联系党员规范管理和组织处置有关情况统计表"),
         Form("record", "失联党员查找处置全程纪实表", has_xlsx=False))


def seed_notes(key: str) -> list[str]:
    """The seed's notes of a form, one a line: what tests/reports/seed_text/KEY.txt holds, copied from the
    seed, without its indentation, blank lines and the private-use marks of the word processor it came from."""
    return [line for line in (text_line(raw) for raw in (SEED_TEXT / f"{key}.txt").read_text("utf-8").splitlines())
            if line]


def text_line(raw: str) -> str:
    return re.sub(r"[\ue000-\uf8ff]", "", raw).strip(" \t\u3000\u00a0")


def html_notes(html: str) -> list[str]:
    return [unescape(text) for text in re.findall(r'<p class="note">(.*?)</p>', html, flags=re.S)]


def render_all(db, scenario, out: Path, *, formats: tuple[str, ...] = ("html", "xlsx")) -> None:
    """FORM.html, FORM.xlsx (and FORM.pdf when asked) for every form, as of PAST (a day with every kind of case)."""
    tree, day = tally(db, today=TODAY, as_of=PAST)
    for fmt in formats:
        write_tally(tree, day, fmt, out / f"tally.{fmt}", filled_on=TODAY)
        for kind in REGISTERS:
            render_register(db, kind, today=TODAY, as_of=PAST, path=out / f"{kind}.{fmt}")
        if fmt != "xlsx":
            render_record(db, scenario.cases[RECORD_MEMBER], today=TODAY, path=out / f"record.{fmt}")


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(workbooks: list[Path], out: Path, profile: Path) -> None:
    """Every workbook to PDF in one run of LibreOffice headless, with a profile of its own (parallel runs
    would otherwise fight over the user's)."""
    out.mkdir(exist_ok=True)
    subprocess.run([libreoffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, workbooks)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(profile)})


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, with every blank removed (a wrapped heading breaks lines; the words stay)."""
    from pypdf import PdfReader

    return [re.sub(r"\s+", "", page.extract_text() or "") for page in PdfReader(str(path)).pages]


def page_size_mm(path: Path) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(str(path)).pages[0].mediabox
    return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)
