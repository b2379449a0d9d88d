"""Writing the exit-entry administration's files for a test and importing them through the importer (the path
every police record takes)."""
from __future__ import annotations

from datetime import date

from lostcontact.importing import import_file

HOLDINGS_ZH = "身份证号,姓名,证件类别,证件号码,签发日期,有效期至,证件状态"
HOLDINGS_EN = "id_number,name,kind,number,issued_on,expires_on,status"
CROSSINGS_ZH = "身份证号,证件类别,证件号码,出入境,出入境日期,口岸,前往地"
CROSSINGS_EN = "id_number,document_kind,document_number,direction,crossed_on,port,destination"


def write(tmp_path, name: str, *lines: str):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def holding(id_number: str, name: str, number: str, *, kind: str = "passport_private", issued: str = "2024-02-01",
            expires: str = "2034-02-01", status: str = "valid") -> str:
    return f"{id_number},{name},{kind},{number},{issued},{expires},{status}"


def import_holdings(db, tmp_path, *rows: str, today: date, actor: str | None = "liaison1", name: str = "holdings.csv"):
    return import_file(db, "police_holdings", write(tmp_path, name, HOLDINGS_EN, *rows), today=today, actor=actor)
