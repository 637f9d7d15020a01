from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from import_export.admin import ImportMixin

from policies.imports import (
    CommitmentResource,
    DraftResource,
    EstimateResource,
    EventResource,
    FundingResource,
    SizedImportForm,
)
from policies.models import (
    Actor,
    Assessment,
    Commitment,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
    PolicyActor,
)
from sources.admin import CitedAdmin
from tracker.core.admin import EditedWithEntry, fuzzy_column


class ImportAdmin(ImportMixin, CitedAdmin):
    """CSV/XLSX import with a dry run; rows land as drafts owned by the importer."""

    import_form_class = SizedImportForm

    def has_import_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")

    def get_urls(self):
        opts = self.model._meta
        example = path(
            "import/example.csv",
            self.admin_site.admin_view(self.import_example),
            name=f"{opts.app_label}_{opts.model_name}_import_example",
        )
        return [example, *super().get_urls()]

    def import_resource(self, request) -> DraftResource:
        # Each model has one resource, whose columns the page lists.
        [resource_class] = self.get_import_resource_classes(request)
        return resource_class()

    def import_action(self, request, **kwargs):
        """The library's page, listing the columns the import reads in place of its field names
        (templates/admin/import_export/resource_fields_list.html)."""
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            response.context_data["columns"] = self.import_resource(request).columns()
        return response

    def import_example(self, request):
        """A CSV file of the columns the import reads and example rows (DraftResource.examples)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            self.import_resource(request).example_csv(), content_type="text/csv; charset=utf-8"
        )
        name = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}-example.csv"'
        return response

    def process_result(self, result, request):
        """After the confirm: the library's success message, unless the file went bad since its
        dry run and was rolled back (DraftResource.import_data), which is said as an error."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        rows = ", ".join(str(invalid.number) for invalid in result.invalid_rows[:10])
        messages.error(
            request,
            f"Nothing was imported: the data changed since the dry run and "
            f"{f'row {rows}' if rows else 'the file'} no longer passed the checks. "
            "Upload the file again to see every error.",
        )
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))


def _choosing(request, model, field: str) -> bool:
    """Is this request the admin's autocomplete, choosing `model`'s `field`?"""
    match, query = request.resolver_match, request.GET
    return bool(
        match
        and match.url_name == "autocomplete"
        and query.get("app_label") == model._meta.app_label
        and query.get("model_name") == model._meta.model_name
        and query.get("field_name") == field
    )


@admin.register(Jurisdiction)
class JurisdictionAdmin(CitedAdmin):
    list_display = ("name", "code", "kind", "state")
    list_filter = ("kind", "state")
    search_fields = ("name", "code")
    fields = ("code", "name", "kind", "wikidata_id")


@admin.register(Actor)
class ActorAdmin(CitedAdmin):
    list_display = ("name", "kind", "jurisdiction", "state")
    list_filter = ("kind", "state", "jurisdiction")
    list_select_related = ("jurisdiction",)
    search_fields = ("name", "name_original", "slug")
    autocomplete_fields = ("jurisdiction",)
    prepopulated_fields = {"slug": ("name",)}
    fields = (
        "slug",
        "name",
        "name_original",
        "kind",
        "jurisdiction",
        "url",
        "description",
        "wikidata_id",
    )


class PolicyActorInline(EditedWithEntry, admin.TabularInline):
    model = PolicyActor
    extra = 1
    autocomplete_fields = ("actor",)


@admin.register(Policy)
class PolicyAdmin(CitedAdmin):
    list_display = (
        "title",
        "kind",
        "jurisdiction",
        "adopted_display",
        "horizon_display",
        "status",
        "state",
    )
    list_filter = ("kind", "status", "state", "jurisdiction")
    list_select_related = ("jurisdiction",)
    search_fields = ("title", "title_original", "instrument_number", "slug")
    autocomplete_fields = ("jurisdiction", "parent")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PolicyActorInline, *CitedAdmin.inlines]
    groups = (
        (
            "What",
            (
                "title",
                "slug",
                "kind",
                "title_original",
                "jurisdiction",
                "parent",
                "status",
                "summary",
            ),
        ),
        ("When", ("announced", "adopted", "horizon_start", "horizon_end")),
        (
            "Legal act and identifiers",
            ("instrument", "instrument_number", "legal_act_url", "oecd_id", "wikidata_id"),
        ),
    )
    adopted_display = fuzzy_column("adopted", "Adopted")

    @admin.display(description="Horizon", ordering="horizon_end_start")
    def horizon_display(self, obj):
        start, end = obj.horizon_start, obj.horizon_end
        if not (start or end):
            return "—"
        return f"{start or '…'} to {end or '…'}"


@admin.register(Commitment)
class CommitmentAdmin(ImportAdmin):
    resource_classes = [CommitmentResource]
    list_display = ("title", "policy", "kind", "pledged_display", "due_display", "state")
    list_filter = ("kind", "state", "policy__jurisdiction")
    list_select_related = ("policy",)
    search_fields = ("title", "description", "slug", "policy__title")
    autocomplete_fields = ("policy", "pledged_by", "funding")
    prepopulated_fields = {"slug": ("title",)}
    groups = (
        ("What", ("title", "slug", "policy", "description", "kind", "pledged_by")),
        ("When", ("pledged", "due")),
        ("How much", ("metric", "unit", "baseline_value", "target_value", "funding")),
    )
    pledged_display = fuzzy_column("pledged", "Pledged")
    due_display = fuzzy_column("due", "Due", deadline=True)


@admin.register(Assessment)
class AssessmentAdmin(CitedAdmin):
    list_display = (
        "commitment",
        "as_of_display",
        "status",
        "delivered_display",
        "judged_by",
        "state",
    )
    list_filter = ("status", "judged_by", "state")
    list_select_related = ("commitment",)
    search_fields = ("summary", "slug", "commitment__title")
    autocomplete_fields = ("commitment",)
    prepopulated_fields = {"slug": ("summary",)}
    groups = (
        ("What", ("commitment", "status", "judged_by", "summary", "slug")),
        ("When", ("as_of", "delivered")),
        ("How much", ("actual_value",)),
    )
    as_of_display = fuzzy_column("as_of", "As of")
    delivered_display = fuzzy_column("delivered", "Delivered")


@admin.register(Funding)
class FundingAdmin(ImportAdmin):
    resource_classes = [FundingResource]
    list_display = ("slug", "kind", "money_display", "stated_display", "policy", "funder", "state")
    list_filter = ("kind", "currency", "state")
    list_select_related = ("policy", "funder")
    search_fields = ("purpose", "slug", "policy__title", "funder__name")
    autocomplete_fields = ("policy", "funder", "recipient", "delivers_against")
    prepopulated_fields = {"slug": ("purpose",)}
    groups = (
        (
            "What",
            (
                "purpose",
                "slug",
                "policy",
                "kind",
                "funder",
                "recipient",
                "delivers_against",
                "tracked_by_display",
            ),
        ),
        ("How much", ("amount", "amount_high", "currency", "qualifier")),
        (
            "As the source states it",
            ("stated_amount", "stated_amount_high", "stated_currency", "stated_qualifier"),
        ),
        ("When", ("period_start", "period_end")),
    )

    def get_readonly_fields(self, request, obj=None):
        # Shown, never edited here: a commitment chooses the pledge it tracks.
        return tuple(
            dict.fromkeys((*super().get_readonly_fields(request, obj), "tracked_by_display"))
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if _choosing(request, Commitment, "funding"):
            # A commitment tracks a pledge (Commitment.clean): offer no allocation or spending.
            queryset = queryset.filter(kind=Funding.Kind.PLEDGED)
        return queryset, distinct

    @admin.display(description="Tracked by the commitments")
    def tracked_by_display(self, obj):
        entry = obj.draft_of if obj and obj.draft_of_id else obj
        if entry is None or entry.pk is None:
            return "—"
        trackers = entry.tracked_by.filter(draft_of__isnull=True).order_by("title", "id")
        if not trackers:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:policies_commitment_change", args=[c.pk]),
                    c.title,
                    c.get_state_display().lower(),
                )
                for c in trackers
            ),
        )

    @admin.display(description="Amount", ordering="amount")
    def money_display(self, obj):
        return str(obj.money)

    @admin.display(description="Source's own equivalent")
    def stated_display(self, obj):
        return str(obj.stated_equivalent) if obj.stated_equivalent else "—"


@admin.register(Event)
class EventAdmin(ImportAdmin):
    resource_classes = [EventResource]
    list_display = ("title", "occurred_display", "kind", "jurisdiction", "state")
    list_filter = ("kind", "state", "jurisdiction")
    list_select_related = ("jurisdiction",)
    search_fields = ("title", "description", "slug")
    autocomplete_fields = ("jurisdiction", "actors", "policies", "commitments")
    prepopulated_fields = {"slug": ("title",)}
    groups = (
        ("What", ("title", "slug", "kind", "description")),
        ("When", ("occurred",)),
        ("Who and what it concerns", ("jurisdiction", "actors", "policies", "commitments")),
        ("Identifiers", ("wikidata_id",)),
    )
    occurred_display = fuzzy_column("occurred", "Date")


@admin.register(Estimate)
class EstimateAdmin(ImportAdmin):
    resource_classes = [EstimateResource]
    list_display = ("measure", "value_display", "period_display", "publisher", "kind", "state")
    list_filter = ("kind", "state", "jurisdiction")
    list_select_related = ("jurisdiction",)
    search_fields = ("measure", "publisher", "slug")
    autocomplete_fields = ("jurisdiction",)
    prepopulated_fields = {"slug": ("measure",)}
    groups = (
        ("What", ("measure", "slug", "jurisdiction", "publisher", "kind")),
        ("How much", ("value", "value_high", "qualifier", "currency", "unit")),
        ("When", ("period",)),
    )
    period_display = fuzzy_column("period", "Period")

    @admin.display(description="Value", ordering="value")
    def value_display(self, obj):
        return obj.value_display
