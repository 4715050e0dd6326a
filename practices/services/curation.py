"""Curators' work: promoting a practice with a dossier, flagging it for policy with a note."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from practices.dossiers import validate_dossier, validate_policy_note
from practices.models import EvidenceItem, PolicyNote, PromotionDossier, User
from practices.permissions import Actor
from practices.services.transitions import carry_out, check_note, load_for_update, plan


def promote(
    session: Session,
    practice_id: int,
    dossier: Mapping[str, Any],
    *,
    actor: Actor,
    note: str = "",
    expected_status: str | None = None,
) -> PromotionDossier:
    """Make a published practice "promising", storing the curator's dossier; flush.

    Args:
        dossier: {rubric_version?, scores: {criterion: 0-3 | "na"}, summary, evidence: [
            {type, title, source, date, url?}]} (see practices.dossiers.validate_dossier).

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor is not a curator, or it is their own institution's.
        InvalidTransition: the practice is not published; Conflict: stale form.
        ValidationError: the dossier is incomplete or below the rubric's minimums.
    """
    practice = load_for_update(session, practice_id)
    move = plan(practice, "promote", actor=actor, expected_status=expected_status)
    data = validate_dossier(dossier)
    note = check_note("promote", note)
    details = {"rubric_version": data.rubric_version, "total": data.total, "max": data.maximum}
    carry_out(session, practice, move, actor=actor, note=note, details=details)
    record = PromotionDossier(
        revision_no=practice.current_revision_no,
        rubric_version=data.rubric_version,
        scores=dict(data.scores),
        total=data.total,
        maximum=data.maximum,
        summary=data.summary,
        curator=actor if isinstance(actor, User) else None,
        evidence=[
            EvidenceItem(
                position=n, kind=e.kind, title=e.title, source=e.source, date=e.date, url=e.url
            )
            for n, e in enumerate(data.evidence, 1)
        ],
    )
    practice.dossiers.append(record)
    session.flush()
    return record


def flag_for_policy(
    session: Session,
    practice_id: int,
    policy_note: Mapping[str, Any],
    *,
    actor: Actor,
    note: str = "",
    expected_status: str | None = None,
) -> PolicyNote:
    """Flag a promising practice for policy dissemination with a policy note; flush.

    Args:
        policy_note: {audience, key_message, countries: ISO alpha-2 codes}.

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor is not a curator, or it is their own institution's.
        InvalidTransition: the practice is not promising; Conflict: stale form.
        ValidationError: the policy note is incomplete.
    """
    practice = load_for_update(session, practice_id)
    move = plan(practice, "flag_for_policy", actor=actor, expected_status=expected_status)
    data = validate_policy_note(policy_note)
    note = check_note("flag_for_policy", note)
    details = {"countries": list(data.countries)}
    carry_out(session, practice, move, actor=actor, note=note, details=details)
    record = PolicyNote(
        audience=data.audience,
        key_message=data.key_message,
        countries=list(data.countries),
        curator=actor if isinstance(actor, User) else None,
    )
    practice.policy_notes.append(record)
    session.flush()
    return record
