"""Markdown to safe HTML (for display) and to plain text (for search).

Authors are teachers writing text, not HTML: raw HTML in a body is shown as the characters
typed ("a<b and c>d" stays exactly that), never interpreted. The sanitiser still runs on
Markdown's output, because Markdown itself emits links and images whose addresses the author
chose (`[x](javascript:...)`).
"""
from __future__ import annotations

import threading
from functools import partial
from html.parser import HTMLParser

import bleach
from bleach.linkifier import LinkifyFilter
from markdown import Markdown

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
        "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "abbr",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "img": ["src", "alt", "title"],
    "abbr": ["title"],
    "th": ["align"],
    "td": ["align"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Not "extra": its footnotes need id attributes (which would let authors clobber page ids),
# attr_list lets authors write attributes, and md_in_html is moot without raw HTML.
_EXTENSIONS = ["fenced_code", "tables", "def_list", "abbr", "sane_lists"]
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}  # align= instead of style=
_local = threading.local()  # per-thread Markdown converter and bleach Cleaner

# Tags after which plain_text starts a new line, so words of two blocks never run together.
_BLOCK_TAGS = frozenset(
    {"p", "br", "hr", "pre", "li", "dt", "dd", "tr", "th", "td", "blockquote"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
)


def render_markdown(text: str) -> str:
    """Return the sanitised HTML of a Markdown body, safe to insert into a page.

    The ONLY place in the codebase that calls bleach: bleach is archived upstream, and a
    change of sanitiser (e.g. to nh3) must stay a one-function edit. Steps: Markdown (tables,
    fenced code, definition lists, abbreviations, sane lists; raw HTML escaped), then one
    bleach pass that keeps ALLOWED_TAGS/ALLOWED_ATTRIBUTES, allows only http, https and
    mailto addresses, strips everything else, and turns bare URLs into links outside
    pre/code, every link with rel="nofollow noopener".
    """
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            # One pass with LinkifyFilter instead of clean() then linkify(): bleach 6's
            # linkify(skip_tags=...) escapes entities inside the skipped tags a second time
            # ("<html>" in a code block would show as "&lt;html&gt;"; cf. mozilla/bleach#704).
            filters=[partial(LinkifyFilter, callbacks=[_rel], skip_tags={"pre", "code"})],
        )
    return cleaner.clean(_markdown_to_html(text))


def plain_text(markdown_text: str) -> str:
    """Return the readable text of a Markdown body: no markup, one line per block.

    For search, not display; no sanitiser is involved because the result is never HTML.
    Image alt texts are kept; link addresses are not.
    """
    parser = _TextExtractor()
    parser.feed(_markdown_to_html(markdown_text))
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _markdown_to_html(text: str) -> str:
    # One converter per thread, reset before each use: Markdown instances keep state between
    # conversions and are not thread-safe, and building one costs about as much as converting
    # a typical body (imports convert thousands).
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = Markdown(
            extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS
        )
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    return md.reset().convert(text)


def _rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            self.parts.append(" " + (dict(attrs).get("alt") or "") + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
