"""Partner schools (issue 10): partner_interests, one school's interest in another.

Revision ID: ae4f5a6b7c8d
Revises: 9d3e4f5a6b7c
Create Date: 2026-12-05 17:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'ae4f5a6b7c8d'
down_revision: str | None = '9d3e4f5a6b7c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('partner_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_institution_id', sa.Integer(), nullable=False),
    sa.Column('to_institution_id', sa.Integer(), nullable=False),
    sa.Column('own_practice_id', sa.Integer(), nullable=True),
    sa.Column('their_practice_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_partner_interests_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_institution_id'], ['institutions.id'], name=op.f('fk_partner_interests_from_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['own_practice_id'], ['practices.id'], name=op.f('fk_partner_interests_own_practice_id_practices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['their_practice_id'], ['practices.id'], name=op.f('fk_partner_interests_their_practice_id_practices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['to_institution_id'], ['institutions.id'], name=op.f('fk_partner_interests_to_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_interests')),
    sa.UniqueConstraint('from_institution_id', 'to_institution_id', name=op.f('uq_partner_interests_from_institution_id')),
    )
    with op.batch_alter_table('partner_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_interests_from_institution_id'), ['from_institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_interests_to_institution_id'), ['to_institution_id'], unique=False)


def downgrade() -> None:
    op.drop_table('partner_interests')
