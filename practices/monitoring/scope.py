"""What a dashboard covers: one country, one UNESCO region, or the whole network."""
from __future__ import annotations

from dataclasses import dataclass

from practices.codes import normalise_country
from practices.errors import ValidationError
from practices.i18n import Message
from practices.regions import REGIONS, countries_in


@dataclass(frozen=True)
class Scope:
    """The countries a dashboard counts.

    kind is "country", "region" or "network"; code the country (ISO alpha-2) or region code
    (practices.regions.REGIONS); countries None for the whole network.
    """

    kind: str
    code: str | None
    countries: tuple[str, ...] | None


NETWORK = Scope("network", None, None)
"""Every country, including those of no UNESCO region."""


def country_scope(code: str) -> Scope:
    """Return the scope of one country.

    Raises:
        ValidationError: `code` is not an ISO 3166-1 alpha-2 country code.
    """
    try:
        country = normalise_country(code)
    except ValueError as exc:
        raise ValidationError({"country": exc.args[0]}) from None
    return Scope("country", country, (country,))


def region_scope(code: str) -> Scope:
    """Return the scope of one UNESCO region (its countries per the bundled data file).

    Raises:
        ValidationError: `code` is not one of practices.regions.REGIONS.
    """
    if code not in REGIONS:
        raise ValidationError({"region": Message("%(value)r is not a UNESCO region", value=code)})
    return Scope("region", code, countries_in(code))
