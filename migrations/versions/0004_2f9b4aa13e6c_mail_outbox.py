"""E-mail: the notification outbox and each person's mail settings (issue 9).

New tables: notifications (the transactional outbox: one row per event and recipient, unique
key), mail_settings (kinds turned off, daily digest, a curator's watch, the confirmed
address).

Revision ID: 2f9b4aa13e6c
Revises: 7c1d2e3f4a5b
Create Date: 2026-12-05 16:55:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import practices.models.base

revision: str = '2f9b4aa13e6c'
down_revision: str | None = '7c1d2e3f4a5b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mail_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('muted_kinds', sa.JSON(), nullable=False),
    sa.Column('daily_digest', sa.Boolean(), nullable=False),
    sa.Column('watch_themes', sa.JSON(), nullable=False),
    sa.Column('watch_countries', sa.JSON(), nullable=False),
    sa.Column('confirmed_email', sa.String(length=254), nullable=True),
    sa.Column('confirmed_at', practices.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mail_settings'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=True),
    sa.Column('practice_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', practices.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', practices.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.Column('created_at', practices.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', practices.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['digest_id'], ['notifications.id'], name=op.f('fk_notifications_digest_id_notifications')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_notifications_practice_id_practices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('key', name=op.f('uq_notifications_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_status'))
        batch_op.drop_index(batch_op.f('ix_notifications_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_practice_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_notifications_kind'))
    op.drop_table('notifications')
    op.drop_table('mail_settings')
