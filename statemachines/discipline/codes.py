"""The register's code tables and the Chinese a person reads (PROGRAMMES.md §5, seed 000 附件1-1…1-4)."""
from __future__ import annotations

CATEGORIES = {"lost": "失联", "fled": "外逃", "absconded": "出走"}
# seed 000's definitions, word for word (the forms' notes)
DEFINITIONS = {
    "lost": "连续3个月以上与所在党组织或单位失去联系，经再次联系仍然无法取得联系",
    "fled": "在立案后，与所在党组织或单位失去联系，经再次联系仍然无法取得联系",
    "absconded": "擅自脱离党组织或单位，虽然能联系上，但不掌握目前具体情况",
}
STATES = {"open": "在册", "found": "已取得联系", "returned": "已归案/已回国", "deceased": "已死亡",
          "revoked": "已撤销（登记有误）"}
TRIGGERS = {"find": "已取得联系", "return": "已归案/已回国", "decease": "确认死亡", "revoke": "撤销（登记有误）"}
WHEREABOUTS = {"domestic": "国内", "abroad": "国（境）外"}
