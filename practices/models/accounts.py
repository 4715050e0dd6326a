"""User accounts and their API tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.practice import Institution
from practices.names import nfc, search_key
from practices.roles import Role


class User(Base):
    """A person who signs in: a school editor, National Coordinator, curator or administrator.

    Also satisfies Flask-Login's user protocol (is_authenticated, is_active, is_anonymous,
    get_id) without importing Flask. get_id() includes session_version, so raising the
    version (logout, password or role change, deactivation) ends every session of the user.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200), default="")
    # name and email folded (practices.names.search_key), kept by _keep_search_key: what the
    # administrators' search compares, alike on both engines whatever the spelling.
    search_key: Mapped[str] = mapped_column(String(460), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string format
    role: Mapped[str] = mapped_column(String(32), index=True)  # practices.roles.Role
    # A school editor's institution; for a National Coordinator or curator an optional
    # affiliation, so that nobody publishes or promotes their own institution's practice.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    # The country a National Coordinator coordinates (ISO 3166-1 alpha-2).
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # The interface language the user chose (BCP 47 tag, app/labels/interface_language.py);
    # None: not chosen, the browser's language is used. E-mails to the user are in it.
    ui_language: Mapped[str | None] = mapped_column(String(35))
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    institution: Mapped[Institution | None] = relationship()
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="ApiToken.id"
    )

    @validates("name", "email")
    def _keep_search_key(self, key: str, value: str | None) -> str | None:
        value = nfc(value) if value is not None else None
        name, email = (value, self.email) if key == "name" else (self.name, value)
        self.search_key = search_key(name, email)
        return value

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """False for a deactivated account: it can neither sign in nor act."""
        return self.active

    def get_id(self) -> str:
        """Return the session identity "<id>:<session_version>" (Flask-Login's get_id)."""
        return f"{self.id}:{self.session_version}"

    @property
    def scope_country(self) -> str | None:
        """The country the account acts for: its institution's, or the one it coordinates."""
        if self.role == Role.SCHOOL_EDITOR and self.institution is not None:
            return self.institution.country
        return self.country

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(Base):
    """A personal API token. Only its SHA-256 is stored; the secret is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the secret, so the owner can tell tokens apart in a list.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        """True once the owner (or an administrator) revoked the token."""
        return self.revoked_at is not None
