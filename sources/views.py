"""Source pages: what a document is, and every published fact that cites it."""

from collections import defaultdict

from django.shortcuts import render

from policies import public
from policies.pages import entry_or_404, public_page
from policies.views import list_page
from sources.filters import SourceFilter


@public_page
def source_list(request):
    return list_page(
        request,
        filterset_class=SourceFilter,
        queryset=public.sources(),
        template="sources/source_list.html",
    )


@public_page
def source_detail(request, slug):
    source = entry_or_404(request, public.sources(), slug=slug)
    quotes = list(public.citations().filter(source=source))
    # One query per kind of entry cited (at most the nine kinds), not one per citation.
    wanted = defaultdict(set)
    for citation in quotes:
        wanted[citation.content_type.model].add(citation.object_id)
    records = {}
    for kind, ids in wanted.items():
        queryset = public.entries(kind).filter(pk__in=ids)
        if kind == "assessment":
            queryset = queryset.select_related("commitment")
        for entry in queryset:
            records[(kind, entry.pk)] = entry
    facts = [
        (records[(c.content_type.model, c.object_id)], c)
        for c in quotes
        if (c.content_type.model, c.object_id) in records
    ]
    public.attach_citations([source])
    return render(request, "sources/source_detail.html", {"source": source, "facts": facts})
