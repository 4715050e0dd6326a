"""What each tag means, in short reference texts that tag suggestions compare a draft with.

The texts are English descriptions (the encoder is multilingual, so a draft in any language is
compared with them). Themes, pillars and emerging issues: their vocabulary labels
(practices.vocab, from the ASPnet Strategy 2022-2029) plus one or two sentences of the team's
own wording of what a school practice under that tag is about. SDG Goals and targets: the
official wording of A/RES/70/1 from `data/sdg_reference_en.jsonl` (source and licence in
data/README.md). How many suggestions of each kind are shown: SHOWN (chosen from the figures of
benchmarks/eval_tags.py; see the README, "Search quality").
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from practices import fields, vocab
from practices.errors import ValidationError
from practices.i18n import Message
from practices.validation import MAX_SUMMARY, MAX_TITLE

SDG_REFERENCE_FILE = files("practices") / "data" / "sdg_reference_en.jsonl"

_THEME_TEXT = {
    "gced": [
        "Global citizenship education: peace, human rights, tolerance, democracy, "
        "non-violence, solidarity and preventing violence, bullying and extremism.",
        "Students learn to live together, resolve conflicts peacefully and act as "
        "responsible citizens of their community and of the world.",
    ],
    "esd": [
        "Education for sustainable development: environment, climate change, biodiversity, "
        "energy, water, waste, recycling and sustainable consumption.",
        "Students take action for the planet: school gardens, composting, saving energy, "
        "protecting nature and the local ecosystem.",
    ],
    "intercultural": [
        "Intercultural learning: cultural diversity, languages, exchanges between schools of "
        "different countries and cultures, dialogue and mutual understanding.",
        "Cultural and natural heritage: local history, traditions, oral history, crafts, music, "
        "museums and World Heritage sites.",
    ],
}

_PILLAR_TEXT = {
    1: ["Schools drive innovation: new teaching methods, student-led projects and "
        "experiments that change how the school teaches and learns."],
    2: ["Capacity building through pilot projects: training teachers and staff, workshops, "
        "a pilot tried in some classes before being extended."],
    3: ["Communication and advocacy: campaigns, exhibitions, media, social networks and "
        "events that raise awareness in the school, among parents and in the community."],
    4: ["Networking, collaboration and coordination: partnerships with other schools, "
        "twinning, exchanges, cooperation with families, NGOs, universities and authorities."],
}

_ISSUE_TEXT = {
    "ai": ["Artificial intelligence: students learn how AI, algorithms, chatbots and machine "
           "learning work, and use them critically and ethically."],
    "disinformation": ["Disinformation: fake news, rumours, propaganda and misleading "
                       "content; students learn to check facts and sources."],
    "waste": ["Waste: reducing, sorting, reusing and recycling waste, plastic, food waste "
              "and compost."],
    "climate": ["Climate: climate change, greenhouse gas emissions, global warming, "
                "adaptation and climate action."],
    "health_wellbeing": ["Health and well-being: physical and mental health, nutrition, "
                         "sport, hygiene, stress and students' well-being."],
    "media_information_literacy": ["Media and information literacy: understanding, "
                                   "evaluating and creating media and information, "
                                   "online safety and digital citizenship."],
}

SHOWN = MappingProxyType({"themes": 1, "pillars": 0, "emerging_issues": 2, "sdg_targets": 3})
"""How many suggestions of each kind the form shows, chosen from benchmarks/eval_tags.py with
the real model (README, "Search quality"): pillars none, because ranking their descriptions
picked a practice's pillar less often (0.53) than always naming the most frequent one (0.78)."""


def _with_label(labels, texts) -> dict:
    return {key: [str(labels[key]), *texts[key]] for key in labels}


def theme_references() -> dict[str, list[str]]:
    """{theme code: [its label, its descriptions]} for every thematic area."""
    return _with_label(vocab.THEMES, _THEME_TEXT)


def pillar_references() -> dict[int, list[str]]:
    """{pillar number: [its label, its description]} for the four action pillars."""
    return _with_label(vocab.PILLARS, _PILLAR_TEXT)


def issue_references() -> dict[str, list[str]]:
    """{emerging issue code: [its label, its description]}."""
    return _with_label(vocab.EMERGING_ISSUES, _ISSUE_TEXT)


@cache
def _sdg_texts() -> tuple[dict[str, str], dict[str, str]]:
    goals: dict[str, str] = {}
    targets: dict[str, str] = {}
    for line in SDG_REFERENCE_FILE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        (goals if record["kind"] == "goal" else targets)[record["code"]] = record["text"]
    return goals, targets


def sdg_target_references() -> dict[str, list[str]]:
    """{target code "4.7": [its official wording]} for the 169 targets, in official order."""
    return {code: [_sdg_texts()[1][code]] for code in vocab.SDG_TARGETS}


def sdg_goal_references() -> dict[int, list[str]]:
    """{goal number: [short name, official Goal wording, the wording of each of its targets]}."""
    goals, targets = _sdg_texts()
    return {
        goal: [str(name), goals[str(goal)],
               *(text for code, text in targets.items() if code.split(".")[0] == str(goal))]
        for goal, name in vocab.SDG_GOALS.items()
    }


_DRAFT_FIELDS = {
    "title": fields.string(fields.text(MAX_TITLE)),
    "summary": fields.string(fields.text(MAX_SUMMARY, one_line=False)),
    "body": fields.string(fields.text(fields.MAX_BODY, one_line=False)),
}

NO_TEXT = Message("has no text to suggest tags from: write a title, a summary or a description")
"""The message of a draft without a letter or digit (what the API says; the form its own)."""


def has_words(*parts: str | None) -> bool:
    """True when the parts hold at least one letter or digit (spaces, dots, zero-width
    characters and emoji alone give nothing to suggest tags from)."""
    return any(ch.isalnum() for part in parts for ch in part or "")


def draft_text(record: Mapping[str, Any]) -> dict[str, str]:
    """Return {"title", "summary", "body"} of a draft to suggest tags for, checked as a
    practice's are (text, same length limits); other fields of the record are ignored.

    Raises:
        ValidationError: a field is not text or too long, or no field has a letter or digit
            (field "": NO_TEXT).
    """
    errors: dict[str, Any] = {}
    text: dict[str, str] = {}
    for name, parse in _DRAFT_FIELDS.items():
        try:
            text[name] = parse(record.get(name) or "")
        except ValueError as exc:
            errors[name] = exc.args[0]
    if not errors and not has_words(*text.values()):
        errors[""] = NO_TEXT
    if errors:
        raise ValidationError(errors)
    return text
