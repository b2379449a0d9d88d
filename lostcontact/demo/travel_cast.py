"""Who the travel demo is about: its users (the programme's three roles) and its registered cadres, each with
the part they play in the story (`lostcontact demo --programme travel`). Deterministic for a seed.

The parts: `plain` persons do everything right; each other part plants one finding of the checks (`P1`…`P7`,
`M1`) or one path of the lifecycles (a refused trip, a trip awaiting the city, a late hand-in …)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from .roster import COUNTY, GIVEN, SURNAMES, _id_number

CADRE, DISCIPLINE, LIAISON = f"cadre_{COUNTY}", f"discipline_{COUNTY}", f"liaison_{COUNTY}"
# login, role, org, name: the county's three offices of the programme, and a cadre supervisor of a committee
TRAVEL_USERS = (
    (CADRE, "cadre_supervisor", COUNTY, "县委组织部干部监督科"),
    (DISCIPLINE, "discipline_officer", COUNTY, "县纪委监委党风政风监督室"),
    (LIAISON, "exit_entry_liaison", COUNTY, "县公安局出入境管理大队"),
    ("cadre_41100103", "cadre_supervisor", "41100103", "开发区党工委组织人事部"),  # COMMITTEE_CADRE
)
TRAVEL_SHOWCASE = (CADRE, DISCIPLINE, LIAISON)
COMMITTEE_CADRE = "cadre_41100103"
LAX_UNIT = "411001030101"   # under the committee whose cadre supervisor approves a trip it had no authority for

# (rank, registered-person type or None, political status, post, work unit) of the plain persons, cycled:
# every rank and every type appears
PLAIN = (
    ("township", "township_leader", "cpc_member", "副镇长", "城关镇人民政府"),
    ("county", "county_level_serving", "cpc_member", "副局长", "县教育局"),
    ("staff", "sensitive_post", "cpc_member", "机要员", "县委办公室"),
    ("township", "city_unit_middle_manager", "cpc_member", "科长", "县人社局"),
    ("bureau", "bureau_level_retired", "cpc_member", "原副市长（已退休）", "县老干部局"),
    ("county", "city_cadre_retired", "cpc_member", "原县长（已退休）", "县老干部局"),
    ("other", "enterprise_leader", "democratic_party", "董事长", "示范机械有限公司"),
    ("staff", "naked_official", "masses", "职员", "县财政局"),
    ("staff", "other", "league_member", "科员", "县第一中学"),
    ("party_only", None, "cpc_member", "个体经营户", "东关社区"),
    ("provincial", "bureau_level_retired", "cpc_member", "原省人大常委会副主任（已退休）", "县老干部局"),
    ("staff", None, "cpc_probationary", "教师", "县实验小学"),
    ("township", "township_leader", "cpc_member", "村党支部书记", "南湖村"),
)
# the parts that plant something, with the rank and type each needs
PARTS = (
    ("traveller", "township", "township_leader"), ("traveller", "staff", "other"),
    ("traveller", "township", "city_unit_middle_manager"), ("refused", "staff", "naked_official"),
    ("awaiting_city", "county", "county_level_serving"), ("deviation", "township", "township_leader"),  # P5
    ("not_back", "staff", "sensitive_post"),                      # P2: checked out, never returned
    ("unapproved_exit", "staff", "other"),                        # P4 (and a late hand-in)
    ("hidden_trip", "township", "city_unit_middle_manager"),      # P6
    ("hidden_document", "staff", "other"),                        # P3: a zero report, a passport on file
    ("never_handed_in", "township", "township_leader"),           # P2: still held
    ("secret_document", "county", "county_level_serving"),        # P1 (and P2): issued, never declared
    ("second_identity", "staff", "enterprise_leader"),            # M1: another ID number, same name and birth
    ("two_names", "township", "township_leader"),                 # M1: one passport under two names
    ("lax_approval", "staff", "other"),                           # P7: approved below the rank's authority
    ("late", "staff", "other"), ("late", "township", "township_leader"),
    ("moved", "staff", "other"), ("retired", "county", "county_level_serving"),
    ("forged", "staff", "other"), ("unauthorised_issue", "staff", "other"),  # Q1, Q2 (the liaison)
    ("false_certificate", "township", "township_leader"),        # Q3
    ("unfiled", "staff", "enterprise_leader"),                    # 应备未备: a type, never registered
)


@dataclass
class Cast:
    id_number: str
    birth: date
    name: str
    org: str
    rank: str
    person_type: str | None
    political_status: str
    post: str
    work_unit: str
    part: str = "plain"
    documents: list = field(default_factory=list)   # (document id, kind, number, issued, expires)
    trips: list = field(default_factory=list)       # (exit, entry, destinations, approved)


def cast(seed: int, branches: tuple[str, ...], persons: int) -> list[Cast]:
    """`persons` persons (at least the planted parts): the parts first, then plain persons."""
    rng = random.Random(seed * 104_729 + 16)
    used: set[str] = set()
    names: set[str] = set()
    out: list[Cast] = []
    plain = [("plain", *row[:2]) for row in PLAIN]
    specs = list(PARTS) + [plain[i % len(plain)] for i in range(max(0, persons - len(PARTS)))]
    for i, (part, rank, person_type) in enumerate(specs):
        id_number, birth = _id_number(rng, used)
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
            if name not in names:
                names.add(name)
                break
        _r, _t, political, post, unit = next((row for row in PLAIN if row[:2] == (rank, person_type)),
                                              PLAIN[i % len(PLAIN)])
        if rank == "party_only":
            political = "cpc_member"
        org = branches[i % len(branches)] if i % 7 or rank == "party_only" else COUNTY
        if part == "lax_approval":
            org = LAX_UNIT
        out.append(Cast(id_number, birth, name, org, rank,
                        person_type, political, post, unit, part))
    return out
