"""Schools apply to join the network (issue 9): membership_applications.

One row per application: the applying institution (membership "applicant"), its first
editor's account (inactive until certified), the coordinator's recommendation and the
decision.

Revision ID: 9d3e4f5a6b7c
Revises: 2f9b4aa13e6c
Create Date: 2026-12-05 17:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9d3e4f5a6b7c'
down_revision: str | None = '2f9b4aa13e6c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('membership_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recommended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recommended_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_membership_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_membership_applications_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_membership_applications_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommended_by_id'], ['users.id'], name=op.f('fk_membership_applications_recommended_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_applications'))
    )
    with op.batch_alter_table('membership_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_applications_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_applications_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_applications_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('membership_applications')
