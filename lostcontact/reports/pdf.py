"""HTML → PDF through WeasyPrint (optional extra `pdf`; needs Debian's Pango and a CJK font). Without it,
asking for a PDF is bad input (exit 4) and nothing is written."""
from __future__ import annotations

from pathlib import Path

from statemachines.errors import BadInput

from ..templating import TEMPLATES


def pdf_engine():
    """The WeasyPrint HTML class, or BadInput saying how to install it."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Python package is there but Pango is not
        raise BadInput("本机未安装 PDF 引擎（WeasyPrint 及 Pango），无法输出 PDF，未写入任何文件；请改用 .html，"
                       "或安装：pip install 'lostcontact[pdf]' 与 apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                       "libharfbuzz-subset0 fonts-noto-cjk",
                       "no PDF engine is installed (WeasyPrint with Pango): nothing was written; use .html, or "
                       "install pip install 'lostcontact[pdf]' and the Debian packages libpango-1.0-0 "
                       f"libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk ({type(exc).__name__}: {exc})") from None
    return HTML


def pdf_available() -> bool:
    try:
        pdf_engine()
    except BadInput:
        return False
    return True


def write_pdf(html: str, path: Path) -> None:
    """Check the engine first, so a missing one leaves no file behind."""
    engine = pdf_engine()
    data = engine(string=html, base_url=str(TEMPLATES)).write_pdf()
    path.write_bytes(data)
