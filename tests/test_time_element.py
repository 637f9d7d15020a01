"""A date on a public page is a `<time>` whose `datetime` is a value HTML allows, never one more
precise than the date: a day, a month or a year as such, a quarter as its year, a decade as
words alone."""

import pytest

from tests import factories as make
from tracker.core.dates import FuzzyDate
from tracker.site.templatetags.entries import time_element


@pytest.mark.parametrize(
    ("written", "html"),
    [
        ("2019-10-10", '<time datetime="2019-10-10">10 October 2019</time>'),
        ("2019-10", '<time datetime="2019-10">October 2019</time>'),
        ("2019", '<time datetime="2019">2019</time>'),
        ("Q4 2019", '<time datetime="2019">Q4 2019</time>'),
        ("2010s", "the 2010s"),
    ],
)
def test_it_writes_each_precision_as_html_allows(written, html):
    assert time_element(FuzzyDate.parse(written)) == html


def test_the_pages_write_their_dates_through_it(client, db):
    make.event(title="Decree signed", occurred="2019-10-10", **make.PUBLISHED)
    assert '<time datetime="2019-10-10">10 October 2019</time>' in client.get("/events/").text
