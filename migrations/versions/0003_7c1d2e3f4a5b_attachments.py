"""Files attached to revisions of practices (issue 9: worksheets, lesson plans, photos).

New table: attachments (one row per file and revision; the bytes live in the blob store,
ATTACHMENTS_DIR, under their SHA-256).

Revision ID: 7c1d2e3f4a5b
Revises: 3805386cda7a
Create Date: 2026-12-05 17:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7c1d2e3f4a5b'
down_revision: str | None = '3805386cda7a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('revision_no', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('blob_key', sa.String(length=64), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_attachments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_attachments_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('practice_id', 'revision_no', 'blob_key', name=op.f('uq_attachments_practice_id')),
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_practice_revision', ['practice_id', 'revision_no'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_practice_revision')
    op.drop_table('attachments')
