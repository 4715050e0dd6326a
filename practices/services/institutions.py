"""Find-or-create of institutions, keyed by (caseless name, country)."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices.models import Institution
from practices.roles import Membership
from practices.validation import InstitutionData


def institution_key(name: str, country: str) -> tuple[str, str]:
    """Return the identity of an institution: "Lycée  X" and "LYCÉE X" in FR are one school.

    Caseless matching after NFC normalisation (Unicode 15, section 3.13, simplified), so the
    same name typed on different keyboards or systems (composed or decomposed accents) matches.
    """
    folded = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    return unicodedata.normalize("NFC", folded), country


class Institutions:
    """Resolves InstitutionData to Institution rows within one session.

    Rows are loaded one query per batch of countries and cached, so an import of thousands of
    records queries institutions once (after `preload`), not once per record.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_key: dict[tuple[str, str], Institution] = {}
        self._countries: set[str] = set()

    def preload(self, countries: Iterable[str]) -> None:
        """Load (once) every institution of the given ISO alpha-2 countries."""
        wanted = set(countries) - self._countries
        if not wanted:
            return
        rows = self.session.scalars(select(Institution).where(Institution.country.in_(wanted)))
        for row in rows:
            self._by_key.setdefault(institution_key(row.name, row.country), row)
        self._countries |= wanted

    def find(self, data: InstitutionData) -> Institution | None:
        """Return the stored institution matching `data`, or None; changes nothing."""
        self.preload([data.country])
        return self._by_key.get(institution_key(data.name, data.country))

    def resolve(self, data: InstitutionData) -> Institution:
        """Return the matching institution, updated with the details `data` gives, or a new one.

        Details are filled in, never erased: a record without a city keeps the stored city.
        The stored spelling of the name is kept. A new institution is a certified member:
        institutions come in this way only through operators' imports and the CLI, which
        bring in schools of the network (schools applying online are created as applicants
        by practices.services.memberships.create_institution).
        """
        institution = self.find(data)
        if institution is None:
            key = institution_key(data.name, data.country)
            institution = Institution(
                name=data.name, country=data.country, levels=[], membership=Membership.MEMBER
            )
            self.session.add(institution)
            self._by_key[key] = institution
        _fill_in(institution, data)
        return institution


def _fill_in(institution: Institution, data: InstitutionData) -> None:
    for field in ("city", "sector", "locality"):
        value = getattr(data, field)
        if value is not None and getattr(institution, field) != value:
            setattr(institution, field, value)
    if data.levels and list(data.levels) != institution.levels:
        institution.levels = list(data.levels)
