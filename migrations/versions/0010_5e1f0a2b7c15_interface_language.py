"""The interface language a user chose (issue 9: the interface in the six UN languages).

New column users.ui_language: a BCP 47 tag (ar, en, es, fr, ru, zh), NULL until the user
chooses one; then it follows them from browser to browser, and e-mails to them use it.

Revision ID: 5e1f0a2b7c15
Revises: dcf1937096b3
Create Date: 2026-12-05 16:45:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5e1f0a2b7c15'
down_revision: str | None = 'dcf1937096b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('ui_language', sa.String(length=35), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('ui_language')
