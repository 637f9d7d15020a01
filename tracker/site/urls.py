from django.urls import path, register_converter

from tracker.site import citing, corrections, feeds, sharing, views
from tracker.site.pages import public_page


class JurisdictionCode:
    regex = "[A-Za-z0-9-]{2,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CiteFormat:
    regex = "|".join(citing.FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ChartFormat:
    regex = "svg|png"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(JurisdictionCode, "code")
register_converter(ChartFormat, "chartfmt")
register_converter(CiteFormat, "citefmt")

urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", public_page(feeds.DevelopmentsFeed()), name="feed"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("methodology/", views.methodology, name="methodology"),
    path("data/", views.data, name="data"),
    path("feeds/", views.feed_list, name="feed-list"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdiction-list"),
    path("jurisdictions/<code:code>/", views.jurisdiction_detail, name="jurisdiction"),
    path(
        "jurisdictions/<code:code>/feed/",
        public_page(feeds.JurisdictionFeed()),
        name="jurisdiction-feed",
    ),
    path(
        "jurisdictions/<code:code>/timeline.<chartfmt:fmt>",
        sharing.jurisdiction_file,
        name="jurisdiction-timeline",
    ),
    path(
        "jurisdictions/<code:code>/preview.png",
        sharing.jurisdiction_file,
        {"fmt": "preview"},
        name="jurisdiction-preview",
    ),
    path("embed/jurisdictions/<code:code>/", sharing.jurisdiction_embed, name="jurisdiction-embed"),
    path("policies/", views.policy_list, name="policy-list"),
    path("policies/<slug:slug>/", views.policy_detail, name="policy"),
    path("policies/<slug:slug>/feed/", public_page(feeds.PolicyFeed()), name="policy-feed"),
    path(
        "policies/<slug:slug>/timeline.<chartfmt:fmt>", sharing.policy_file, name="policy-timeline"
    ),
    path(
        "policies/<slug:slug>/preview.png",
        sharing.policy_file,
        {"fmt": "preview"},
        name="policy-preview",
    ),
    path("embed/policies/<slug:slug>/", sharing.policy_embed, name="policy-embed"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/<slug:slug>/", views.commitment_detail, name="commitment"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("funding/", views.funding_list, name="funding-list"),
    path("funding/<slug:slug>/", views.funding_detail, name="funding"),
    path("actors/", views.actor_list, name="actor-list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("estimates/", views.estimate_list, name="estimate-list"),
    path("estimates/<slug:slug>/", views.estimate_detail, name="estimate"),
    path("e/<slug:kind>/<int:pk>/", views.permalink, name="permalink"),
    path("e/<slug:kind>/<int:pk>/correct/", corrections.correct, name="correct"),
    path("e/<slug:kind>/<int:pk>/correct/sent/", corrections.sent, name="correction-sent"),
    path("cite/<slug:kind>/<int:pk>.<citefmt:fmt>", views.cite, name="cite"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
]
