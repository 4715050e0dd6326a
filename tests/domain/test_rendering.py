"""Markdown rendering: hostile input comes out harmless, teachers' text comes out unchanged."""
from __future__ import annotations

import ast
from html.parser import HTMLParser
from pathlib import Path

import pytest

from practices.rendering import plain_text, render_markdown

REPO = Path(__file__).resolve().parents[2]


class _Page(HTMLParser):
    """Collects the elements and the visible text of an HTML fragment, as a browser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts).strip()


def assert_harmless(html: str) -> None:
    """No active element, no event handler, no address other than http(s)/mailto/relative."""
    for tag, attrs in _Page(html).elements:
        assert tag not in {"script", "iframe", "style", "svg", "object", "embed", "form", "math"}
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"style", "srcdoc", "formaction"}, (tag, name)
            if name in {"href", "src"}:
                scheme = (value or "").partition(":")[0].lower() if ":" in (value or "") else ""
                assert scheme in {"", "http", "https", "mailto"}, (tag, value)


PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '<a href="javascript:alert(1)">click</a>',
    '<p onclick="alert(1)">hi</p>',
    "<img src=x onerror=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<svg onload=alert(1)><circle/></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "# Title {: onclick=alert(1) }",
    "[x][1]\n\n[1]: javascript:alert(1)",
    '[x](http://ok.example "title" onmouseover="alert(1)")',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markup_renders_harmless(payload):
    assert_harmless(render_markdown(payload))


def test_raw_html_is_shown_as_the_characters_typed():
    html = render_markdown("<script>alert(1)</script>")
    assert _Page(html).text == "<script>alert(1)</script>"
    assert "<script" not in html


def test_a_javascript_link_keeps_its_text_but_loses_its_address():
    page = _Page(render_markdown("[click](javascript:alert(1))"))
    assert [attrs for tag, attrs in page.elements if tag == "a"] == [{"rel": "nofollow noopener"}]
    assert page.text == "click"


@pytest.mark.parametrize(
    "text",
    [
        "Tom & Jerry",
        "3 < 5 and 7 > 2",
        "a<b",
        "a<b and c>d",
        "x &lt; y is written with an entity",  # the text, not the character: as in Markdown
        "مدرسة خضراء: الطلاب يزرعون الأشجار",
        "בית ספר ירוק",
        "学生们经营学校菜园",
        "นักเรียนปลูกผัก",
        "छात्र स्कूल में बगीचा चलाते हैं",
        "Élèves 🌱🌍 👩🏽‍🏫",
    ],
)
def test_ordinary_text_survives_exactly(text):
    expected = text.replace("&lt;", "<")
    assert _Page(render_markdown(text)).text == expected


def test_html_inside_a_code_block_is_shown_literally():
    html = render_markdown("```\n<html>\n  <b>x</b> & y\n</html>\n```")
    assert _Page(html).elements == [("pre", {}), ("code", {})]
    assert _Page(html).text == "<html>\n  <b>x</b> & y\n</html>"


def test_inline_code_is_shown_literally():
    assert _Page(render_markdown("Use `<br>` & `a < b`")).text == "Use <br> & a < b"


def test_markdown_still_renders():
    assert render_markdown("*one* **two**") == "<p><em>one</em> <strong>two</strong></p>"
    assert render_markdown("1. a\n2. b") == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"
    assert render_markdown("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    assert render_markdown("## Steps") == "<h2>Steps</h2>"


def test_links_are_kept_and_marked_nofollow_noopener():
    html = render_markdown('[UNESCO](https://www.unesco.org/en "Home")')
    assert html == (
        '<p><a href="https://www.unesco.org/en" title="Home" rel="nofollow noopener">UNESCO</a></p>'
    )


def test_bare_addresses_become_links_outside_code():
    html = render_markdown("See https://example.org/a?b=1&c=2\n\n    https://example.org/code")
    links = [attrs for tag, attrs in _Page(html).elements if tag == "a"]
    assert links == [{"href": "https://example.org/a?b=1&c=2", "rel": "nofollow noopener"}]


def test_images_with_web_addresses_are_kept():
    html = render_markdown("![Pupils planting](https://example.org/p.jpg)")
    assert ("img", {"alt": "Pupils planting", "src": "https://example.org/p.jpg"}) in _Page(
        html
    ).elements


def test_tables_render_with_alignment_but_no_style_attribute():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert ("td", {"align": "right"}) in _Page(html).elements
    assert "style" not in html


def test_plain_text_drops_markup_and_keeps_words_of_blocks_apart():
    text = plain_text("# Title\n\nSome *emphasis* & [a link](https://x.example).\n\n- one\n- two")
    assert text == "Title\nSome emphasis & a link.\none\ntwo"


def test_plain_text_keeps_code_and_typed_html_as_text():
    assert plain_text("Type `<b>` then:\n\n```\nx < y\n```") == "Type <b> then:\nx < y"


def test_plain_text_keeps_image_descriptions():
    assert plain_text("![Pupils planting trees](https://example.org/p.jpg)") == (
        "Pupils planting trees"
    )


def test_bleach_is_called_only_by_the_rendering_module():
    # bleach is archived upstream: changing sanitiser must stay a one-module edit.
    importers = set()
    for folder in ("app", "practices", "search_index"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(n.split(".")[0] == "bleach" for n in names):
                    importers.add(path.relative_to(REPO).as_posix())
    assert importers == {"practices/rendering.py"}


def test_definitions_in_one_body_do_not_leak_into_the_next():
    # The converter is reused between calls; abbreviations and link references must not be.
    render_markdown("*[ESD]: Education for Sustainable Development\n\n[x][1]\n\n[1]: https://a.example")
    assert render_markdown("ESD and [x][1]") == "<p>ESD and [x][1]</p>"
