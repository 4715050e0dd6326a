"""The development set of benchmarks/devset/ (README there): practices, labels, distractors.

One reader for benchmarks/eval_devset.py and tests/test_devset.py.

  practices/*.txt   the practices, each introduced by a header line
                    `=== <id> | <BCP 47 language> | <ISO country> | <themes,> | <SDG targets,>`
                    followed by its title (one line) and its Markdown body.
  near_empty.jsonl  near-empty submissions (import records), which the domain must refuse.
  labels.toml       topics of each practice, translation pairs, short teacher queries with their
                    topics, and long practices with queries for their last paragraph.
The unrelated texts are the first passages of the shared Courier set (English), read through
tests/shared_data.py (PRACTICE_EXCHANGE_SHARED_DATA), never copied here.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.shared_data import shared_file

DEVSET = Path(__file__).resolve().parent / "devset"
PREFIX = "devset-"  # external ids of the set's practices: devset-<id>
COURIER_PREFIX = "courier-"
_HEADER = re.compile(r"^=== (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class DevPractice:
    """One practice of the set.

    Attributes:
        id: the set's id ("en-01", "long-fr-1"); external_id = PREFIX + id.
        language: BCP 47 tag; country: ISO 3166-1 alpha-2; themes, sdg_targets: import tags.
        topics: hand-labelled topics (labels.toml); empty for unrelated texts.
    """

    id: str
    language: str
    country: str
    themes: tuple[str, ...]
    sdg_targets: tuple[str, ...]
    title: str
    body: str
    topics: frozenset[str] = frozenset()
    prefix: str = PREFIX

    @property
    def external_id(self) -> str:
        """The practice's external_id once imported (prefix + id)."""
        return self.prefix + self.id

    def record(self) -> dict[str, Any]:
        """The import record (`flask practices import` JSON Lines)."""
        record = {"external_id": self.external_id, "title": self.title, "body": self.body,
                  "language": self.language, "themes": list(self.themes),
                  "sdg_targets": list(self.sdg_targets)}
        return record | ({"country": self.country} if self.country else {})

    @property
    def text(self) -> str:
        """Title and body, the whole text the bare model is given."""
        return f"{self.title}\n\n{self.body}"


@dataclass(frozen=True)
class Query:
    """A short teacher query in `language` and the topics that answer it."""

    text: str
    language: str
    topics: frozenset[str]


@dataclass(frozen=True)
class LateQuery:
    """A query about the last paragraph of long practice `practice`."""

    practice: str
    text: str
    language: str


@dataclass(frozen=True)
class Labels:
    """labels.toml, read: topic names, practice topics, translations, queries."""

    topics: dict[str, str]
    practices: dict[str, frozenset[str]]
    translations: dict[str, str]
    queries: list[Query]
    late: list[LateQuery] = field(default_factory=list)


def read_labels(path: Path = DEVSET / "labels.toml") -> Labels:
    """Read labels.toml (shape: its comments)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Labels(
        topics=dict(data["topics"]),
        practices={k: frozenset(v) for k, v in data["practices"].items()},
        translations=dict(data.get("translations", {})),
        queries=[Query(q["text"], q["language"], frozenset(q["topics"]))
                 for q in data["queries"]],
        late=[LateQuery(item["practice"], q["text"], q["language"])
              for item in data.get("late", []) for q in item["queries"]],
    )


def read_practices(folder: Path = DEVSET / "practices",
                   labels: Labels | None = None) -> list[DevPractice]:
    """Read every practice of practices/*.txt (sorted by file, then order), with its topics.

    Raises:
        ValueError: a malformed header, a practice without title or body, or a repeated id.
    """
    labels = labels or read_labels()
    found: list[DevPractice] = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        heads = list(_HEADER.finditer(text))
        for head, nxt in zip(heads, [*heads[1:], None], strict=True):
            fields = [f.strip() for f in head.group(1).split("|")]
            if len(fields) != 5:
                raise ValueError(f"{path.name}: bad header {head.group(0)!r}")
            pid, language, country, themes, sdg = fields
            content = text[head.end(): nxt.start() if nxt else len(text)].strip("\n")
            title, _, body = content.partition("\n")
            if not title.strip() or not body.strip():
                raise ValueError(f"{path.name}: {pid} needs a title line and a body")
            found.append(DevPractice(
                pid, language, country, tuple(t for t in themes.split(",") if t),
                tuple(s for s in sdg.split(",") if s and s != "-"), title.strip(),
                body.strip(), labels.practices.get(pid, frozenset())))
    ids = [p.id for p in found]
    if len(ids) != len(set(ids)):
        raise ValueError(f"repeated ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return found


def read_near_empty(path: Path = DEVSET / "near_empty.jsonl") -> list[dict[str, Any]]:
    """The near-empty submissions, as import records."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def courier_distractors(count: int) -> list[DevPractice]:
    """The first `count` passages of the shared Courier set, as topic-less English practices
    (title: the article's title; theme "intercultural", no country)."""
    found: list[DevPractice] = []
    with shared_file("courier", "courier_passages_part1.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if len(found) >= count:
                break
            r = json.loads(line)
            title = " ".join((r.get("title") or "UNESCO Courier").split())[:200]
            found.append(DevPractice(r["id"].removeprefix(COURIER_PREFIX), "en", "",
                                     ("intercultural",), (), title, r["body"],
                                     prefix=COURIER_PREFIX))
    return found

