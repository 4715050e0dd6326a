"""A small HTML tree for page tests (standard library only), and basic accessibility checks.

Pages are read the way a user or assistive technology meets them: by elements, their text and
their attributes, never by matching raw HTML strings.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


class Node:
    """One element: tag, attributes, children (Nodes and strings)."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None = None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    @property
    def text(self) -> str:
        """The text content with white space collapsed (inline elements add no space)."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c._raw_text() for c in self.children)

    def iter(self):
        """Yield every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Node]:
        """Return the elements with this tag and attributes (class_ matches one class;
        True matches any value)."""
        return [n for n in self.iter() if (tag is None or n.tag == tag) and _matches(n, attrs)]

    def find(self, tag: str | None = None, **attrs: str | bool) -> Node | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, **attrs: str | bool) -> Node:
        """Return the only matching element (fails the test when there are none or several)."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


def _matches(node: Node, attrs: dict[str, str | bool]) -> bool:
    for name, wanted in attrs.items():
        name = name.rstrip("_").replace("_", "-")
        value = node.attrs.get(name)
        if wanted is True:
            if value is None:
                return False
        elif name == "class":
            if wanted not in (value or "").split():
                return False
        elif value != wanted:
            return False
    return True


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | bytes) -> Node:
    """Parse a page (or a response body) into a tree; returns the document node."""
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


# --- basic accessibility checks -------------------------------------------------------------

_UNLABELLED_TYPES = frozenset({"hidden", "submit", "button", "reset", "image"})


def unlabelled_controls(doc: Node) -> list[Node]:
    """Return the form controls with no label: no <label for>, no wrapping label, no aria-label."""
    labelled = {label.get("for") for label in doc.find_all("label") if label.get("for")}
    missing = []
    for control in doc.iter():
        if control.tag not in ("input", "select", "textarea"):
            continue
        if control.tag == "input" and control.get("type", "text") in _UNLABELLED_TYPES:
            continue
        if control.get("id") in labelled or control.get("aria-label") or control.get(
            "aria-labelledby"
        ):
            continue
        if any(a.tag == "label" for a in control.ancestors()):
            continue
        missing.append(control)
    return missing


def heading_problems(doc: Node) -> list[str]:
    """Return what is wrong with the heading outline: not one h1, or a skipped level."""
    levels = [int(n.tag[1]) for n in doc.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 elements")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"h{before} followed by h{after}")
    return problems


def images_without_alt(doc: Node) -> list[Node]:
    """Return the <img> elements without an alt attribute."""
    return [img for img in doc.find_all("img") if "alt" not in img.attrs]


def duplicate_ids(doc: Node) -> list[str]:
    """Return ids used more than once (labels and aria-describedby need unique ids)."""
    seen: dict[str, int] = {}
    for node in doc.iter():
        if "id" in node.attrs:
            seen[node["id"]] = seen.get(node["id"], 0) + 1
    return sorted(i for i, n in seen.items() if n > 1)


def accessibility_problems(doc: Node) -> list[str]:
    """Return every basic problem of a page (empty when it passes)."""
    problems = [f"unlabelled {c!r}" for c in unlabelled_controls(doc)]
    problems += heading_problems(doc)
    problems += [f"image without alt {i!r}" for i in images_without_alt(doc)]
    problems += [f"duplicate id {i}" for i in duplicate_ids(doc)]
    html = doc.find("html")
    if html is None or not html.get("lang"):
        problems.append("no <html lang>")
    if doc.find("main") is None:
        problems.append("no <main> landmark")
    return problems
