"""HTML to PDF with WeasyPrint (imported on first use: it loads Pango and the fonts).

WeasyPrint lays text out with Debian's Pango and the fonts fontconfig finds; `make pdf-fonts`
installs Noto for Arabic (fonts-noto-core) and Chinese, Japanese, Korean (fonts-noto-cjk).
"""
from __future__ import annotations


def html_to_pdf(html: str, base_url: str) -> bytes:
    """Return the PDF of a complete HTML document; relative links resolve against base_url."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
