"""Accounts get a search key: name and address folded (NFC, case-folded), so that the
administrators' search finds non-ASCII names on SQLite and names stored decomposed (NFD) on
both engines (issue 8). Names are stored composed (NFC) from now on.

Data step (hand-written, with sa.table() stubs, never the app's models): every existing
account's name is recomposed to NFC and its key computed as practices/names.py does; the fold
is repeated here so that this revision keeps meaning what it meant when written.

Revision ID: dcf1937096b3
Revises: bf5a6b7c8d9e
Create Date: 2026-12-05 17:10:00
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'dcf1937096b3'
down_revision: str | None = 'bf5a6b7c8d9e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("email", sa.String),
    sa.column("search_key", sa.String),
)


def _fold(text: str) -> str:
    # The Unicode Standard, 3.13 D145 (canonical caseless), recomposed: as practices/names.py.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold())


def upgrade() -> None:
    op.add_column("users", sa.Column("search_key", sa.String(length=460), nullable=False,
                                     server_default=""))
    conn = op.get_bind()
    for user_id, name, email in conn.execute(sa.select(users.c.id, users.c.name, users.c.email)):
        composed = unicodedata.normalize("NFC", name or "")
        key = _fold(f"{composed} {email or ''}".strip())
        conn.execute(users.update().where(users.c.id == user_id)
                     .values(name=composed, search_key=key))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("search_key")
