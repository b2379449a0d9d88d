"""The columns of the exit-entry administration's files (docs/travel-documents.md#police-records): English and
Chinese headers, which are required, how each cell is read. Light: the problem files and the docs read it."""
from __future__ import annotations

import re
import unicodedata

from statemachines.travel.codes import CROSSING_DIRECTIONS, DOCUMENT_KINDS, HOLDING_STATUSES

from . import values
from .columns import Column, _words
from .problems import BadValue

_NUMBER = re.compile(r"[A-Z0-9]{5,40}")

document_kind = values.choice(
    _words({k: v.label for k, v in DOCUMENT_KINDS.items()},
           {"身份证": "resident_id", "普通护照": "passport_private", "因私护照": "passport_private",
            "因公护照": "passport_official", "往来港澳通行证": "hkmo_private", "港澳通行证": "hkmo_private",
            "往来台湾通行证": "taiwan", "台湾通行证": "taiwan", "台胞证": "taiwan"}),
    "证件类别", "document kind", "|".join(DOCUMENT_KINDS) + " 或其中文名称")
holding_status = values.choice(_words(HOLDING_STATUSES, {"吊销": "revoked", "注销": "revoked", "已注销": "revoked",
                                                         "已吊销": "revoked", "已过期": "expired", "失效": "expired"}),
                               "证件状态", "document status", "|".join(HOLDING_STATUSES) + " 或 有效/过期/吊销/注销/挂失")
direction = values.choice(_words(CROSSING_DIRECTIONS, {"出": "exit", "入": "entry", "出境记录": "exit",
                                                       "入境记录": "entry"}),
                          "出入境方向", "direction", "exit|entry 或 出境/入境")


def document_number(raw: values.Cell) -> str:
    """A document number as the registry keeps it (services.travel.documents.document_number): 全角 folded,
    spaces removed, upper case; 5–40 letters and digits."""
    value = "".join(unicodedata.normalize("NFKC", values.clean_text(raw)).split()).upper()
    if not _NUMBER.fullmatch(value):
        raise BadValue("证件号码应为 5 到 40 位字母或数字", "a document number is 5 to 40 letters and digits")
    return value


ID = Column("id_number", "身份证号", values.id_number, required=True, is_id=True,
            aliases=("身份证号码", "公民身份号码", "公民身份证号码"))

HOLDING_COLUMNS = (
    ID,
    Column("name", "姓名", values.person_name, required=True),
    Column("kind", "证件类别", document_kind, required=True, aliases=("证件类型", "证件种类")),
    Column("number", "证件号码", document_number, required=True, aliases=("证件号",)),
    Column("issued_on", "签发日期", values.a_date, required=True, aliases=("签发时间",)),
    Column("expires_on", "有效期至", values.a_date, required=True, aliases=("有效期", "失效日期")),
    Column("status", "证件状态", holding_status, required=True, aliases=("状态",)),
)

CROSSING_COLUMNS = (
    ID,
    Column("document_kind", "证件类别", document_kind, required=True, aliases=("证件类型", "证件种类")),
    Column("document_number", "证件号码", document_number, required=True, aliases=("证件号",)),
    Column("direction", "出入境", direction, required=True, aliases=("出入境方向", "出入境类型")),
    Column("crossed_on", "出入境日期", values.a_date, required=True, aliases=("出入境时间", "日期")),
    Column("port", "口岸", values.text, required=True, aliases=("出入境口岸",)),
    Column("destination", "前往地", values.text, aliases=("目的地", "前往国家（地区）", "前往国家(地区)")),
)
