"""A programme's form served as the command line renders it: HTML to print from the browser (with the 打印 button
and a way back), or the XLSX / PDF file to download, written whole by the forms' writers or not at all."""
from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Callable

from starlette.responses import Response

from .pages.printed import XLSX, with_print_button
from .security import printed_form

PDF = "application/pdf"


def form_response(render: Callable[..., None], kind: str, fmt: str, *, day: date, back: str,
                  back_label: str) -> Response:
    """`render(stdout=…)` or `render(path=…)` — a form writer with its arguments bound — as a response."""
    if fmt == "html":
        out = io.StringIO()
        render(stdout=out)
        return printed_form(with_print_button(out.getvalue(), back, back_label))
    with tempfile.TemporaryDirectory() as folder:  # the writers stream to a file, written whole or not at all
        path = Path(folder) / f"{kind}.{fmt}"
        render(path=path)
        body = path.read_bytes()
    return Response(body, media_type=XLSX if fmt == "xlsx" else PDF,
                    headers={"Content-Disposition": f'attachment; filename="{kind}-{day.isoformat()}.{fmt}"'})
