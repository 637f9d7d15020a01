"""Atom feeds of newly published developments (events) and status changes (assessments).

Site-wide, per jurisdiction and per policy. Entries are ordered by when they went public
(`published_at`), so a reader sees what is new to the site, not only what is recent in the world.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.template.defaultfilters import linebreaks_filter
from django.utils.feedgenerator import Atom1Feed

from policies import links, selectors
from policies.models import Assessment
from tracker.core.text import publishable
from tracker.site.citing import SITE_NAME

LIMIT = 50


def _publishable(value):
    if isinstance(value, str):
        return publishable(value)
    if isinstance(value, list | tuple):
        return [_publishable(v) for v in value]
    return value


class PublishableAtom1Feed(Atom1Feed):
    """Atom with every text stripped of what XML 1.0 cannot carry: a control character stored
    in a title would otherwise stop the whole feed ("Control characters are not supported in
    XML 1.0"). Every value the feed and its items hold passes through here, whichever method
    of the Feed class produced it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {name: _publishable(value) for name, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {name: _publishable(value) for name, value in self.items[-1].items()}


def _newest(queryset):
    return queryset.order_by(F("published_at").desc(nulls_last=True), "-updated_at")[:LIMIT]


class DevelopmentsFeed(Feed):
    feed_type = PublishableAtom1Feed
    author_name = SITE_NAME
    subtitle = "Newly published developments and changes of status, each cited to its source."

    def title(self, obj=None):
        return f"{SITE_NAME}: {obj}" if obj else f"{SITE_NAME}: new developments"

    def link(self, obj=None):
        return links.entry_url(obj) if obj else "/"

    def feed_url(self, obj=None):
        return f"{self.link(obj)}feed/"

    def events(self, obj):
        return selectors.events()

    def assessments(self, obj):
        return selectors.assessments().select_related("commitment__policy")

    def items(self, obj=None):
        entries = [*_newest(self.events(obj)), *_newest(self.assessments(obj))]
        entries.sort(key=lambda e: e.published_at or e.updated_at, reverse=True)
        return entries[:LIMIT]

    def item_title(self, item):
        if isinstance(item, Assessment):
            return f"{item.commitment.title}: {item.get_status_display()} (as of {item.as_of})"
        return f"{item.title} ({item.occurred})"

    def item_description(self, item):
        # Atom sends the summary as type="html", and readers render it: the plain text the
        # researcher wrote is escaped here so that "<script>" in it reads as text.
        if isinstance(item, Assessment):
            text = item.summary or f"Assessed {item.get_status_display().lower()}."
        else:
            text = item.description or item.get_kind_display()
        return linebreaks_filter(text, autoescape=True)

    def item_link(self, item):
        return links.entry_url(item)

    def item_guid(self, item):
        return links.permalink(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at or item.updated_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return ["status change" if isinstance(item, Assessment) else "development"]


class JurisdictionFeed(DevelopmentsFeed):
    def get_object(self, request, code):
        found = selectors.jurisdictions().filter(code__iexact=code).first()
        if found is None:
            raise Http404("No published jurisdiction with this code.")
        return found

    def events(self, obj):
        return selectors.events().filter(jurisdiction=obj)

    def assessments(self, obj):
        return super().assessments(obj).filter(commitment__policy__jurisdiction=obj)


class PolicyFeed(DevelopmentsFeed):
    def get_object(self, request, slug):
        found = selectors.policies().filter(slug=slug).first()
        if found is None:
            raise Http404("No published policy here.")
        return found

    def events(self, obj):
        return selectors.events().filter(policies=obj)

    def assessments(self, obj):
        return super().assessments(obj).filter(commitment__policy=obj)
