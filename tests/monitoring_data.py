"""A small network over several years for the dashboard and report tests, made through the
services at chosen dates (a clock that utcnow() reads), with every expected figure worked out
by hand in the docstrings below."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from practices.models import base
from practices.permissions import SYSTEM
from practices.roles import Membership
from practices.services import create_institution, promote, transition
from practices.validation import InstitutionData
from practices.workflow import Status
from tests.factories import VALID_DOSSIER, make_practice, make_user, practice_data


class Clock(datetime):
    """A datetime whose now() is `Clock.current` (what practices.models.utcnow returns)."""

    current = datetime(2024, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.current.astimezone(tz) if tz else cls.current.replace(tzinfo=None)


@pytest.fixture
def clock(monkeypatch):
    """Set the time the services record: clock(datetime) -> sets it."""
    monkeypatch.setattr(base, "datetime", Clock)

    def set_to(when: datetime) -> None:
        Clock.current = when

    yield set_to
    Clock.current = datetime(2024, 1, 1, tzinfo=UTC)


def school(session, name, country, membership=Membership.MEMBER, **profile):
    """Create an institution with its profile (levels, sector, locality)."""
    data = InstitutionData(name=name, country=country, city="Somewhere", **profile)
    return create_institution(session, data, actor=SYSTEM, membership=Membership(membership))


def published_at(session, set_clock, when, days, institution, **fields):
    """Submit a practice at `when` and publish it `days` later (as the country's NC)."""
    set_clock(when)
    practice = make_practice(session, status=Status.SUBMITTED, institution=institution,
                             data=practice_data(**fields))
    set_clock(when + timedelta(days=days))
    reviewer = make_user(session, "national_coordinator", country=institution.country)
    transition(session, practice.id, "publish", actor=reviewer)
    return practice


def small_network(session, set_clock) -> dict:
    """Build the network and return {name: object}.

    France (Europe and North America):
      - Lycée Hugo: member, secondary, urban, public. Eight practices submitted on the 1st of
        each quarter from 2024-Q1 to 2025-Q4 and published 1, 2, ..., 8 days later: themes
        esd x5 then gced x3; pillar 1 except the 4th and 8th (pillar 2); level secondary;
        language fr except the 7th and 8th (en); the first promoted to promising in 2025.
        One more submitted 2025-11-01 and sent back (changes requested) 3 days later.
      - École Brel: member, primary, rural, private; one practice submitted 2025-12-01 (waiting
        for review). It has published nothing: a quiet member.
      - Collège Sand: applicant. École Zola: suspended.
    Kenya (Africa): Nairobi School, member, secondary, urban, public: two esd practices,
      published 2024-03 after 5 days. Egypt (Arab States): Cairo School, member: one gced
      practice published 2025-06 after 10 days. Brazil (Latin America and the Caribbean):
      Escola Jorge, member, tvet: one intercultural practice published 2023-02 after 20 days.

    So: FR public 8 (1 promising), decisions 9 with durations 1..8 and 3: median (5th of 9)
    4 days, 90th percentile (9th) 8 days. FR gaps: intercultural; pillars 3 and 4; levels
    early childhood, primary, TVET, teacher training. Network public 12; decisions 13 with
    durations 1..8, 3, 5, 5, 10, 20: median (7th of 13) 5, 90th percentile (12th) 10.
    """
    made = {}
    made["hugo"] = school(session, "Lycée Hugo", "FR", levels=("secondary",),
                          sector="public", locality="urban")
    made["brel"] = school(session, "École Brel", "FR", levels=("primary",),
                          sector="private", locality="rural")
    made["sand"] = school(session, "Collège Sand", "FR", Membership.APPLICANT)
    made["zola"] = school(session, "École Zola", "FR", Membership.SUSPENDED)
    made["nairobi"] = school(session, "Nairobi School", "KE", levels=("secondary",),
                             sector="public", locality="urban")
    made["cairo"] = school(session, "Cairo School", "EG")
    made["escola"] = school(session, "Escola Jorge", "BR", levels=("tvet",))
    french = []
    for i in range(8):
        year, quarter = 2024 + i // 4, i % 4
        french.append(published_at(
            session, set_clock, datetime(year, 1 + 3 * quarter, 1, 9, tzinfo=UTC), i + 1,
            made["hugo"], title=f"Pratique {i + 1}", themes=["esd"] if i < 5 else ["gced"],
            pillars=[2] if i in (3, 7) else [1], levels=["secondary"],
            language="en" if i >= 6 else "fr"))
    made["french"] = french
    set_clock(datetime(2025, 3, 1, tzinfo=UTC))
    promote(session, french[0].id, VALID_DOSSIER, actor=make_user(session, "curator"))
    set_clock(datetime(2025, 11, 1, tzinfo=UTC))
    sent_back = make_practice(session, status=Status.SUBMITTED, institution=made["hugo"],
                              data=practice_data(title="Renvoyée", language="fr"))
    set_clock(datetime(2025, 11, 4, tzinfo=UTC))
    transition(session, sent_back.id, "request_changes", note="Please add the results.",
               actor=make_user(session, "national_coordinator", country="FR"))
    set_clock(datetime(2025, 12, 1, tzinfo=UTC))
    make_practice(session, status=Status.SUBMITTED, institution=made["brel"],
                  data=practice_data(title="En attente", language="fr"))
    for n in range(2):
        published_at(session, set_clock, datetime(2024, 3, 1, tzinfo=UTC), 5, made["nairobi"],
                     title=f"Kenya {n}", themes=["esd"], language="sw")
    published_at(session, set_clock, datetime(2025, 6, 1, tzinfo=UTC), 10, made["cairo"],
                 title="Cairo", themes=["gced"], language="ar")
    published_at(session, set_clock, datetime(2023, 2, 1, tzinfo=UTC), 20, made["escola"],
                 title="Escola", themes=["intercultural"], language="pt")
    set_clock(datetime(2025, 12, 15, tzinfo=UTC))
    return made
