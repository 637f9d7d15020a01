"""Every standing is told apart by its shape alone (the chart in greyscale or print, a reader
who does not see colour) and by its colour alone, each colour clear against the page."""

import re
from pathlib import Path

import pytest

from policies.scorecard import SHAPES, Standing

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "site.css").read_text()
BACKGROUNDS = {"paper": "#ffffff", "tint": "#f3f6f9"}


def luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_of(standing: Standing) -> str:
    """The colour the stylesheet gives a standing's status words, as #rrggbb."""
    variable = re.search(rf"\.status-{standing.value} {{ color: var\(--([\w-]+)\); }}", CSS)
    assert variable, f"no colour for {standing.value}"
    value = re.search(rf"--{variable.group(1)}: (#[0-9a-f]{{6}});", CSS)
    assert value, variable.group(1)
    return value.group(1)


def test_no_two_standings_share_a_shape():
    assert set(SHAPES) == set(Standing)
    assert len(set(SHAPES.values())) == len(Standing)


def test_the_chart_draws_every_shape():
    chart = (
        Path(__file__).resolve().parent.parent / "templates/policies/_timeline_chart.html"
    ).read_text()
    for shape in SHAPES.values():
        assert f'row.shape == "{shape}"' in chart, shape


def test_no_two_standings_share_a_colour():
    colours = {standing: colour_of(standing) for standing in Standing}
    assert len(set(colours.values())) == len(Standing), colours


@pytest.mark.parametrize("background", BACKGROUNDS.values())
@pytest.mark.parametrize("standing", list(Standing))
def test_each_colour_stands_out_from_the_page_as_graphics_must(standing, background):
    # WCAG 1.4.11: 3:1 for graphics; the words in these colours need 4.5:1 (1.4.3).
    assert contrast(colour_of(standing), background) >= 4.5
