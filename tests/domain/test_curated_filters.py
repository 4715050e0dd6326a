"""The curated list narrowed by education level and by the promotion dossier's rubric total."""
from __future__ import annotations

from practices.services import CuratedFilters, list_curated, promote
from tests.factories import VALID_DOSSIER, make_practice, make_user, practice_data

# Every criterion at 2: a total of 12 of 18, just enough.
JUST_ENOUGH = {**VALID_DOSSIER, "scores": dict.fromkeys(VALID_DOSSIER["scores"], 2)}


def _promoted(session, curator, title: str, levels: list[str], dossier) -> int:
    data = practice_data(1, title=title, levels=levels)
    practice = make_practice(session, status="published", data=data)
    promote(session, practice.id, dossier, actor=curator)
    return practice.id


def test_the_list_is_narrowed_by_level_and_minimum_total(session):
    curator = make_user(session, "curator")
    primary = _promoted(session, curator, "Primary garden", ["primary"], VALID_DOSSIER)
    secondary = _promoted(session, curator, "Secondary garden", ["secondary"], JUST_ENOUGH)

    def ids(**filters) -> set[int]:
        page = list_curated(session, actor=curator, filters=CuratedFilters(**filters))
        return {p.id for p in page.items}

    assert ids(level="primary") == {primary}
    assert ids(level="secondary") == {secondary}
    assert ids(min_total=13) == {primary}  # VALID_DOSSIER totals 14
    assert ids(min_total=12) == {primary, secondary}
    assert ids(min_total=15) == set()
