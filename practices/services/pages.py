"""One page of a longer list, and the query that makes it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from practices.errors import ValidationError
from practices.i18n import Message

T = TypeVar("T")
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    """Items of page `page` (from 1) of `per_page` each, out of `total` matching items."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1, so "page 1 of 1" reads right when empty)."""
        return max(1, math.ceil(self.total / self.per_page))


def paginate(session: Session, stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Run `stmt` (an ordered select of one entity) for one page and count all its rows.

    A page beyond the last one gives the last one (a bookmark of a list that has shrunk, or a
    number typed into the address bar), so the offset never exceeds the rows there are.

    Raises:
        ValidationError: page < 1, or per_page outside 1..MAX_PER_PAGE.
    """
    if page < 1:
        raise ValidationError({"page": Message("%(page)s is not a page number; pages start at 1",
                                                page=page)})
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationError({"per_page": Message("must be between 1 and %(max)d",
                                                    max=MAX_PER_PAGE)})
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = min(page, max(1, math.ceil(total / per_page)))
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total, page, per_page)
