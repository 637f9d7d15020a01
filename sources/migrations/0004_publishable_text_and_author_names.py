import tracker.core.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0003_search_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="citation",
            name="footnote",
            field=models.CharField(
                blank=True, max_length=40, validators=[tracker.core.text.PublishableText("footnote")]
            ),
        ),
        migrations.AlterField(
            model_name="citation",
            name="note",
            field=models.TextField(blank=True, validators=[tracker.core.text.PublishableText("note")]),
        ),
        migrations.AlterField(
            model_name="citation",
            name="page",
            field=models.CharField(
                blank=True, max_length=40, validators=[tracker.core.text.PublishableText("page")]
            ),
        ),
        migrations.AlterField(
            model_name="citation",
            name="quote",
            field=models.TextField(
                help_text="Copied verbatim from the source",
                validators=[tracker.core.text.PublishableText("quote")],
            ),
        ),
        migrations.AlterField(
            model_name="citation",
            name="section",
            field=models.CharField(
                blank=True, max_length=300, validators=[tracker.core.text.PublishableText("section")]
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="authors",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='A list of names, as the source gives them: ["Jane Doe", "Ivan Petrov"]',
                validators=[tracker.core.text.ListOfNames("authors")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="archived_url",
            field=models.URLField(
                blank=True,
                max_length=1000,
                validators=[tracker.core.text.PublishableText("archived url")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="authors",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='A list of names, as the source gives them: ["Jane Doe", "Ivan Petrov"]',
                validators=[tracker.core.text.ListOfNames("authors")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="doi",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[tracker.core.text.PublishableText("DOI")],
                verbose_name="DOI",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="how_to_cite",
            field=models.TextField(
                blank=True,
                help_text="The source's own citation text, as it gives it",
                validators=[tracker.core.text.PublishableText("how to cite")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="isbn",
            field=models.CharField(
                blank=True,
                max_length=20,
                validators=[tracker.core.text.PublishableText("ISBN")],
                verbose_name="ISBN",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="kind",
            field=models.CharField(
                choices=[
                    ("report", "Report"),
                    ("policy_brief", "Policy brief"),
                    ("journal_article", "Journal article"),
                    ("legal_act", "Legal act"),
                    ("news_article", "News article"),
                    ("speech", "Speech"),
                    ("dataset", "Dataset"),
                    ("web_page", "Web page"),
                    ("interview", "Interview"),
                ],
                max_length=20,
                validators=[tracker.core.text.PublishableText("kind")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="ISO 639-1 code, e.g. en, ru",
                max_length=10,
                validators=[tracker.core.text.PublishableText("language")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="publisher",
            field=models.CharField(
                blank=True, max_length=300, validators=[tracker.core.text.PublishableText("publisher")]
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="review_note",
            field=models.TextField(
                blank=True,
                help_text="The reviewer's request for changes, to the author",
                validators=[tracker.core.text.PublishableText("review note")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="rights",
            field=models.CharField(
                blank=True, max_length=500, validators=[tracker.core.text.PublishableText("rights")]
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="series",
            field=models.CharField(
                blank=True,
                help_text="Series and number, journal volume and issue",
                max_length=300,
                validators=[tracker.core.text.PublishableText("series")],
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="slug",
            field=models.SlugField(
                max_length=120, validators=[tracker.core.text.PublishableText("slug")]
            ),
        ),
        migrations.AlterField(
            model_name="source",
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
            model_name="source",
            name="subtitle",
            field=models.CharField(
                blank=True, max_length=500, validators=[tracker.core.text.PublishableText("subtitle")]
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="title",
            field=models.CharField(
                max_length=500, validators=[tracker.core.text.PublishableText("title")]
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="url",
            field=models.URLField(
                blank=True, max_length=1000, validators=[tracker.core.text.PublishableText("url")]
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="withdrawn_reason",
            field=models.TextField(
                blank=True,
                help_text="Why an editor unpublished it",
                validators=[tracker.core.text.PublishableText("withdrawn reason")],
            ),
        ),
    ]
