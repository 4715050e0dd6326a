"""The five UNESCO regions and which countries belong to each (practices/data/unesco_regions.csv;
its source is named in practices/data/README.md)."""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from types import MappingProxyType

from practices.i18n import N_

_DATA = Path(__file__).resolve().parent / "data" / "unesco_regions.csv"

REGIONS = MappingProxyType(
    {
        "africa": N_("Africa"),
        "arab_states": N_("Arab States"),
        "asia_pacific": N_("Asia and the Pacific"),
        "europe_north_america": N_("Europe and North America"),
        "latin_america_caribbean": N_("Latin America and the Caribbean"),
    }
)
"""The regions' codes (used in URLs and CSV) and names, in UNESCO's order."""

OTHER = "other"
"""The region of a country the data file does not list (not a UNESCO Member State)."""


@cache
def country_regions() -> MappingProxyType[str, str]:
    """Return {ISO 3166-1 alpha-2 code: region code} read from the bundled data file."""
    with _DATA.open(encoding="utf-8", newline="") as f:
        return MappingProxyType({row["code"]: row["region"] for row in csv.DictReader(f)})


def region_of(country: str | None) -> str:
    """Return the region code of a country, or OTHER when the data file does not list it."""
    return country_regions().get((country or "").upper(), OTHER)


def countries_in(region: str) -> tuple[str, ...]:
    """Return the country codes of a region, sorted.

    Raises:
        KeyError: `region` is not one of REGIONS.
    """
    if region not in REGIONS:
        raise KeyError(region)
    return tuple(sorted(c for c, r in country_regions().items() if r == region))
