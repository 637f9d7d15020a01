"""A page's timeline as a file of its own: a standalone SVG document, the PNG drawn from it, and
the 1,200 by 630 preview image that link previews (Open Graph, Twitter cards) show.

The document is the page's own chart (templates/policies/_timeline_chart.html), so that the
file draws what the page draws; around it come the colours of static/css/site.css, which the
chart only names by class, a title and a source line, so that it reads the same once it has
left the site. The PNG is rasterised here, by resvg (a self-contained wheel: no system library,
no browser), with the system's fonts.
"""

import functools
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import resvg_py
from django.conf import settings

from policies.timeline import BOLD_CHAR_EM, CHAR_EM

SVG = "http://www.w3.org/2000/svg"
ElementTree.register_namespace("", SVG)

# The PNG has twice the chart's pixels, for screens and slides that are dense, up to
# PNG_MOST_PIXELS; a taller chart (100 commitments are 6,000 units tall) is drawn at its own size,
# which halves both sides and quarters the seconds a cold render takes (3 s to 0.8 s here).
PNG_ZOOM = 2
PNG_MOST_PIXELS = 1920 * 4000
PREVIEW_WIDTH, PREVIEW_HEIGHT = 1200, 630

TITLE_SIZE = 18
TITLE_LINE = 24
SOURCE_SIZE = 12
SOURCE_LINE = 16
PADDING = 16

# What the page's stylesheet gives the chart through the page: a typeface (the chart inherits
# the page's; DejaVu Sans is the widest of them, the one its text estimates allow for), and
# the white a page sits on.
FILE_RULES = (
    '.timeline-chart { font-family: system-ui, "DejaVu Sans", sans-serif; }\n'
    ".timeline-chart .page { fill: #ffffff; }\n"
    f".timeline-chart .file-title {{ font-size: {TITLE_SIZE}px; font-weight: 700; fill: #1b1f24; }}\n"
    f".timeline-chart .file-source {{ font-size: {SOURCE_SIZE}px; fill: #4a5560; }}"
)

_PROPERTY = re.compile(r"(--[\w-]+):\s*([^;]+);")
_RULE = re.compile(r"^(\.timeline-chart\b[^{]*)\{([^}]*)\}", re.MULTILINE)
_VAR = re.compile(r"var\((--[\w-]+)\)")


@functools.cache
def chart_style() -> str:
    """The rules of site.css that draw the chart, with each colour the stylesheet names by a
    custom property written out (a file opened alone has no page to inherit them from, and
    SVG renderers read few of them). Read once a process: the stylesheet changes with a deploy.
    """
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    values = dict(_PROPERTY.findall(css))
    rules = [FILE_RULES]
    for selector, body in _RULE.findall(css):
        selector = selector.strip()
        # Its size on the page, and hover and focus: a file has neither.
        if selector == ".timeline-chart" or ":" in selector:
            continue
        rules.append(f"{selector} {{{_VAR.sub(lambda m: values[m[1]], body)}}}")
    return "\n".join(rules)


@dataclass(frozen=True, slots=True)
class Credit:
    """What the file says of itself: its title, and where and when it comes from."""

    title: str
    page_url: str  # absolute, with the page's `as_of` if it has one
    as_of: str  # "3 December 2026"

    @property
    def source_line(self) -> str:
        return f"Policy Tracker, {self.page_url}, as of {self.as_of}"


def _lines(text: str, *, width: float, size: int, em: float) -> list[str]:
    return textwrap.wrap(text, max(20, int(width / (em * size)))) or [""]


def _text(parent: ElementTree.Element, lines: list[str], *, x: int, y: float, step: int, cls: str):
    text = ElementTree.SubElement(parent, f"{{{SVG}}}text", {"class": cls})
    for n, line in enumerate(lines):
        span = ElementTree.SubElement(
            text, f"{{{SVG}}}tspan", {"x": str(x), "y": str(y + n * step)}
        )
        span.text = line


def standalone_svg(chart: str, credit: Credit) -> str:
    """The chart (`chart`, as the page draws it) as an SVG document that renders alone: its
    styles inline, its links absolute, the title above it and the source line below."""
    root = ElementTree.fromstring(chart)
    width, height = (int(float(n)) for n in root.attrib["viewBox"].split()[2:])
    plot = width - 2 * PADDING
    title = _lines(credit.title, width=plot, size=TITLE_SIZE, em=BOLD_CHAR_EM)
    source = _lines(credit.source_line, width=plot, size=SOURCE_SIZE, em=CHAR_EM)
    top = PADDING + len(title) * TITLE_LINE
    bottom = PADDING + len(source) * SOURCE_LINE
    total = top + height + bottom
    root.attrib.update(
        {"width": str(width), "height": str(total), "viewBox": f"0 {-top} {width} {total}"}
    )
    for link in root.iter(f"{{{SVG}}}a"):
        if "href" in link.attrib:
            link.attrib["href"] = urljoin(credit.page_url, link.attrib["href"])
    # After the chart's <title> and <desc>, which name the document to assistive technology.
    head = ElementTree.Element(f"{{{SVG}}}style")
    head.text = "\n" + chart_style() + "\n"
    page = ElementTree.Element(
        f"{{{SVG}}}rect",
        {"class": "page", "x": "0", "y": str(-top), "width": str(width), "height": str(total)},
    )
    root.insert(2, head)
    root.insert(3, page)
    _text(root, title, x=PADDING, y=-top + PADDING + TITLE_SIZE, step=TITLE_LINE, cls="file-title")
    _text(
        root,
        source,
        x=PADDING,
        y=height + PADDING + SOURCE_SIZE,
        step=SOURCE_LINE,
        cls="file-source",
    )
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def png_zoom(width: float, height: float) -> int:
    return PNG_ZOOM if width * height * PNG_ZOOM**2 <= PNG_MOST_PIXELS else 1


def png_of(svg: str) -> bytes:
    """The document drawn at PNG_ZOOM times its size, or at its size where that is too many
    pixels."""
    root = ElementTree.fromstring(svg.split("\n", 1)[1])
    zoom = png_zoom(float(root.attrib["width"]), float(root.attrib["height"]))
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom))


def preview_png(svg: str) -> bytes:
    """The document fitted to a link preview's 1,200 by 630: its top (the title and the first
    rows) across the whole width, on white where it is shorter."""
    root = ElementTree.fromstring(svg.split("\n", 1)[1])
    left, top, width, height = (float(n) for n in root.attrib["viewBox"].split())
    shown = min(height, width * PREVIEW_HEIGHT / PREVIEW_WIDTH)
    root.attrib.update(
        {
            "width": str(PREVIEW_WIDTH),
            "height": str(PREVIEW_HEIGHT),
            "viewBox": f"{left} {top} {width} {shown}",
            # A short chart sits in the middle; a tall one is cut to its top, which fills the frame.
            "preserveAspectRatio": "xMidYMid meet",
        }
    )
    fitted = ElementTree.tostring(root, encoding="unicode")
    return bytes(resvg_py.svg_to_bytes(svg_string=fitted, background="#ffffff"))
