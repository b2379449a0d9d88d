"""统计: the A–X tally of an org as of a date (DOMAIN.md §8), its children one click down, a stacked bar
chart of where each child's members stand, and the downloads."""
from __future__ import annotations

import io
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from statemachines.tally import COLUMNS

from ...queries.tally import tally
from ...reports.html import write_sheet_html
from ...reports.tally_sheet import tally_sheet, write_tally_csv
from ...reports.xlsx import write_xlsx
from ...services.auth import Account
from ..api.schemas import Day
from ..charts import stacked_bars
from ..deps import page_user, web_config
from ..render import page
from ..security import printed_form
from .printed import register_links, with_print_button

router = APIRouter(include_in_schema=False)

# The columns that partition A (A = B + O + X, B = C + G + M + N, O = P + S + V + W): every member once.
PARTITION = ("C", "G", "M", "N", "P", "S", "V", "W", "X")
PARTITION_LABELS = {"C": "纳入组织管理", "G": "组织处置出党（已联系）", "M": "开除党籍（已联系）", "N": "尚在调查核实",
                    "P": "组织处置出党（未联系）", "S": "停止党籍（未联系）", "V": "开除党籍（未联系）",
                    "W": "尚在查找", "X": "确认死亡"}

DOWNLOADS = (("xlsx", "下载 Excel（XLSX）"), ("csv", "下载 CSV"), ("html", "打印版（附件5 格式）"))


@router.get("/tally")
def tally_page(request: Request, org: str | None = Query(None, max_length=64), as_of: Day | None = None,
               account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    today = config.today()
    node, day = tally(config.db, today=today, org_code=org or None, as_of=as_of, actor_login=account.login,
                      home=True)

    def link(child_code: str) -> str:
        return "/tally?" + urlencode({"org": child_code, "as_of": day.isoformat()})

    chart = stacked_bars([(f"{c.code} {c.name}", c.columns, link(c.code) if c.children else None)
                          for c in node.children], PARTITION)
    query = urlencode({"org": node.code, "as_of": day.isoformat()})
    return page(request, "pages/tally.html", {
        "node": node, "as_of": day, "today": today, "columns": COLUMNS, "chart": chart, "link": link,
        "partition": PARTITION, "partition_labels": PARTITION_LABELS, "query": query,
        "downloads": DOWNLOADS, "registers": register_links(node.code, day)})


@router.get("/tally/download/{fmt}")
def download(request: Request, fmt: Literal["xlsx", "csv", "html"], org: str | None = Query(None, max_length=64),
             as_of: Day | None = None, account: Account = Depends(page_user)) -> Response:
    """The same tally as the page, as the official sheet (XLSX, or HTML to print) or as CSV."""
    config = web_config(request)
    today = config.today()
    node, day = tally(config.db, today=today, org_code=org or None, as_of=as_of, actor_login=account.login,
                      home=True)
    name = f"tally-{node.code}-{day.isoformat()}"
    if fmt == "html":
        out = io.StringIO()
        write_sheet_html(tally_sheet(node, day, today), out)
        back = "/tally?" + urlencode({"org": node.code, "as_of": day.isoformat()})
        return printed_form(with_print_button(out.getvalue(), back, "返回统计"))
    if fmt == "csv":
        out = io.StringIO()
        write_tally_csv(node, day, out)
        # with a BOM, so that Excel opens the Chinese names as UTF-8
        return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    out_bytes = io.BytesIO()
    write_xlsx(tally_sheet(node, day, today), out_bytes, sheet_name="统计表")
    return Response(out_bytes.getvalue(),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
