"""Annual country reports and uptake (issue 12): the free-text section a National Coordinator
writes for a country and year (the report's figures are computed when it is shown), and which
practice adapts which (practice_adaptations).

Revision ID: c0a17e9b2d41
Revises: ae4f5a6b7c8d
Create Date: 2026-12-05 16:44:11.540542
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c0a17e9b2d41'
down_revision: str | None = 'ae4f5a6b7c8d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'country_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('narrative', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_country_reports_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_country_reports')),
        sa.UniqueConstraint('country', 'year', name=op.f('uq_country_reports_country')),
    )
    op.create_table(
        'practice_adaptations',
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('original_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_practice_adaptations_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['original_id'], ['practices.id'],
                                name=op.f('fk_practice_adaptations_original_id_practices'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'],
                                name=op.f('fk_practice_adaptations_practice_id_practices'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('practice_id', name=op.f('pk_practice_adaptations')),
    )
    with op.batch_alter_table('practice_adaptations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_adaptations_original_id'),
                              ['original_id'], unique=False)


def downgrade() -> None:
    op.drop_table('practice_adaptations')
    op.drop_table('country_reports')
