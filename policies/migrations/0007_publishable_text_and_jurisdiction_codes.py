import django.core.validators
import django.db.models.functions.text
import django.db.models.lookups
import policies.models
import tracker.core.text
from django.conf import settings
from django.db import migrations, models


def codes_in_capitals(apps, schema_editor):
    """Give every code stored before the rule its one form (trimmed, in capitals), so that the
    constraint below holds. Two entries whose codes differ only in case (a second "ru" beside
    RU) are two records of one jurisdiction: which one to keep, and where its policies and
    events go, is an editor's call, so the migration stops and names them instead."""
    Jurisdiction = apps.get_model("policies", "Jurisdiction")
    rows = list(Jurisdiction.objects.order_by("pk").values_list("pk", "code", "draft_of_id"))
    entries = {}
    for pk, code, draft_of in rows:
        if draft_of is None:
            entries.setdefault(code.strip().upper(), []).append((pk, code))
    clashes = [found for found in entries.values() if len(found) > 1]
    if clashes:
        raise RuntimeError(
            "These jurisdictions differ only in the case or spacing of their codes; merge or "
            "recode them, then migrate again: "
            + "; ".join(", ".join(f"#{pk} {code!r}" for pk, code in found) for found in clashes)
        )
    for pk, code, _ in rows:
        if code != code.strip().upper():
            Jurisdiction.objects.filter(pk=pk).update(code=code.strip().upper())


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0006_jurisdiction_code_unique_among_entries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="actor",
            name="description",
            field=models.TextField(
                blank=True, validators=[tracker.core.text.PublishableText("description")]
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="kind",
            field=models.CharField(
                choices=[
                    ("head_of_state", "Head of state"),
                    ("government_body", "Government body"),
                    ("legislature", "Legislature"),
                    ("state_company", "State-owned company"),
                    ("private_company", "Private company"),
                    ("research_body", "University or research body"),
                    ("fund", "Fund"),
                    ("international_org", "International organisation"),
                    ("military", "Military"),
                    ("other", "Other"),
                ],
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="name",
            field=models.CharField(
                max_length=300, validators=[tracker.core.text.PublishableText("name")]
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="name_original",
            field=models.CharField(
                blank=True,
                max_length=300,
                validators=[tracker.core.text.PublishableText("original-language name")],
                verbose_name="original-language name",
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="url",
            field=models.URLField(
                blank=True, max_length=1000, validators=[tracker.core.text.PublishableText("url")]
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="kind",
            field=models.CharField(
                choices=[("official", "Official self-report"), ("independent", "Independent")],
                default="independent",
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="status",
            field=models.CharField(
                choices=[
                    ("no_evidence", "No evidence yet"),
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("delivered", "Delivered"),
                    ("partly_delivered", "Partly delivered"),
                    ("missed", "Missed"),
                    ("abandoned", "Abandoned"),
                ],
                max_length=20,
                validators=[tracker.core.text.PublishableText("status")],
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="summary",
            field=models.TextField(
                blank=True, validators=[tracker.core.text.PublishableText("summary")]
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="description",
            field=models.TextField(
                blank=True, validators=[tracker.core.text.PublishableText("description")]
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("deliverable", "Deliverable"),
                    ("quantitative_target", "Quantitative target"),
                    ("capability", "Capability"),
                    ("institution", "Institution"),
                ],
                default="deliverable",
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="metric",
            field=models.CharField(
                blank=True, max_length=300, validators=[tracker.core.text.PublishableText("metric")]
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="title",
            field=models.CharField(
                max_length=500, validators=[tracker.core.text.PublishableText("title")]
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="unit",
            field=models.CharField(
                blank=True, max_length=50, validators=[tracker.core.text.PublishableText("unit")]
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="currency",
            field=models.CharField(
                blank=True,
                help_text="For money; leave empty for counts and shares",
                max_length=3,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{3}$", "Use an ISO 4217 currency code such as RUB, EUR or USD."
                    ),
                    tracker.core.text.PublishableText("currency"),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="kind",
            field=models.CharField(
                choices=[("actual", "Actual"), ("forecast", "Forecast")],
                default="actual",
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="measure",
            field=models.CharField(
                help_text="Competing estimates of one measure share this name",
                max_length=300,
                validators=[tracker.core.text.PublishableText("measure")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="publisher",
            field=models.CharField(
                blank=True,
                help_text="Who produced the figure",
                max_length=300,
                validators=[tracker.core.text.PublishableText("publisher")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="qualifier",
            field=models.CharField(
                choices=[
                    ("exact", "Exact"),
                    ("about", "About"),
                    ("more_than", "More than"),
                    ("at_least", "At least"),
                    ("up_to", "Up to"),
                    ("less_than", "Less than"),
                    ("range", "Range"),
                ],
                default="exact",
                max_length=20,
                validators=[tracker.core.text.PublishableText("qualifier")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="unit",
            field=models.CharField(
                blank=True,
                help_text="For non-money figures: companies, %, rank",
                max_length=50,
                validators=[tracker.core.text.PublishableText("unit")],
            ),
        ),
        migrations.AlterField(
            model_name="estimate",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="description",
            field=models.TextField(
                blank=True, validators=[tracker.core.text.PublishableText("description")]
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("announcement", "Announcement"),
                    ("adoption", "Adoption"),
                    ("launch", "Launch"),
                    ("report", "Report"),
                    ("speech", "Speech"),
                    ("agreement", "Agreement"),
                    ("institution_founded", "Institution founded"),
                    ("funding_decision", "Funding decision"),
                    ("conference", "Conference"),
                    ("other", "Other"),
                ],
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="title",
            field=models.CharField(
                max_length=500, validators=[tracker.core.text.PublishableText("title")]
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="currency",
            field=models.CharField(
                help_text="ISO 4217, as the source gives it: RUB, EUR, USD",
                max_length=3,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{3}$", "Use an ISO 4217 currency code such as RUB, EUR or USD."
                    ),
                    tracker.core.text.PublishableText("currency"),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="kind",
            field=models.CharField(
                choices=[("pledged", "Pledged"), ("allocated", "Allocated"), ("spent", "Spent")],
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="purpose",
            field=models.TextField(
                blank=True, validators=[tracker.core.text.PublishableText("purpose")]
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="qualifier",
            field=models.CharField(
                choices=[
                    ("exact", "Exact"),
                    ("about", "About"),
                    ("more_than", "More than"),
                    ("at_least", "At least"),
                    ("up_to", "Up to"),
                    ("less_than", "Less than"),
                    ("range", "Range"),
                ],
                default="exact",
                max_length=20,
                validators=[tracker.core.text.PublishableText("qualifier")],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="stated_currency",
            field=models.CharField(
                blank=True,
                max_length=3,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{3}$", "Use an ISO 4217 currency code such as RUB, EUR or USD."
                    ),
                    tracker.core.text.PublishableText("stated currency"),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="stated_qualifier",
            field=models.CharField(
                choices=[
                    ("exact", "Exact"),
                    ("about", "About"),
                    ("more_than", "More than"),
                    ("at_least", "At least"),
                    ("up_to", "Up to"),
                    ("less_than", "Less than"),
                    ("range", "Range"),
                ],
                default="exact",
                max_length=20,
                validators=[tracker.core.text.PublishableText("stated qualifier")],
            ),
        ),
        migrations.AlterField(
            model_name="funding",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.AlterField(
            model_name="historicaljurisdiction",
            name="code",
            field=policies.models.CodeField(
                help_text="ISO 3166-1 alpha-2 for countries, e.g. RU; for blocs, regions and cities a code of their own in capitals, e.g. EU, CENTRAL-ASIA",
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "^(?=.{2})[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\\Z",
                        "A jurisdiction code is capital letters and digits, words joined by hyphens: RU, EU, CENTRAL-ASIA.",
                    )
                ],
            ),
        ),
        migrations.AlterField(
            model_name="jurisdiction",
            name="code",
            field=policies.models.CodeField(
                help_text="ISO 3166-1 alpha-2 for countries, e.g. RU; for blocs, regions and cities a code of their own in capitals, e.g. EU, CENTRAL-ASIA",
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "^(?=.{2})[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\\Z",
                        "A jurisdiction code is capital letters and digits, words joined by hyphens: RU, EU, CENTRAL-ASIA.",
                    ),
                    tracker.core.text.PublishableText("code"),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="jurisdiction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("country", "Country"),
                    ("bloc", "Bloc"),
                    ("region", "Region"),
                    ("city", "City"),
                ],
                default="country",
                max_length=10,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="jurisdiction",
            name="name",
            field=models.CharField(
                max_length=200, validators=[tracker.core.text.PublishableText("name")]
            ),
        ),
        migrations.AlterField(
            model_name="jurisdiction",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="jurisdiction",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="jurisdiction",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="instrument",
            field=models.CharField(
                blank=True,
                max_length=300,
                validators=[tracker.core.text.PublishableText("legal instrument")],
                verbose_name="legal instrument",
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="instrument_number",
            field=models.CharField(
                blank=True,
                max_length=100,
                validators=[tracker.core.text.PublishableText("instrument number")],
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="kind",
            field=models.CharField(
                choices=[
                    ("strategy", "Strategy"),
                    ("national_project", "National project"),
                    ("federal_project", "Federal project"),
                    ("programme", "Programme"),
                    ("law", "Law or decree"),
                    ("plan", "Plan"),
                    ("initiative", "Initiative"),
                ],
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="legal_act_url",
            field=models.URLField(
                blank=True,
                max_length=1000,
                validators=[tracker.core.text.PublishableText("legal act URL")],
                verbose_name="legal act URL",
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="oecd_id",
            field=models.CharField(
                blank=True,
                max_length=100,
                validators=[tracker.core.text.PublishableText("OECD.AI id")],
                verbose_name="OECD.AI id",
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                ],
                default="draft",
                max_length=20,
                validators=[tracker.core.text.PublishableText("state")],
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("proposed", "Proposed"),
                    ("announced", "Announced"),
                    ("adopted", "Adopted"),
                    ("in_force", "In force"),
                    ("expired", "Expired"),
                    ("superseded", "Superseded"),
                    ("repealed", "Repealed"),
                ],
                help_text="Leave empty when no source says",
                max_length=20,
                validators=[tracker.core.text.PublishableText("status")],
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="summary",
            field=models.TextField(
                blank=True,
                help_text="Markdown",
                validators=[tracker.core.text.PublishableText("summary")],
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="title",
            field=models.CharField(
                max_length=500, validators=[tracker.core.text.PublishableText("title")]
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="title_original",
            field=models.CharField(
                blank=True,
                max_length=500,
                validators=[tracker.core.text.PublishableText("original-language title")],
                verbose_name="original-language title",
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="wikidata_id",
            field=models.CharField(
                blank=True,
                max_length=30,
                validators=[
                    django.core.validators.RegexValidator(
                        "^Q[0-9]+$", "A Wikidata id looks like Q12345."
                    ),
                    tracker.core.text.PublishableText("Wikidata id"),
                ],
                verbose_name="Wikidata id",
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
        migrations.RunPython(codes_in_capitals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="jurisdiction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    django.db.models.lookups.Exact(
                        django.db.models.functions.text.Upper(
                            django.db.models.functions.text.Trim("code")
                        ),
                        models.F("code"),
                    )
                ),
                name="jurisdiction_code_in_capitals",
                violation_error_message="A jurisdiction code is trimmed and in capitals.",
            ),
        ),
    ]
