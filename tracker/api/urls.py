"""The API's addresses: a router over the viewsets, and the data package."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from tracker.api.datapackage import datapackage
from tracker.api.views import (
    ActorViewSet,
    AssessmentViewSet,
    ChangesViewSet,
    CitationViewSet,
    CommitmentViewSet,
    EstimateViewSet,
    EventViewSet,
    FundingViewSet,
    JurisdictionViewSet,
    PolicyViewSet,
    SourceViewSet,
)


def api_root_urls():
    router = DefaultRouter()
    for prefix, viewset, basename in [
        ("jurisdictions", JurisdictionViewSet, "jurisdiction"),
        ("actors", ActorViewSet, "actor"),
        ("policies", PolicyViewSet, "policy"),
        ("commitments", CommitmentViewSet, "commitment"),
        ("assessments", AssessmentViewSet, "assessment"),
        ("funding", FundingViewSet, "funding"),
        ("events", EventViewSet, "event"),
        ("estimates", EstimateViewSet, "estimate"),
        ("sources", SourceViewSet, "source"),
        ("citations", CitationViewSet, "citation"),
        ("changes", ChangesViewSet, "change"),
    ]:
        router.register(prefix, viewset, basename=basename)
    return [path("datapackage.zip", datapackage, name="datapackage"), *router.urls]
