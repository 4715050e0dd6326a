"""Policy briefs (issue 12): policy_briefs, a curator's saved selection with its title.

Revision ID: bf5a6b7c8d9e
Revises: c0a17e9b2d41
Create Date: 2026-12-05 17:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'bf5a6b7c8d9e'
down_revision: str | None = 'c0a17e9b2d41'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('policy_briefs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('selection', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_policy_briefs_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_briefs'))
    )


def downgrade() -> None:
    op.drop_table('policy_briefs')
