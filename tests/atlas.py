"""The atlas: a small dataset covering every public URL pattern, and the address of each kind
of public page, for the tests that look at all of them (reflow, accessibility, HTML); a plugin
of tests/conftest.py, so a test asks for it by name."""

from decimal import Decimal

import pytest

from policies.models import Actor, Funding, PolicyActor
from tests import factories as make
from tracker.core import clock
from tracker.core import corrections as readers
from tracker.core.models import Correction

PUBLISHED = make.PUBLISHED
LONG_TITLE = (
    "National Strategy for the Development of Artificial Intelligence for the Period until 2030"
)


@pytest.fixture
def atlas(transactional_db, today):
    """Two countries as a reader finds them, and the address of every kind of public page:
    Russia with a long-titled strategy, its pledges delivered late, overdue, never checked and
    without a deadline, events in 2019 a day apart, funding, competing estimates and actors;
    China with a plan to compare it with."""
    russia = make.jurisdiction(code="RU", name="Russia")
    china = make.jurisdiction(code="CN", name="China")
    president = make.actor(
        name="President of the Russian Federation",
        kind=Actor.Kind.HEAD_OF_STATE,
        jurisdiction=russia,
        url="http://www.kremlin.ru/structure/president/biography-and-powers-of-the-president",
        **PUBLISHED,
    )
    sberbank = make.actor(
        name="Sberbank", kind=Actor.Kind.STATE_COMPANY, jurisdiction=russia, **PUBLISHED
    )
    strategy = make.published_policy(
        jurisdiction=russia,
        title=LONG_TITLE,
        title_original="Национальная стратегия развития искусственного интеллекта на период до 2030 года",
        instrument="Presidential decree",
        instrument_number="490",
        legal_act_url="http://publication.pravo.gov.ru/Document/View/0001201910110003",
    )
    PolicyActor.objects.create(policy=strategy, actor=president, role=PolicyActor.Role.LEADS)
    PolicyActor.objects.create(policy=strategy, actor=sberbank, role=PolicyActor.Role.IMPLEMENTS)
    decree = make.source(
        title="Decree of the President of the Russian Federation No. 490 of 10 October 2019",
        url="http://publication.pravo.gov.ru/Document/View/0001201910110003?index=1&rangeSize=1",
    )
    present = make.published_commitment(
        policy=strategy,
        pledged="2019-02-27",
        due="2019-07-01",
        title="Present a national strategy for artificial intelligence to the President",
        pledged_by=president,
    )
    make.cite(present, source=decree, quote="Утвердить прилагаемую Национальную стратегию.")
    signed = make.published_assessment(
        commitment=present, status="delivered", as_of="2019-10-10", delivered="2019-10-10"
    )
    make.cite(signed, source=decree, quote="Настоящий Указ вступает в силу.")
    improve = make.published_commitment(
        policy=strategy,
        pledged="2019",
        due="2024",
        title="Substantially improve the wellbeing and quality of life of the population by 2024",
        metric="Share of organisations using AI",
        target_value=Decimal("30"),
        unit=" %",
    )
    make.published_assessment(commitment=improve, status="in_progress", as_of="2023-06")
    make.published_assessment(commitment=improve, status="stalled", as_of="2025-02")
    make.published_commitment(policy=strategy, pledged="2019", due="2030", title="Lead by 2030")
    make.published_commitment(
        policy=strategy, pledged="2019", due="2022", title="Adopt AI regulation by 2022"
    )
    make.published_commitment(
        policy=strategy, pledged="2020", due=None, title="Keep training AI specialists"
    )
    events = [
        make.event(title=title, occurred=occurred, jurisdiction=russia, **PUBLISHED)
        for occurred, title in (
            ("2019-02-20", "Address to the Federal Assembly announces an AI strategy"),
            ("2019-05-30", "Meeting on the development of AI technologies"),
            ("2019-10-10", "Decree No. 490 signed"),
            ("2019-10-11", "Decree No. 490 published"),
            ("2019-11", "AI Journey conference opens"),
            ("2020-12", "Federal project Artificial Intelligence approved"),
        )
    ]
    for event in events:
        event.policies.add(strategy)
        event.actors.add(president)
    events[2].commitments.add(present)
    pledge = make.funding(
        policy=strategy,
        amount=Decimal("89700000000"),
        currency="RUB",
        funder=sberbank,
        purpose="Federal project “Artificial Intelligence” of the national programme “Digital Economy”",
        **PUBLISHED,
    )
    pledge.period_start, pledge.period_end = "2020", "2024"
    pledge.save()
    make.funding(
        policy=strategy,
        kind=Funding.Kind.ALLOCATED,
        amount=Decimal("23000000000"),
        currency="RUB",
        delivers_against=pledge,
        **PUBLISHED,
    )
    rivals = []
    for value, publisher in ((Decimal("380000000"), "IDC"), (Decimal("550000000"), "TAdviser")):
        rival = make.estimate(
            measure="Russian AI market size",
            jurisdiction=russia,
            value=value,
            publisher=publisher,
            **PUBLISHED,
        )
        rival.period = "2021"
        rival.save()
        rivals.append(rival)
    make.estimate(
        measure="Russian AI market size",
        jurisdiction=china,
        value=Decimal("14000000000"),
        publisher="China Academy of Information and Communications Technology",
        **PUBLISHED,
    )
    plan = make.published_policy(
        jurisdiction=china, title="New Generation Artificial Intelligence Development Plan"
    )
    make.published_commitment(policy=plan, pledged="2017-07", due="2020", title="Keep pace by 2020")
    make.published_commitment(policy=plan, pledged="2017-07", due="2030", title="Lead the world")
    # A reader's correction of the delivered pledge, its edit published: "Corrected on".
    corrected = readers.submit(present, message="The strategy was presented in October.")
    Correction.objects.filter(pk=corrected.pk).update(
        state=Correction.State.ACCEPTED,
        public_note="The delivery date was 2019-10-01; the decree is dated 10 October.",
        published_at=clock.now(),
    )
    # Every page a browser lays out, by name: the feeds are Atom, for feed readers, and a
    # citation's BibTeX and RIS are downloads.
    return {
        "home": "/",
        "methodology": "/methodology/",
        "jurisdictions": "/jurisdictions/",
        "jurisdiction": "/jurisdictions/RU/",
        "policies": "/policies/",
        "policy": f"/policies/{strategy.slug}/",
        "policy-as-of": f"/policies/{strategy.slug}/?as_of=2019-08-01",
        "commitments": "/commitments/",
        "commitment": f"/commitments/{present.slug}/",
        "events": "/events/",
        "event": f"/events/{events[2].slug}/",
        "funding-list": "/funding/",
        "funding": f"/funding/{pledge.slug}/",
        "estimates": "/estimates/",
        "estimate": f"/estimates/{rivals[0].slug}/",
        "actors": "/actors/",
        "actor": f"/actors/{president.slug}/",
        "sources": "/sources/",
        "source": f"/sources/{decree.slug}/",
        "search": "/search/?q=intelligence",
        "search-respelt": "/search/?q=inteligence",
        "data": "/data/",
        "embed-policy": f"/embed/policies/{strategy.slug}/",
        "embed-jurisdiction": "/embed/jurisdictions/RU/",
        "feeds": "/feeds/",
        "compare": "/compare/?jurisdiction=RU&jurisdiction=CN",
        "permalink": f"/e/commitment/{present.pk}/",
        "cite": f"/cite/commitment/{present.pk}.txt",
        "correct": f"/e/commitment/{present.pk}/correct/",
        "correction-sent": f"/e/commitment/{present.pk}/correct/sent/",
    }
