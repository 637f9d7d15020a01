from urllib.parse import urlencode

from django import template
from django.template.context import Context
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from policies import links
from policies.scorecard import LABELS, Scorecard, Standing, Tracked, standing_of, status_text
from sources import claims
from sources.models import Citation
from tracker.core.dates import FuzzyDate, Precision
from tracker.core.editorial import Curated
from tracker.core.markup import render_markdown
from tracker.core.text import publishable as strip_unpublishable
from tracker.site import citing, corrections
from tracker.site.citing import citable

register = template.Library()


@register.filter
def markdown(text: str | None) -> SafeString:
    """Markdown rendered and sanitised by tracker.core.markup: safe to mark safe."""
    return mark_safe(render_markdown(text))


@register.filter(is_safe=True)
def publishable(text: object) -> str:
    """Wraps the inline timeline SVG, which must stay well-formed XML whatever a stored title
    holds: stripping characters never makes escaped markup unsafe."""
    return strip_unpublishable(str(text))


@register.filter
def time_element(when: FuzzyDate) -> SafeString:
    """A fuzzy date as HTML: `<time datetime>` holding the machine form HTML allows for it.

    HTML's `datetime` has a day (2019-10-10), a month (2019-10) and a year (2019), but nothing
    for a quarter or a decade. A quarter gets its year, which is true of it, only less precise;
    a decade would have to be one of its years, a claim the date does not make, so it stays
    plain text. The words a reader sees are the date's own, whatever its precision.
    """
    match when.precision:
        case Precision.DAY | Precision.MONTH | Precision.YEAR:
            value = when.isoformat()
        case Precision.QUARTER:
            value = str(when.start.year)
        case Precision.DECADE:
            return format_html("{}", when)
    return format_html('<time datetime="{}">{}</time>', value, when)


@register.simple_tag
def corrected(entry: Curated) -> list[corrections.Corrected]:
    """The entry's published corrections, for its "Corrected on" lines (one query)."""
    return corrections.corrected(entry)


@register.filter
def entry_url(entry: Curated) -> str:
    return links.entry_url(entry)


@register.filter
def permalink(entry: Curated) -> str:
    return links.permalink(entry)


@register.filter
def kind_label(entry: Curated) -> str:
    return links.KIND_LABELS.get(links.kind_of(entry), "Entry")


@register.filter
def sources_differ(citations: list[Citation]) -> list[claims.Claims]:
    """The fields on which an entry's citations (all of one entry) state different values."""
    if not citations:
        return []
    model = citations[0].content_type.model_class()
    return claims.sources_differ(citations, claims.claimable_fields(model) if model else None)


@register.filter
def stated_field(citation: Citation) -> str:
    """The label of the field of its entry a citation states a value for: "adoption date"."""
    return claims.field_label(citation.content_type.model_class(), citation.field)


@register.filter
def standing(commitment: Tracked) -> str:
    """The standing key of a commitment whose `current` progress the view has set."""
    return standing_of(commitment.current, due=commitment.due).value


@register.filter
def status_words(commitment: Tracked) -> str:
    """Its status in words, with the slippage and the last check where they matter."""
    return status_text(commitment.current, due=commitment.due)


@register.simple_tag
def standings() -> list[tuple[str, str]]:
    """Every standing's key and label, in the scorecard's order: what a legend explains."""
    return [(standing.value, LABELS[standing]) for standing in Standing]


@register.filter
def kind(entry: Curated) -> str:
    return links.kind_of(entry)


@register.simple_tag
def scorecard(card: Scorecard, linked: bool = True, **scope: str) -> SafeString:
    """A scorecard's counts, each a link to the commitments it counts (in `scope`: the
    commitment list's filters, e.g. jurisdiction="RU"; none when not `linked`, as for a card
    of an earlier day, which the list cannot show), and how old its evidence is. Written in
    Python, not a template: the jurisdiction list and the home page show two hundred."""
    listed = reverse("commitment-list")

    def count(line_count: int, **wanted: str) -> SafeString:
        if not (line_count and linked):
            return format_html("{}", line_count)
        query = urlencode({**scope, **wanted})
        return format_html('<a href="{}?{}">{}</a>', listed, query, line_count)

    lines = format_html_join(
        "",
        '<div class="score score-{}{}"><dt><span class="shape shape-{}" aria-hidden="true">'
        "</span>{}</dt><dd>{}</dd></div>",
        (
            (
                line.standing,
                "" if line.count else " score-zero",
                line.standing,
                line.label,
                count(line.count, standing=line.standing),
            )
            for line in card.lines
        ),
    )
    counts = format_html(
        '<dl class="scorecard" aria-label="Scorecard">{}<div class="score score-total">'
        "<dt>Commitments</dt><dd>{}</dd></div></dl>",
        lines,
        count(card.total),
    )
    return counts + _checked(card) if card.total else counts


def _checked(card: Scorecard) -> SafeString:
    if not card.newest_check:
        return format_html('<p class="scorecard-checked muted">{}</p>', "No evidence checked yet.")
    if card.oldest_check == card.newest_check:
        when = format_html("{}", card.newest_check)
    else:
        when = format_html("between {} and {}", card.oldest_check, card.newest_check)
    never = format_html("; {} never checked", card.never_checked) if card.never_checked else ""
    return format_html(
        '<p class="scorecard-checked muted">Evidence last checked {}{}.</p>', when, never
    )


@register.simple_tag(takes_context=True)
def absolute(context: Context, path: str) -> str:
    return links.on_site(context["request"], path)


@register.simple_tag(takes_context=True)
def cite_text(context: Context, entry: Curated) -> str:
    return citing.as_text(citable(context["request"], entry))


@register.simple_tag(takes_context=True)
def citation_meta(context: Context, entry: Curated) -> SafeString:
    """The entry's citation metadata (tracker.site.citing.page_metadata) as <meta> tags."""
    tags = citing.page_metadata(context["request"], entry)
    return format_html_join("\n  ", '<meta name="{}" content="{}">', tags)


@register.simple_tag(takes_context=True)
def block_again(context: Context, name: str) -> str:
    """What the page's block `name` holds, as the page itself (the deepest template that fills
    it) renders it: base.html says a page's title and description again for link previews."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks else None
    return block.render(context) if block else ""
