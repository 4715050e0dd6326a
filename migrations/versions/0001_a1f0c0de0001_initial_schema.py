"""Initial schema: institutions, practices with their tags, stored vectors, search change log.

Revision ID: a1f0c0de0001
Revises: 
Create Date: 2026-11-30 00:50:02.858187
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a1f0c0de0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('institutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=True),
    sa.Column('locality', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institutions'))
    )
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institutions_country'), ['country'], unique=False)

    op.create_table('search_changes',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_search_changes'))
    )
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_changes_practice_id'), ['practice_id'], unique=False)

    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.Column('source_url', sa.String(length=2000), nullable=True),
    sa.Column('license', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_practices_institution_id_institutions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices')),
    sa.UniqueConstraint('external_id', name=op.f('uq_practices_external_id'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_status'), ['status'], unique=False)

    op.create_table('practice_tags',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_tags_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'kind', 'value', name=op.f('pk_practice_tags'))
    )
    with op.batch_alter_table('practice_tags', schema=None) as batch_op:
        batch_op.create_index('ix_practice_tags_kind_value', ['kind', 'value'], unique=False)

    op.create_table('practice_vectors',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('chunk_no', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_vectors_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_vectors')),
    sa.UniqueConstraint('practice_id', 'model', 'chunk_no', name=op.f('uq_practice_vectors_practice_id'))
    )
    with op.batch_alter_table('practice_vectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_vectors_model'), ['model'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_vectors_practice_id'), ['practice_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('practice_vectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_vectors_practice_id'))
        batch_op.drop_index(batch_op.f('ix_practice_vectors_model'))

    op.drop_table('practice_vectors')
    with op.batch_alter_table('practice_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_tags_kind_value')

    op.drop_table('practice_tags')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practices_status'))
        batch_op.drop_index(batch_op.f('ix_practices_language'))
        batch_op.drop_index(batch_op.f('ix_practices_institution_id'))
        batch_op.drop_index(batch_op.f('ix_practices_country'))

    op.drop_table('practices')
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_changes_practice_id'))

    op.drop_table('search_changes')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institutions_country'))

    op.drop_table('institutions')
