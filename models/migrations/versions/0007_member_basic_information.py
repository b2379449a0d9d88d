"""The member fields of seed 003 附件1 党员基本信息表 the roster did not keep: 婚姻状况, 参加工作时间, 学历, 学位,
毕业院校, 现任党内职务, the rest of the 出国（境） block (出国后与组织联系情况, 党籍处理方式, 回国日期, 恢复组织生活情况)
and 家庭主要成员及重要社会关系 (a JSON list, see models/members.py). All optional: existing rows stay as they are.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COLUMNS = (
    ('marital_status', sa.String(length=16)),
    ('work_start_date', sa.Date()),
    ('education', sa.String(length=40)),
    ('degree', sa.String(length=40)),
    ('school', sa.String(length=200)),
    ('party_post', sa.String(length=200)),
    ('abroad_contact', sa.String(length=16)),
    ('membership_handling', sa.String(length=16)),
    ('return_date', sa.Date()),
    ('life_resumption', sa.String(length=16)),
    ('family', sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), not a batch copy of the table: the copy would
    # re-create `members` from its reflection, which garbles the generated column id_tail_reversed.
    for name, _kind in reversed(COLUMNS):
        op.drop_column('members', name)
