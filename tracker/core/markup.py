"""Markdown that researchers write, rendered as HTML that cannot run anything.

markdown-it-py's "js-default" preset turns raw HTML off and refuses javascript:, vbscript:,
file: and data: link targets; nh3 then keeps only the tags and attributes a summary needs, so
that a parser bug or a future preset change cannot let a script or an event handler through.
"""

import nh3
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("js-default")

# Summaries sit under the page's own headings: no h1/h2, no images, no tables.
TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> str:
    """Safe HTML for a Markdown text (empty for an empty one)."""
    if not text:
        return ""
    return nh3.clean(
        _PARSER.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
