"""Reading the 家庭主要成员及重要社会关系 cell of the roster (seed 003 附件1 note 8) into the JSON list the member
keeps (models/members.py says why a list in a column rather than a child table)."""
from __future__ import annotations

import json
import re

from .problems import BadValue
from .values import Cell, birth_date, clean_text


_FAMILY_ENTRIES = re.compile(r"[;；\n]+")
_FAMILY_FIELDS = re.compile(r"[\s,，、]+")
_BIRTH_MONTH = re.compile(r"^\d{4}(?:[-/.年]\d{1,2}月?(?:[-/.]\d{1,2}日?)?)?$")


def family(raw: Cell) -> str:
    """One cell listing the members (配偶、子女、父母等), as “配偶 李某 1986-03 群众 某公司职员；儿子 张某 2012-09”:
    entries apart by ；, each 称谓 姓名 then optionally 出生年月, 政治面貌 and 工作单位及职务, apart by spaces or ，.
    Kept as a JSON list (models/members.py says why); an entry without 称谓 and 姓名 is refused."""
    entries = []
    for number, chunk in enumerate((c for c in _FAMILY_ENTRIES.split(clean_text(raw)) if c.strip()), start=1):
        parts = [p for p in _FAMILY_FIELDS.split(chunk.strip()) if p]
        if len(parts) < 2:
            raise BadValue(f"第{number}位家庭成员应至少写明称谓和姓名（如“配偶 李某 1986-03 群众 某公司职员”，各成员以；分隔）",
                           f"family member {number} needs at least a relation and a name (e.g. "
                           "“配偶 李某 1986-03 群众 某公司职员”, members apart by ；)")
        relation, name, rest = parts[0], parts[1], parts[2:]
        birth = None
        if rest and _BIRTH_MONTH.match(rest[0]):
            day = birth_date(rest.pop(0)) if not rest[0].isdigit() else None
            if day is None:
                raise BadValue(f"第{number}位家庭成员的出生年月只有年份", f"family member {number}: a year alone is not a birth month")
            birth = f"{day:%Y-%m}"
        political = rest.pop(0) if len(rest) > 1 else None
        entries.append({"relation": relation, "name": name, "birth": birth, "political": political,
                        "work": " ".join(rest) or None})
    if not entries:
        raise BadValue("家庭成员为空", "no family member given")
    return json.dumps(entries, ensure_ascii=False)
