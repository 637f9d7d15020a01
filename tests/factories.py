"""Small builders for tests: each makes a valid entry and takes overrides."""

import itertools
from decimal import Decimal

from policies.models import (
    Actor,
    Assessment,
    Commitment,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
)
from sources.models import Citation, Source
from tracker.core.dates import FuzzyDate
from tracker.core.editorial import State

_numbers = itertools.count(1)


def _n():
    return next(_numbers)


def jurisdiction(**fields):
    n = _n()
    return Jurisdiction.objects.create(
        **{"code": f"X{n}", "name": f"Country {n}", "state": State.PUBLISHED, **fields}
    )


def source(**fields):
    n = _n()
    return Source.objects.create(
        **{
            "slug": f"source-{n}",
            "kind": Source.Kind.REPORT,
            "title": f"Report {n}",
            "state": State.PUBLISHED,
            **fields,
        }
    )


def actor(**fields):
    n = _n()
    return Actor.objects.create(
        **{
            "slug": f"actor-{n}",
            "name": f"Ministry {n}",
            "kind": Actor.Kind.GOVERNMENT_BODY,
            **fields,
        }
    )


def policy(**fields):
    n = _n()
    fields.setdefault("jurisdiction", fields.get("jurisdiction") or jurisdiction())
    return Policy.objects.create(
        **{"slug": f"policy-{n}", "kind": Policy.Kind.STRATEGY, "title": f"Strategy {n}", **fields}
    )


def commitment(*, due: str | None = "2024", pledged: str | None = None, **fields):
    n = _n()
    fields.setdefault("policy", fields.get("policy") or policy())
    item = Commitment(**{"slug": f"commitment-{n}", "title": f"Pledge {n}", **fields})
    item.due, item.pledged = due, pledged
    item.save()
    return item


def assessment(*, as_of: str = "2020-12", delivered: str | None = None, **fields):
    n = _n()
    fields.setdefault("commitment", fields.get("commitment") or commitment())
    item = Assessment(**{"slug": f"assessment-{n}", "status": "in_progress", **fields})
    item.as_of, item.delivered = as_of, delivered
    item.save()
    return item


def funding(**fields):
    n = _n()
    return Funding.objects.create(
        **{
            "slug": f"funding-{n}",
            "kind": Funding.Kind.PLEDGED,
            "amount": Decimal("1000000"),
            "currency": "RUB",
            **fields,
        }
    )


def event(*, occurred: str = "2019-10-10", **fields):
    n = _n()
    item = Event(
        **{
            "slug": f"event-{n}",
            "kind": Event.Kind.ADOPTION,
            "title": f"Decree {n} signed",
            **fields,
        }
    )
    item.occurred = FuzzyDate.parse(occurred)
    item.save()
    return item


def estimate(**fields):
    n = _n()
    return Estimate.objects.create(
        **{
            "slug": f"estimate-{n}",
            "measure": "AI market size",
            "value": Decimal("100"),
            "currency": "USD",
            **fields,
        }
    )


def cite(record, *, quote="A passage.", section="Introduction", **fields):
    return Citation.objects.create(
        record=record,
        source=fields.pop("source", None) or source(),
        quote=quote,
        section=section,
        **fields,
    )


PUBLISHED = {"state": State.PUBLISHED}


def published_policy(**fields):
    return policy(**{**PUBLISHED, **fields})


def published_commitment(*, due: str | None = "2024", **fields):
    fields.setdefault("policy", fields.get("policy") or published_policy())
    return commitment(due=due, **{**PUBLISHED, **fields})


def published_assessment(**fields):
    return assessment(**{**PUBLISHED, **fields})
