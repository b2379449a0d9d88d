"""The Chinese labels and code tables the form templates print, in one namespace."""
from __future__ import annotations

from types import SimpleNamespace

from statemachines.codes import CAUSES, CHANNELS, OCCUPATIONS, ORG_TYPES, OUTCOMES, ROLES, STANDINGS
from statemachines.dispositions import DISPOSITIONS
from statemachines.lifecycle import STATES, TRIGGERS
from statemachines.tally import LABELS as TALLY_LABELS

SEXES = {"M": "男", "F": "女"}
ORIGINS = {"R1": "超过六个月未与党组织联系", "R4": "组织关系转出后未收到回执的“口袋”党员",
           "manual": "党组织登记"}



def form_name(disposition: str) -> str:
    """A disposition as the forms word it: the heading of its most specific A–X column without “人数”
    (劝退或劝而不退除名, 取消预备党员资格, 开除党籍 …). A disposition on either side has the same heading on both."""
    d = DISPOSITIONS[disposition]
    return TALLY_LABELS[(d.columns_reached or d.columns_unreached)[-1]].removesuffix("人数")


FORM_DISPOSITIONS = {d: form_name(d) for d in DISPOSITIONS}

LABELS = SimpleNamespace(
    causes=CAUSES, channels=CHANNELS, occupations=OCCUPATIONS, org_types=ORG_TYPES, outcomes=OUTCOMES,
    roles=ROLES, standings=STANDINGS, states=STATES, triggers=TRIGGERS, sexes=SEXES, origins=ORIGINS,
    dispositions={d.id: d.label for d in DISPOSITIONS.values()},
    form_dispositions=FORM_DISPOSITIONS,  # the printed forms' wording
)


def code_list(table: dict[int, str], *, other_note: bool = False) -> str:
    """“①外出务工经商；②单位改制或破产；…” as the 填表说明 write the code tables."""
    from ..templating import circled
    items = [f"{circled(code)}{label}" for code, label in table.items()]
    if other_note:
        items[-1] = items[-1].replace("（注明）", "") + "（具体原因在备注栏中注明）"
    return "；".join(items) + "。"
