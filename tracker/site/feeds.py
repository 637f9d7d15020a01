"""Atom feeds of newly published developments (events) and status changes (assessments).

Site-wide, per jurisdiction and per policy. Entries are ordered by when they went public
(`published_at`), so a reader sees what is new to the site, not only what is recent in the world.

Every address in a feed is absolute, as RFC 4287 asks of an id (§4.2.6): an entry's id is its
permalink (`/e/<kind>/<id>/`), which never changes, on the site's address: `SITE_URL` when set
(so that the ids do not follow whichever Host a reader asked by), else the request's.
"""

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import F, Model, QuerySet
from django.http import Http404, HttpRequest
from django.template.defaultfilters import linebreaks_filter
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed

from policies import links, selectors
from policies.models import Assessment, Event, Jurisdiction, Policy
from tracker.core.editorial import Curated
from tracker.core.text import publishable
from tracker.site.citing import SITE_NAME

LIMIT = 50


def _publishable(value: object) -> object:
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feed = {name: _publishable(value) for name, value in self.feed.items()}

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*args, **kwargs)
        self.items[-1] = {name: _publishable(value) for name, value in self.items[-1].items()}


def _newest[M: Model](queryset: QuerySet[M]) -> QuerySet[M]:
    return queryset.order_by(F("published_at").desc(nulls_last=True), "-updated_at")[:LIMIT]


# A feed's item: a development or a change of status.
Item = Event | Assessment


class DevelopmentsFeed[Scope: Jurisdiction | Policy | None](Feed):
    """The site-wide feed (`Scope` None); its subclasses narrow it to one entry (`obj`)."""

    feed_type = PublishableAtom1Feed
    author_name = SITE_NAME
    subtitle = "Newly published developments and changes of status, each cited to its source."

    def get_feed(self, obj: Scope, request: HttpRequest) -> SyndicationFeed:
        """The feed, every address in it absolute on the site's address (`links.on_site`)."""
        feed = super().get_feed(obj, request)
        for name in ("link", "feed_url", "id"):
            feed.feed[name] = links.on_site(request, feed.feed[name])
        for item in feed.items:
            for name in ("link", "unique_id"):
                item[name] = links.on_site(request, item[name])
        return feed

    def title(self, obj: Scope | None = None) -> str:
        return f"{SITE_NAME}: {obj}" if obj else f"{SITE_NAME}: new developments"

    def link(self, obj: Scope | None = None) -> str:
        return links.entry_url(obj) if isinstance(obj, Curated) else "/"

    def feed_url(self, obj: Scope | None = None) -> str:
        return f"{self.link(obj)}feed/"

    def events(self, obj: Scope) -> QuerySet[Event]:
        return selectors.events()

    def assessments(self, obj: Scope) -> QuerySet[Assessment]:
        return selectors.assessments().select_related("commitment__policy")

    def items(self, obj: Scope) -> list[Item]:
        entries: list[Item] = [*_newest(self.events(obj)), *_newest(self.assessments(obj))]
        entries.sort(key=lambda e: e.published_at or e.updated_at, reverse=True)
        return entries[:LIMIT]

    def item_title(self, item: Item) -> str:
        if isinstance(item, Assessment):
            return f"{item.commitment.title}: {item.verdict_words} (as of {item.as_of})"
        return f"{item.title} ({item.occurred})"

    def item_description(self, item: Item) -> str:
        # Atom sends the summary as type="html", and readers render it: the plain text the
        # researcher wrote is escaped here so that "<script>" in it reads as text.
        if isinstance(item, Assessment):
            text = item.summary or f"{item.verdict_words}."
        else:
            text = item.description or item.get_kind_display()
        return linebreaks_filter(text, autoescape=True)

    def item_link(self, item: Item) -> str:
        return links.entry_url(item)

    def item_guid(self, item: Item) -> str:
        return links.permalink(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item: Item) -> dt.datetime:
        return item.published_at or item.updated_at

    def item_updateddate(self, item: Item) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Item) -> list[str]:
        return ["status change" if isinstance(item, Assessment) else "development"]


class JurisdictionFeed(DevelopmentsFeed[Jurisdiction]):
    def get_object(self, request: HttpRequest, code: str) -> Jurisdiction:
        found = selectors.jurisdictions().filter(code__iexact=code).first()
        if found is None:
            raise Http404("No published jurisdiction with this code.")
        return found

    def events(self, obj: Jurisdiction) -> QuerySet[Event]:
        return selectors.events().filter(jurisdiction=obj)

    def assessments(self, obj: Jurisdiction) -> QuerySet[Assessment]:
        return super().assessments(obj).filter(commitment__policy__jurisdiction=obj)


class PolicyFeed(DevelopmentsFeed[Policy]):
    def get_object(self, request: HttpRequest, slug: str) -> Policy:
        found = selectors.policies().filter(slug=slug).first()
        if found is None:
            raise Http404("No published policy here.")
        return found

    def events(self, obj: Policy) -> QuerySet[Event]:
        return selectors.events().filter(policies=obj)

    def assessments(self, obj: Policy) -> QuerySet[Assessment]:
        return super().assessments(obj).filter(commitment__policy=obj)
