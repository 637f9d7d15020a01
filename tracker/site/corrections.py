"""Readers' corrections, the public side: the form on its own page under every public entry
(`/e/<kind>/<pk>/correct/`), the thank-you page after it, and the "Corrected on" lines of an
entry's page.

What a reader sends goes to `tracker.core.corrections.submit`, which stores it as plain text for
the editors; nothing public changes (docs/public-site.md). The form defends itself without any
third-party service (docs/security.md, "The corrections form"): a budget of accepted
submissions per client address (CORRECTIONS_RATE), a field only robots fill, a signed time
stamp a robot would send back too soon (CORRECTION_MIN_SECONDS) or not at all, the model's
length limits, a bound on links (CORRECTION_MAX_LINKS) and on a document's size
(CORRECTION_DOCUMENT_MAX_BYTES), read as a source's document is. Every refusal shows the form
again with what was typed; the page is never cached, since it carries a CSRF token.
"""

import datetime as dt
import math
import re
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from policies import links, selectors
from sources.documents import extract, too_large
from tracker.core import clock
from tracker.core import corrections as core
from tracker.core.addresses import client_address
from tracker.core.dates import FuzzyDate
from tracker.core.editorial import Curated
from tracker.core.models import Correction
from tracker.site.views import addressable

# -- the rate limit ----------------------------------------------------------------------

PERIODS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}
SENT_PREFIX = "corrections-sent:"


class Rate(NamedTuple):
    number: int
    seconds: int
    period: str  # "hour", as CORRECTIONS_RATE names it


def rate() -> Rate:
    """CORRECTIONS_RATE ("5/hour", which the settings check) as a number and a period."""
    number, _, period = settings.CORRECTIONS_RATE.partition("/")
    return Rate(int(number), PERIODS[period], period)


def _sent(address: str, now: float, limit: Rate) -> list[float]:
    """When this address's accepted corrections were sent, within the last period."""
    stamps = cache.get(SENT_PREFIX + address) or []
    return [t for t in stamps if now - limit.seconds < t <= now]


def retry_at(request: HttpRequest) -> dt.datetime | None:
    """When the client may send again, if its address has used its budget; None if it may now.
    Only accepted submissions count (`count_accepted`): a refused one costs nothing."""
    limit, now = rate(), clock.now().timestamp()
    sent = _sent(client_address(request), now, limit)
    if len(sent) < limit.number:
        return None
    return dt.datetime.fromtimestamp(min(sent) + limit.seconds, tz=dt.UTC)


def count_accepted(request: HttpRequest) -> None:
    limit, now = rate(), clock.now().timestamp()
    address = client_address(request)
    sent = [*_sent(address, now, limit), now]
    cache.set(SENT_PREFIX + address, sent, limit.seconds)


def rate_message(when: dt.datetime) -> str:
    limit = rate()
    local = timezone.localtime(when)
    minutes = max(1, math.ceil((when - clock.now()).total_seconds() / 60))
    return (
        f"This address has sent {limit.number} corrections in the last {limit.period}, the most "
        f"the site takes. Try again after {local:%H:%M} {local.tzname()} (in {minutes} "
        f"minute{'s' if minutes != 1 else ''}); what you wrote is kept below."
    )


# -- the time stamp ----------------------------------------------------------------------

STAMP_SALT = "tracker.site.corrections.served"
# A form open longer than this is sent again with a fresh stamp, so that a stamp harvested once
# cannot serve a robot for ever.
STAMP_MAX_AGE = dt.timedelta(days=1)


def stamp(at: dt.datetime) -> str:
    """The signed moment a form was served, for its hidden field."""
    return signing.dumps(at.timestamp(), salt=STAMP_SALT)


def served_at(value: str) -> dt.datetime | None:
    """The moment a stamp says, or None when it is missing, altered or not a stamp."""
    try:
        moment = signing.loads(value, salt=STAMP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(moment, int | float):
        return None
    return dt.datetime.fromtimestamp(moment, tz=dt.UTC)


def stamp_problem(value: str, now: dt.datetime) -> str | None:
    """Why the stamp sent back refuses the submission, or None."""
    served = served_at(value)
    if served is None:
        return (
            "The form's check value is missing or was altered, so the site cannot tell a "
            "person sent it. Send it again from this page: what you wrote is kept."
        )
    if now - served > STAMP_MAX_AGE:
        return "This form was opened more than a day ago. Check what you wrote and send it again."
    if now - served < dt.timedelta(seconds=settings.CORRECTION_MIN_SECONDS):
        return (
            "The form was sent a moment after it was opened, as robots do. Check what you "
            "wrote and send it again."
        )
    return None


# -- the form ----------------------------------------------------------------------------

LINK = re.compile(r"\b(?:https?://|ftp://|www\.)", re.IGNORECASE)
HONEYPOT = "website"


def links_in(*texts: str) -> int:
    return sum(len(LINK.findall(text)) for text in texts)


class CorrectionForm(forms.ModelForm):
    """What a reader sends: the model's fields, with their lengths and text rule, and the two
    fields robots give themselves away by."""

    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    served = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Correction
        fields = ["message", "source_url", "document", "quote", "page", "email"]
        labels = {
            "message": "What is wrong or new",
            "source_url": "Source address (optional)",
            "document": "A document (optional)",
            "quote": "Quote from the source (optional)",
            "page": "Page (optional)",
            "email": "Your email (optional)",
        }
        help_texts = {
            "message": "Say what the entry gets wrong or leaves out, and what it should say.",
            "source_url": "Where the evidence is published, e.g. https://example.gov/decree.",
            "document": "A PDF, an HTML page or a plain text file; at most {size}.",
            "quote": "The sentences of the source that show it, word for word.",
            "page": "Where the quote is in the source, e.g. 12 or 12-13.",
            "email": "For a reply; never published.",
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "quote": forms.Textarea(attrs={"rows": 4}),
            "document": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.html,.htm,.txt,application/pdf,text/html,text/plain"}
            ),
        }

    def __init__(self, *args: Any, cut_off: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cut_off = cut_off  # the document was over the limit: it was not read in full
        limit = settings.CORRECTION_DOCUMENT_MAX_BYTES
        document = self.fields["document"]
        document.help_text = document.help_text.format(size=_size(limit))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT):
            # Shown again empty (views.py's `again`), so a person need only send again.
            self.add_error(
                None,
                "The field “Leave this empty”, which only robots see, was filled in. It is "
                "empty now: send the form again.",
            )
            return cleaned
        if problem := stamp_problem(cleaned.get("served", ""), clock.now()):
            self.add_error(None, problem)
            return cleaned
        found = links_in(cleaned.get("message", ""), cleaned.get("quote", ""))
        if found > settings.CORRECTION_MAX_LINKS:
            self.add_error(
                None,
                f"What is wrong or new and the quote hold {found} links; at most "
                f"{settings.CORRECTION_MAX_LINKS} are taken. Give the main one as the source "
                "address and leave out the others, or name them without their addresses.",
            )
        self._read_document(cleaned)
        return cleaned

    def _read_document(self, cleaned: dict[str, Any]) -> None:
        """Check an uploaded document as a source's is checked: its size, its type by what it
        holds, and that it reads."""
        limit = settings.CORRECTION_DOCUMENT_MAX_BYTES
        if self.cut_off:
            self.add_error("document", too_large(limit))
            return
        document = cleaned.get("document")
        if not document:
            return
        try:
            extract(document, limit=limit, paste_into="the quote box")
        except ValidationError as error:
            self.add_error("document", error)


def _size(limit: int) -> str:
    return str(filesizeformat(limit))


class CappedUpload(FileUploadHandler):
    """Reads no more of an uploaded file than `limit` bytes: past it the file is skipped (the
    form's other fields still arrive) and `cut_off` says so, so that the form is shown again
    with the reason rather than a disk filling with what would be refused."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.received = 0
        self.cut_off = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.cut_off = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or a temporary file) keeps the file


# -- the pages ---------------------------------------------------------------------------


def public_entry(kind: str, pk: int) -> Curated:
    """The public entry of `kind` and `pk`, for everyone alike: a draft is a 404 here even for
    an editor, who has the admin."""
    if links.model_for(kind) is None:
        raise Http404("No such kind of entry.")
    entry = addressable(kind).filter(pk=pk).first()
    if entry is None:
        raise Http404("No published entry here.")
    return entry


def _page(
    request: HttpRequest,
    entry: Curated,
    form: CorrectionForm,
    *,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "entry": entry,
        "entry_url": links.entry_url(entry),
        "kind_label": links.KIND_LABELS[links.kind_of(entry)],
        "form": form,
        "refusal": refusal,
        # A browser cannot fill a file field again: the reader chooses the document again.
        "document_dropped": bool(request.FILES) or form.cut_off,
    }
    return render(request, "tracker/correct.html", context, status=status)


def again(request: HttpRequest, form: CorrectionForm | None = None) -> CorrectionForm:
    """The form as sent, shown again with its reasons: the text kept, the trap emptied, and the
    stamp kept while it still holds (so that "too fast" passes on the next try), else a fresh
    one. Without `form` (the rate limit), the text is shown as typed and nothing is checked."""
    data = request.POST.copy()
    data[HONEYPOT] = ""
    served = served_at(data.get("served", ""))
    if served is None or clock.now() - served > STAMP_MAX_AGE:
        data["served"] = stamp(clock.now())
    if form is None:
        return CorrectionForm(initial=data.dict())
    # The reasons were found on what was sent; only what the page shows changes.
    form.data = data
    return form


@csrf_exempt  # checked in `_correct`, once the upload is capped (Django's documented order)
def correct(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The form for a correction of a public entry (GET), and its submission (POST)."""
    request.upload_handlers.insert(0, CappedUpload(settings.CORRECTION_DOCUMENT_MAX_BYTES))
    return _correct(request, kind, pk)


@never_cache
@csrf_protect
def _correct(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = public_entry(kind, pk)
    if request.method != "POST":
        return _page(request, entry, CorrectionForm(initial={"served": stamp(clock.now())}))
    if (when := retry_at(request)) is not None:
        response = _page(request, entry, again(request), refusal=rate_message(when), status=429)
        response["Retry-After"] = str(max(1, math.ceil((when - clock.now()).total_seconds())))
        return response
    capped = next(h for h in request.upload_handlers if isinstance(h, CappedUpload))
    form = CorrectionForm(request.POST, request.FILES, cut_off=capped.cut_off)
    if not form.is_valid():
        return _page(request, entry, again(request, form), status=400)
    fields = {name: form.cleaned_data[name] for name in CorrectionForm.Meta.fields}
    fields["document"] = fields["document"] or None
    try:
        core.submit(entry, **fields)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, entry, again(request, form), status=400)
    count_accepted(request)
    return HttpResponseRedirect(reverse("correction-sent", args=[kind, pk]))


@never_cache
def sent(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The thank-you page after a correction: what happens next, and the way back."""
    entry = public_entry(kind, pk)
    context = {
        "entry": entry,
        "entry_url": links.entry_url(entry),
        "kind_label": links.KIND_LABELS[links.kind_of(entry)],
    }
    return render(request, "tracker/correction_sent.html", context)


# -- "Corrected on" ----------------------------------------------------------------------


class Corrected(NamedTuple):
    day: FuzzyDate
    note: str


def corrected(entry: Curated) -> list[Corrected]:
    """The entry's corrections whose edit an editor published, oldest first, as its page says
    them: the day and the curator's one line. One query; the reader's message and address are
    never read here."""
    published = (
        selectors.corrections(entry)
        .order_by("published_at", "pk")
        .values_list("published_at", "public_note")
    )
    days = []
    for when, note in published:
        day = timezone.localdate(when)
        days.append(Corrected(FuzzyDate.day(day.year, day.month, day.day), note))
    return days
