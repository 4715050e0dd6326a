"""What other repositories harvest: public practices in id order, selected by the date they
last changed and by set (thematic area or country), page by page; the sets there are; the
citation of a practice (BibTeX and CSL-JSON). The OAI-PMH protocol itself is app/harvesting.

Only public practices (practices.visibility.visible_clause) are ever listed or cited.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from practices.errors import NotFound
from practices.i18n import Message
from practices.models import Practice, PracticeRevision, PracticeTag
from practices.visibility import visible_clause
from practices.vocab import THEMES
from practices.workflow import Status

PUBLISHER = "UNESCO Associated Schools Network (ASPnet) Practice Exchange"


@dataclass(frozen=True)
class Selection:
    """Which public practices a harvest asks for: changed in [since, before) (UTC), in a set
    ("theme:esd", "country:FR"; "theme" and "country" hold all of their kind) or every one;
    after_id pages on."""

    since: datetime | None = None
    before: datetime | None = None
    set_spec: str | None = None
    after_id: int = 0


def set_specs(session: Session) -> list[str]:
    """Return the sets that hold public practices: "theme:<code>" then "country:<code>"."""
    themes = set(session.scalars(
        select(PracticeTag.value).join(Practice, Practice.id == PracticeTag.practice_id)
        .where(PracticeTag.kind == "theme", visible_clause()).distinct()))
    countries = session.scalars(select(Practice.country).where(
        visible_clause(), Practice.country.is_not(None)).distinct())
    return ([f"theme:{t}" for t in THEMES if t in themes]
            + [f"country:{c}" for c in sorted(countries)])


def is_set_spec(spec: str) -> bool:
    """Tell whether `spec` names a set this repository could have (theme:<code> or
    country:<two letters>)."""
    kind, _, code = spec.partition(":")
    return (kind == "theme" and code in THEMES) or (
        kind == "country" and re.fullmatch(r"[A-Z]{2}", code) is not None)


def harvest(session: Session, selection: Selection, limit: int) -> tuple[list[Practice], int]:
    """Return (the next `limit` public practices of the selection after `after_id`, in id
    order, with institution and tags loaded; how many the whole selection holds)."""
    conditions = [visible_clause()]
    if selection.since is not None:
        conditions.append(Practice.updated_at >= selection.since)
    if selection.before is not None:
        conditions.append(Practice.updated_at < selection.before)
    if selection.set_spec:
        kind, _, code = selection.set_spec.partition(":")
        if kind == "country":
            conditions.append(Practice.country == code if code else Practice.country.is_not(None))
        else:
            theme = PracticeTag.value == code if code else PracticeTag.value.is_not(None)
            conditions.append(exists(select(PracticeTag.practice_id).where(
                PracticeTag.practice_id == Practice.id, PracticeTag.kind == "theme", theme)))
    total = session.scalar(select(func.count()).select_from(Practice).where(*conditions))
    page = session.scalars(
        select(Practice).where(*conditions, Practice.id > selection.after_id)
        .options(selectinload(Practice.institution), selectinload(Practice.tags))
        .order_by(Practice.id).limit(limit))
    return list(page), total or 0


def public_practice(session: Session, practice_id: int) -> Practice:
    """Return a public practice.

    Raises:
        NotFound: no practice of that id, or not public.
    """
    practice = session.scalars(select(Practice).where(
        Practice.id == practice_id, visible_clause())).first()
    if practice is None:
        raise NotFound(Message("no public practice %(id)s", id=practice_id))
    return practice


def earliest_change(session: Session) -> datetime | None:
    """Return when the least recently changed public practice last changed (None: none)."""
    return session.scalar(select(func.min(Practice.updated_at)).where(visible_clause()))


def citation(practice: Practice, url: str) -> dict[str, Any]:
    """Return the CSL-JSON item citing a public practice at its permanent `url`
    (CSL-JSON schema: citation-style-language/schema, csl-data.json)."""
    item: dict[str, Any] = {
        "id": f"practice-{practice.id}", "type": "webpage", "title": practice.title,
        "publisher": PUBLISHER, "URL": url, "language": practice.language,
    }
    if practice.institution is not None:
        item["author"] = [{"literal": practice.institution.name}]
    if practice.summary:
        item["abstract"] = practice.summary
    if practice.published_at is not None:
        day = practice.published_at
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    return item


def bibtex(practice: Practice, url: str) -> str:
    """Return a BibTeX @misc entry citing a public practice at its permanent `url`."""
    fields = {"title": practice.title, "howpublished": PUBLISHER, "url": url,
              "language": practice.language}
    if practice.institution is not None:
        fields["author"] = practice.institution.name
    if practice.published_at is not None:
        fields["year"] = str(practice.published_at.year)
        fields["month"] = str(practice.published_at.month)
    # The author is a body, not "First Last": double braces keep BibTeX from splitting it.
    lines = [f"  {k} = {{{{{_bibtex_escape(v)}}}}}" if k == "author"
             else f"  {k} = {{{_bibtex_escape(v)}}}" for k, v in fields.items()]
    return f"@misc{{practice{practice.id},\n" + ",\n".join(lines) + "\n}\n"


_BIBTEX_SPECIAL = re.compile(r"[\\&%$#_{}~^]")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}"}


def _bibtex_escape(text: str) -> str:
    # One pass, so an escape's own braces are never escaped again.
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(), "\\" + m.group()),
                               text)


def sitemap_entries(session: Session, offset: int, limit: int) -> list[tuple[int, datetime]]:
    """Return (id, last change) of public practices in id order, `limit` from `offset`."""
    stmt = (select(Practice.id, Practice.updated_at).where(visible_clause())
            .order_by(Practice.id).offset(offset).limit(limit))
    return [(pid, at) for pid, at in session.execute(stmt)]


def public_count(session: Session) -> int:
    """Return how many practices are public."""
    return session.scalar(select(func.count()).select_from(Practice).where(visible_clause())) or 0


def public_versions(session: Session, practice_id: int) -> list[tuple[int, datetime]]:
    """Return the public version history of a practice: (revision number, date it was
    published) of each revision that went online, oldest first (a declined or pending edit
    never did)."""
    stmt = (select(PracticeRevision.number, PracticeRevision.decided_at)
            .where(PracticeRevision.practice_id == practice_id,
                   PracticeRevision.decided_at.is_not(None),
                   PracticeRevision.status != Status.DECLINED)
            .order_by(PracticeRevision.number))
    return [(number, at) for number, at in session.execute(stmt)]
