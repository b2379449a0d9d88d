"""证件管理 · 公安记录: the exit-entry liaison (or an admin) uploads the exit-entry administration's files — the
documents it holds (holdings) and the exits and entries (crossings) — through the very pages of 导入名册
(imports.add_desk: kept on the server, dry run listing every bad row with its row, column, masked value and
reason, then 确认导入, all or nothing), with the importer of `police import`.

The checks (M1, P1–P7) read what was imported: the daily sweep runs them all as of its day (nothing to do), and
a cadre supervisor may run them at once from 问题 (POST /travel/problems/checks, the service of `checks run`,
set-based over the runner's subtrees)."""
from __future__ import annotations

from fastapi import APIRouter

from ...importing.police_columns import CROSSING_COLUMNS, HOLDING_COLUMNS
from ..travel_pages import require_travel_user
from .imports import Desk, add_desk

router = APIRouter(include_in_schema=False)

POLICE = Desk("/travel/police", {"police_holdings": "公安持证记录", "police_crossings": "公安出入境记录"},
              {kind: "、".join(c.zh for c in columns if c.required)
               for kind, columns in (("police_holdings", HOLDING_COLUMNS), ("police_crossings", CROSSING_COLUMNS))},
              ("导入公安出入境管理部门记录须由公安出入境管理部门联络员或系统管理员执行",
               "importing the administration's records needs an exit_entry_liaison or admin grant"),
              form_template="pages/travel_police.html", review_template="pages/travel_police_review.html",
              context={"tab": "police"}, gate=require_travel_user)
add_desk(router, POLICE)

