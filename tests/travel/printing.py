"""Printing a travel form as on paper: its XLSX through LibreOffice and its PDF through WeasyPrint, each one
page wide with the title and the header on page 1."""
from __future__ import annotations

import pytest

from lostcontact.reports.pdf import pdf_available

from ..reports.printed import convert_with_libreoffice, libreoffice, pdf_pages


def assert_prints_on_one_page(render, tmp_path, name: str, *words: str) -> None:
    """`render(path)` writes the form; both printed versions are one page holding `words`."""
    if libreoffice() is None or not pdf_available():
        pytest.skip("LibreOffice or WeasyPrint is NOT installed: the printed form is untested here")
    render(tmp_path / f"{name}.xlsx")
    render(tmp_path / f"{name}.pdf")
    convert_with_libreoffice([tmp_path / f"{name}.xlsx"], tmp_path / "lo", tmp_path / "profile")
    for pdf in (tmp_path / "lo" / f"{name}.pdf", tmp_path / f"{name}.pdf"):
        pages = pdf_pages(pdf)
        assert len(pages) == 1, pdf
        assert all(word in pages[0] for word in words), (pdf, pages[0][:400])
