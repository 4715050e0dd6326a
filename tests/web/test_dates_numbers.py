"""Dates, moments and numbers are written the way each interface language writes them, the
month always in letters (never the ambiguous 12/5/26), moments in UTC."""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import render_template_string

MOMENT = datetime(2026, 12, 5, 16, 30)  # stored moments are UTC (naive on SQLite)


@pytest.mark.parametrize(
    ("tag", "day", "moment", "number"),
    [("en", "Dec 5, 2026", "Dec 5, 2026, 4:30 PM UTC", "12,345"),
     ("fr", "5 déc. 2026", "5 déc. 2026, 16:30 UTC", "12 345"),
     ("es", "5 dic 2026", "5 dic 2026, 16:30 UTC", "12.345"),
     ("ru", "5 дек. 2026 г.", "5 дек. 2026 г., 16:30 UTC", "12 345"),
     ("zh", "2026年12月5日", "2026年12月5日 16:30 UTC", "12,345"),
     ("ar", "5 ديسمبر 2026", "5 ديسمبر 2026، 4:30 م UTC", "12,345")],
)  # fmt: skip
def test_each_language_writes_dates_and_numbers_its_own_way(app, tag, day, moment, number):
    template = "{{ d|dateformat }}|{{ m|dateformat('short') }}|{{ m|datetimeformat('short') }}|" \
               "{{ n|number }}"
    with app.test_request_context(headers={"Accept-Language": tag}):
        shown = render_template_string(template, d=date(2026, 12, 5), m=MOMENT, n=12345)

    # CLDR separates with no-break spaces (U+00A0, U+202F): compared here as spaces.
    assert re.sub(r"[\xa0\u202f]", " ", shown).split("|") == [day, day, moment, number]


@pytest.mark.parametrize(
    ("tag", "shown"),
    [("en", ["1 hour", "2 hours", "5 hours", "24 hours"]),
     ("ar", ["ساعة واحدة", "ساعتين", "5 ساعات", "24 ساعة"]),
     ("ru", ["1 часа", "2 часов", "5 часов", "24 часов"]),
     ("es", ["1 hora", "2 horas", "5 horas", "24 horas"])],
)  # fmt: skip
def test_how_long_a_link_works_takes_the_language_s_plural_form(app, tag, shown):
    # "لمدة 2 ساعة" (Arabic wants the dual, ساعتين) was in every reset e-mail.
    with app.test_request_context(headers={"Accept-Language": tag}):
        said = [render_template_string("{{ n|hours }}", n=n) for n in (1, 2, 5, 24)]
    assert said == shown


def test_no_page_template_formats_a_date_by_hand():
    # isoformat() only in a machine-readable attribute (<time datetime="...">): shown to
    # people, "2026-12-05" sat among Arabic words on the practice page and the dashboards.
    templates = Path(__file__).resolve().parents[2] / "app" / "templates"
    machine = re.compile(r'datetime="\{\{[^}]*isoformat\(\)[^}]*\}\}"')
    by_hand = [str(p) for p in templates.rglob("*.html")
               if "strftime" in p.read_text() or "isoformat" in machine.sub("", p.read_text())]
    assert by_hand == []
