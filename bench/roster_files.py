"""Seeded roster files for the import benchmark: an org tree, members (CSV and XLSX) and contact events.

Values are the clean, database-ready forms (ISO dates, M/F, 1/0, full/probationary) so the floor can insert
them without any conversion; the importer still parses and checks every cell. Members are generated in
a scrambled order of ID numbers, as a real roster is, so index inserts are not artificially sequential."""
from __future__ import annotations

import csv
import functools
import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from lostcontact.importing.values import with_check_digit

from .excel_writer import write_xlsx

TODAY = date(2016, 6, 20)
AREAS = ("410402", "410403", "410404", "410411", "410421", "410422", "410423", "410425", "410481", "410482")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文玉兰海燕雪梅鹏飞宇晨浩然子涵思远"
BIRTH_DAYS = 20_000                     # birth dates spread over 1940-01-01 + 20,000 days
FIRST_BIRTH = date(1940, 1, 1)

MEMBER_HEADER = ("身份证号", "姓名", "性别", "民族", "出生日期", "入党时间", "党员类别", "预备期开始日期", "联系电话",
                 "所在党支部代码", "职业", "是否流动党员", "外出流向", "外出日期", "是否已报告", "是否出国（境）")
# The members table columns the header maps to, in the same order (the floor inserts them as they are).
MEMBER_FIELDS = ("id_number", "name", "sex", "ethnicity", "birth_date", "join_date", "standing", "probation_start",
                 "phone", "branch_code", "occupation", "mobile", "flow_direction", "away_since", "reported", "abroad")
CONTACT_HEADER = ("身份证号", "日期", "类型")
KINDS = ("org_life", "dues", "other")


@dataclass(frozen=True)
class OrgTree:
    rows: list[tuple[str, str, str, str]]   # code, name, parent_code, level
    branches: list[str]


def org_tree(cities: int = 10, counties: int = 5, committees: int = 4, branches: int = 10) -> OrgTree:
    rows = [("410000", "河南省", "", "province")]
    leaves = []
    for c in range(cities):
        city = f"41{c + 1:02d}00"
        rows.append((city, f"第{c + 1}市", "410000", "city"))
        for k in range(counties):
            county = f"{city[:4]}{k + 1:02d}"
            rows.append((county, f"{county}区", city, "county"))
            for m in range(committees):
                committee = f"{county}C{m + 1}"
                rows.append((committee, f"{committee}党委", county, "committee"))
                for b in range(branches):
                    branch = f"{committee}B{b + 1:02d}"
                    rows.append((branch, f"{branch}党支部", committee, "branch"))
                    leaves.append(branch)
    return OrgTree(rows, leaves)


def write_orgs(path: Path, tree: OrgTree) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("code", "name", "parent_code", "level"))
        writer.writerows(tree.rows)


def id_number(index: int, count: int) -> str:
    """The index-th of `count` distinct valid ID numbers, in a scrambled order (a golden-ratio stride,
    coprime with count, is a permutation of 0..count-1 that jumps all over the key space)."""
    n = (index * _stride(count)) % count
    day, rest = n % BIRTH_DAYS, n // BIRTH_DAYS
    serial, area = rest % 1000, rest // 1000
    body = f"{AREAS[area % len(AREAS)]}{FIRST_BIRTH + timedelta(days=day):%Y%m%d}{serial:03d}"
    return with_check_digit(body)


@functools.lru_cache
def _stride(count: int) -> int:
    stride = max(1, int(count * 0.6180339887))
    while math.gcd(stride, count) != 1:
        stride += 1
    return stride


def join_date(index: int, id_number: str) -> date:
    """Member `index`'s join date: between their 18th birthday and a month before TODAY, a function of
    the index alone so the contacts file can date every event after it."""
    birth = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    earliest = birth + timedelta(days=18 * 366)
    latest = TODAY - timedelta(days=30)
    if earliest >= latest:
        return latest
    return earliest + timedelta(days=(index * 2_654_435_761) % (latest - earliest).days)


def member_rows(count: int, tree: OrgTree, seed: int) -> Iterator[tuple]:
    rng = random.Random(seed)
    branches = tree.branches
    for index in range(count):
        idn = id_number(index, count)
        join = join_date(index, idn)
        probationary = join > TODAY - timedelta(days=365)
        mobile = rng.random() < 0.1
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        yield (idn, name, "M" if int(idn[16]) % 2 else "F", "汉族", f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}",
               join.isoformat(), "probationary" if probationary else "full", join.isoformat() if probationary else "",
               f"13{rng.randint(0, 999_999_999):09d}", rng.choice(branches), rng.randint(1, 8), int(mobile),
               rng.randint(1, 6) if mobile else "", (join + timedelta(days=10)).isoformat() if mobile else "",
               int(mobile and rng.random() < 0.5), 0)


def write_members_csv(path: Path, count: int, tree: OrgTree, seed: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(MEMBER_HEADER)
        writer.writerows(member_rows(count, tree, seed))


def write_members_xlsx(path: Path, count: int, tree: OrgTree, seed: int) -> None:
    """The roster as Excel saves it (see excel_writer): dates as date cells."""
    dates = {4, 5, 7, 13}
    rows = ([date.fromisoformat(v) if i in dates and v else v for i, v in enumerate(row)]
            for row in member_rows(count, tree, seed))
    write_xlsx(path, itertools.chain([MEMBER_HEADER], rows), sheet="党员名册")


def write_contacts_csv(path: Path, count: int, members: int, seed: int, *, by_member: bool = False) -> None:
    """Contact events spread evenly over the members, each on a random day between the member's join
    date and TODAY; a member's k-th event falls in the k-th slice of that span, so no two are alike.

    In the default order the file goes round the members (in no order of ID number) k times: each
    event is for another member than the one before. With `by_member` it lists each member's events
    together, date after date, members in ID-number order — the order a database would store them in,
    the floor's best case (its inserts then land in index order without sorting)."""
    rng = random.Random(seed)
    per_member = -(-count // members)
    if by_member:
        order = sorted(range(members), key=lambda index: id_number(index, members))
        events = ((index, k) for index in order for k in range(per_member))
    else:
        events = ((event % members, event // members) for event in range(count))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CONTACT_HEADER)
        for index, k in itertools.islice(events, count):
            idn = id_number(index, members)
            joined = join_date(index, idn)
            width = max(1, ((TODAY - joined).days + 1) // per_member)
            day = joined + timedelta(days=k * width + rng.randrange(width))
            writer.writerow((idn, day.isoformat(), rng.choice(KINDS)))
