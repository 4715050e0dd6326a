"""Accounts, the review workflow and curated promising practices (issue 3).

New tables: users, api_tokens, practice_revisions, review_comments, audit_log,
promotion_dossiers, promotion_evidence, policy_notes. Institutions get a membership status,
practices the number of the revision they show, and external_id becomes required.

Data steps (hand-written, with sa.table() stubs, never the app's models):
- existing institutions become certified members (they came in through operators' imports);
- practices without an external_id get "px-<uuid hex>" (as new practices do);
- every existing practice gets revision 1, a snapshot of its content and tags, whose status
  follows the practice's (draft, submitted or published).

Revision ID: 3805386cda7a
Revises: a1f0c0de0001
Create Date: 2026-11-30 01:14:14.906317
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3805386cda7a'
down_revision: str | None = 'a1f0c0de0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_users_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=True),
    sa.Column('revision_no', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_audit_log_practice_id_practices'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_practice_id'), ['practice_id'], unique=False)

    op.create_table('policy_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=300), nullable=False),
    sa.Column('key_message', sa.Text(), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('curator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['curator_id'], ['users.id'], name=op.f('fk_policy_notes_curator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_policy_notes_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_notes'))
    )
    with op.batch_alter_table('policy_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_notes_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.Column('source_url', sa.String(length=2000), nullable=True),
    sa.Column('license', sa.String(length=100), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_practice_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_revisions_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_revisions')),
    sa.UniqueConstraint('practice_id', 'number', name=op.f('uq_practice_revisions_practice_id'))
    )
    with op.batch_alter_table('practice_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_revisions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_revisions_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_revisions_status'), ['status'], unique=False)

    op.create_table('promotion_dossiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('revision_no', sa.Integer(), nullable=False),
    sa.Column('rubric_version', sa.String(length=20), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('maximum', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('curator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['curator_id'], ['users.id'], name=op.f('fk_promotion_dossiers_curator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_promotion_dossiers_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotion_dossiers'))
    )
    with op.batch_alter_table('promotion_dossiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotion_dossiers_practice_id'), ['practice_id'], unique=False)

    op.create_table('review_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('revision_no', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_review_comments_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comments_practice_id'), ['practice_id'], unique=False)

    op.create_table('promotion_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['promotion_dossiers.id'], name=op.f('fk_promotion_evidence_dossier_id_promotion_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotion_evidence'))
    )
    with op.batch_alter_table('promotion_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotion_evidence_dossier_id'), ['dossier_id'], unique=False)

    # Existing rows get the server default; the default is then dropped, as the models
    # set these values in Python.
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('membership', sa.String(length=20), nullable=False,
                                      server_default='member'))
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.alter_column('membership', existing_type=sa.String(length=20),
                              server_default=None)
        batch_op.create_index(batch_op.f('ix_institutions_membership'), ['membership'], unique=False)

    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_revision_no', sa.Integer(), nullable=False,
                                      server_default='1'))
    _give_external_ids()
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.alter_column('current_revision_no', existing_type=sa.Integer(),
                              server_default=None)
        batch_op.alter_column('external_id',
               existing_type=sa.VARCHAR(length=200),
               nullable=False)
    _snapshot_revisions()


# --- Data steps -----------------------------------------------------------------------------

_practices = sa.table(
    'practices',
    sa.column('id', sa.Integer()), sa.column('external_id', sa.String()),
    sa.column('title', sa.String()), sa.column('summary', sa.Text()),
    sa.column('body', sa.Text()), sa.column('body_html', sa.Text()),
    sa.column('language', sa.String()), sa.column('country', sa.String()),
    sa.column('start_year', sa.Integer()), sa.column('source_url', sa.String()),
    sa.column('license', sa.String()), sa.column('status', sa.String()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('updated_at', sa.DateTime(timezone=True)),
    sa.column('published_at', sa.DateTime(timezone=True)),
)
_tags = sa.table(
    'practice_tags',
    sa.column('practice_id', sa.Integer()), sa.column('kind', sa.String()),
    sa.column('value', sa.String()),
)
_revisions = sa.table(
    'practice_revisions',
    sa.column('practice_id', sa.Integer()), sa.column('number', sa.Integer()),
    sa.column('status', sa.String()), sa.column('title', sa.String()),
    sa.column('summary', sa.Text()), sa.column('body', sa.Text()),
    sa.column('body_html', sa.Text()), sa.column('language', sa.String()),
    sa.column('country', sa.String()), sa.column('tags', sa.JSON()),
    sa.column('start_year', sa.Integer()), sa.column('source_url', sa.String()),
    sa.column('license', sa.String()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('updated_at', sa.DateTime(timezone=True)),
    sa.column('submitted_at', sa.DateTime(timezone=True)),
    sa.column('decided_at', sa.DateTime(timezone=True)),
)
# Tag kind -> key in the revision's tags JSON (the PracticeData field names).
_TAG_KEYS = {'theme': 'themes', 'pillar': 'pillars', 'level': 'levels',
             'sdg_target': 'sdg_targets', 'emerging_issue': 'emerging_issues'}
_CHUNK = 500


def _give_external_ids() -> None:
    conn = op.get_bind()
    missing = conn.execute(sa.select(_practices.c.id).where(_practices.c.external_id.is_(None)))
    for (practice_id,) in missing.fetchall():
        conn.execute(_practices.update().where(_practices.c.id == practice_id)
                     .values(external_id=f'px-{uuid.uuid4().hex}'))


def _snapshot_revisions() -> None:
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.select(_practices.c.id).order_by(_practices.c.id))]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = conn.execute(sa.select(_practices).where(_practices.c.id.in_(chunk))).mappings()
        tags = _tags_of(conn, chunk)
        conn.execute(_revisions.insert(), [_revision(row, tags.get(row['id'], {})) for row in rows])


def _tags_of(conn, ids: list[int]) -> dict[int, dict[str, list]]:
    found: dict[int, dict[str, list]] = {}
    for practice_id, kind, value in conn.execute(sa.select(_tags).where(_tags.c.practice_id.in_(ids))):
        key = _TAG_KEYS[kind]
        found.setdefault(practice_id, {k: [] for k in _TAG_KEYS.values()})[key].append(
            int(value) if kind == 'pillar' else value)
    for by_key in found.values():
        for values in by_key.values():
            values.sort()
    return found


def _revision(row, tags: dict[str, list]) -> dict:
    status = row['status']
    return {
        'practice_id': row['id'], 'number': 1, 'status': status,
        'title': row['title'], 'summary': row['summary'], 'body': row['body'],
        'body_html': row['body_html'], 'language': row['language'], 'country': row['country'],
        'tags': tags or {k: [] for k in _TAG_KEYS.values()},
        'start_year': row['start_year'], 'source_url': row['source_url'],
        'license': row['license'], 'created_at': row['created_at'],
        'updated_at': row['updated_at'],
        'submitted_at': row['updated_at'] if status == 'submitted' else None,
        'decided_at': row['published_at'] if status == 'published' else None,
    }



def downgrade() -> None:
    # New tables first (they refer to practices), then the changed columns.
    with op.batch_alter_table('promotion_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotion_evidence_dossier_id'))

    op.drop_table('promotion_evidence')
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comments_practice_id'))

    op.drop_table('review_comments')
    with op.batch_alter_table('promotion_dossiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotion_dossiers_practice_id'))

    op.drop_table('promotion_dossiers')
    with op.batch_alter_table('practice_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_revisions_status'))
        batch_op.drop_index(batch_op.f('ix_practice_revisions_practice_id'))
        batch_op.drop_index(batch_op.f('ix_practice_revisions_author_id'))

    op.drop_table('practice_revisions')
    with op.batch_alter_table('policy_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_notes_practice_id'))

    op.drop_table('policy_notes')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_practice_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))
        batch_op.drop_index(batch_op.f('ix_users_institution_id'))
        batch_op.drop_index(batch_op.f('ix_users_country'))

    op.drop_table('users')

    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.alter_column('external_id',
               existing_type=sa.VARCHAR(length=200),
               nullable=True)
        batch_op.drop_column('current_revision_no')

    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institutions_membership'))
        batch_op.drop_column('membership')
