"""The form of the annual report's free-text section."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField


class ReportTextForm(FlaskForm):
    """What the National Coordinator writes about the year (rules: practices.monitoring)."""

    narrative = TextAreaField(_l("The year in your network, in your words"))
    save = SubmitField(_l("Save the text"))
