"""Institutions' membership: applicants and suspended members, and what imports create."""
from __future__ import annotations

import pytest
from factories import make_institution, make_user, practice_data
from sqlalchemy import func, select

from practices.errors import NotFound, PermissionDenied, ValidationError
from practices.models import AuditEntry, Institution, Practice
from practices.permissions import SYSTEM
from practices.records import ImportFailed
from practices.roles import Role
from practices.services import (
    create_draft,
    create_institution,
    export_records,
    import_records,
    list_institutions,
    set_membership,
)
from practices.validation import InstitutionData

pytestmark = pytest.mark.postgres


def test_a_new_institution_is_an_applicant_until_certified(session):
    curator = make_user(session, Role.CURATOR)
    school = create_institution(session, InstitutionData("École Nouvelle", "FR"), actor=curator)
    assert school.membership == "applicant"
    set_membership(session, school.id, "member", actor=curator, note="Certified 2026.")
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.from_status, entry.to_status, entry.note) == (
        "set_membership", "applicant", "member", "Certified 2026.",
    )  # fmt: skip
    found = list_institutions(session, country="fr", membership="member", actor=SYSTEM)
    assert [i.name for i in found] == [
        "École Nouvelle"
    ]


def test_membership_changes_are_checked(session):
    curator = make_user(session, Role.CURATOR)
    school = make_institution(session, "Lycée A", "FR")
    with pytest.raises(ValidationError, match="'certified' is not one of"):
        set_membership(session, school.id, "certified", actor=curator)
    with pytest.raises(NotFound):
        set_membership(session, 999, "member", actor=curator)
    editor = make_user(session, Role.SCHOOL_EDITOR)
    with pytest.raises(PermissionDenied):
        set_membership(session, school.id, "suspended", actor=editor)
    with pytest.raises(ValidationError, match="already exists"):
        create_institution(session, InstitutionData("LYCÉE a", "FR"), actor=curator)
    assert school.membership == "member"


def test_imported_institutions_are_members_and_existing_ones_keep_their_status(session, record):
    make_institution(session, "Applicant School", "FR", membership="applicant")
    import_records(session, [(1, record(1))], publish=True, actor=SYSTEM)
    assert session.scalar(select(Institution.membership).where(
        Institution.name == "Lycée Jean Moulin")) == "member"  # fmt: skip
    with pytest.raises(ImportFailed) as caught:
        import_records(session, [(1, record(2, institution="Applicant School"))], publish=True,
                       actor=SYSTEM)
    assert [(e.line, e.field) for e in caught.value.record_errors] == [(1, "institution")]
    assert "Applicant School is applicant" in caught.value.record_errors[0].message
    assert session.scalar(select(func.count()).select_from(Practice)) == 1


def test_practices_written_here_get_an_external_id_that_survives_export(session):
    school = make_user(session, Role.SCHOOL_EDITOR)
    practice = create_draft(session, practice_data(), actor=school)
    assert practice.external_id.startswith("px-") and len(practice.external_id) == 35
    (exported,) = export_records(session, actor=SYSTEM)
    assert exported["external_id"] == practice.external_id
