"""A policy's or a jurisdiction's timeline away from its page: as an SVG or a PNG file, as the
preview image of a shared link, and embedded in another site's page.

Each goes through `public_page` as the page does (the same cache, validators and 404 for what is
not public) and draws the same chart: a policy's as known on the page's `as_of` day, a
jurisdiction's as known today. Only the embed may be framed, by the pages
settings.EMBED_FRAME_ANCESTORS names; every other page refuses it (SECURE_CSP, X_FRAME_OPTIONS).
"""

import base64
import datetime as dt
import hashlib
from collections.abc import Collection, Mapping
from typing import NamedTuple, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.dateformat import format as date_format
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from policies import links, selectors
from tracker.core import clock
from tracker.site import charts
from tracker.site.pages import entry_or_404, honours_as_of, parse_as_of, public_page
from tracker.site.views import Chart, jurisdiction_chart, policy_timeline, timeline_for

# An SVG file opened in a browser is a page of its own, under the site's CSP: its one inline
# stylesheet is allowed by its hash, and nothing else inline is.
_STYLE = "\n" + charts.chart_style() + "\n"
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
CSP = Mapping[str, Collection[str] | str]
# The site's policy, as settings.py writes it: each directive's list of sources.
_SITE_CSP = cast(CSP, settings.SECURE_CSP)
SVG_CSP: CSP = {**_SITE_CSP, "style-src": [f"'sha256-{_STYLE_HASH}'"]}
EMBED_CSP: CSP = {**_SITE_CSP, "frame-ancestors": settings.EMBED_FRAME_ANCESTORS}


class Drawn(NamedTuple):
    """A chart to draw away from its page: whose it is, the page it comes from, the day it
    speaks of, and what the chart templates read."""

    title: str
    stem: str  # the files' names: "policy-ru-ai-strategy"
    page_url: str  # absolute, with the page's `as_of`
    on: dt.date
    context: dict[str, object]


def _drawn(
    request: HttpRequest, chart: Chart, *, title: str, stem: str, path: str, **page
) -> Drawn:
    as_of = page.get("as_of")
    today = clock.today()
    on = as_of or today
    query = f"?as_of={as_of.isoformat()}" if as_of else ""
    context = {
        **timeline_for(chart.commitments, chart.progress, chart.marks, on=on, as_of=bool(as_of)),
        "commitments": chart.commitments,
        "as_of": as_of,
        "today": today,
        "heading": title,
    }
    return Drawn(title, stem, links.on_site(request, path + query), on, context)


def policy_drawn(request: HttpRequest, slug: str, as_of: dt.date | None) -> Drawn:
    policy = entry_or_404(request, selectors.policies(), slug=slug)
    chart = policy_timeline(policy, on=as_of or clock.today(), as_of=as_of)
    path = links.entry_url(policy)
    return _drawn(request, chart, title=policy.title, stem=f"policy-{slug}", path=path, as_of=as_of)


def jurisdiction_drawn(request: HttpRequest, code: str) -> Drawn:
    jurisdiction = entry_or_404(request, selectors.jurisdictions(), code__iexact=code)
    chart = jurisdiction_chart(jurisdiction, today=clock.today())
    path = links.entry_url(jurisdiction)
    stem = f"jurisdiction-{jurisdiction.code.lower()}"
    return _drawn(request, chart, title=jurisdiction.name, stem=stem, path=path)


def svg_of(request: HttpRequest, drawn: Drawn) -> str:
    chart = render_to_string(
        "policies/_timeline_chart.html",
        {**drawn.context, "chart": drawn.context["timeline"], "suffix": "", "tooltips": True},
        request=request,
    )
    credit = charts.Credit(drawn.title, drawn.page_url, date_format(drawn.on, "j F Y"))
    return charts.standalone_svg(chart, credit)


FILES = {
    "svg": ("image/svg+xml; charset=utf-8", "timeline.svg"),
    "png": ("image/png", "timeline.png"),
    "preview": ("image/png", "preview.png"),
}


def file_of(request: HttpRequest, drawn: Drawn, fmt: str) -> HttpResponse:
    svg = svg_of(request, drawn)
    content_type, name = FILES[fmt]
    if fmt == "svg":
        body: str | bytes = svg
    elif fmt == "png":
        body = charts.png_of(svg)
    else:
        body = charts.preview_png(svg)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{drawn.stem}-{name}"'
    return response


def _as_of(request: HttpRequest) -> tuple[dt.date | None, HttpResponse | None]:
    as_of, problem = parse_as_of(request.GET.get("as_of"))
    if problem:
        return None, HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
    return as_of, None


@csp_override(SVG_CSP)
@public_page
@honours_as_of
def policy_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    as_of, refused = _as_of(request)
    return refused or file_of(request, policy_drawn(request, slug, as_of), fmt)


@csp_override(SVG_CSP)
@public_page
def jurisdiction_file(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return file_of(request, jurisdiction_drawn(request, code), fmt)


def embed(request: HttpRequest, drawn: Drawn) -> HttpResponse:
    return render(request, "policies/embed.html", {**drawn.context, "drawn": drawn})


@xframe_options_exempt
@csp_override(EMBED_CSP)
@public_page
@honours_as_of
def policy_embed(request: HttpRequest, slug: str) -> HttpResponse:
    as_of, refused = _as_of(request)
    return refused or embed(request, policy_drawn(request, slug, as_of))


@xframe_options_exempt
@csp_override(EMBED_CSP)
@public_page
def jurisdiction_embed(request: HttpRequest, code: str) -> HttpResponse:
    return embed(request, jurisdiction_drawn(request, code))
