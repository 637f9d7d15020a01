"""A source's document as text: what a researcher uploads (PDF, HTML or plain text), checked
and read into the text its quotes are checked against (sources/passages.py).

The text keeps the document's pages: a PDF's pages are separated by form feeds ("\\f", as
`pdftotext` writes them), so a quote is located on its page. HTML and plain text have no pages.
"""

import hashlib
import io
import logging
import re

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from tracker.core.text import publishable

PAGE_BREAK = "\f"
# The parts of a page that are not its text.
NOT_TEXT = ("script", "style", "noscript", "template", "svg", "head")
BLANK_LINES = re.compile(r"\n{3,}")

log = logging.getLogger(__name__)


def text_hash(text: str) -> str:
    """The SHA-256 of a text (UTF-8), which a verified citation names as what it was checked
    against; empty for no text."""
    return hashlib.sha256(text.encode()).hexdigest() if text else ""


def kind_of(data: bytes) -> str:
    """ "pdf", "html" or "text", by what the file holds, not by its name; ValidationError for
    anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "The document is neither a PDF, nor HTML, nor plain text in UTF-8. Save it as one "
            "of these (a word processor's file as PDF) and upload it again.",
            code="document_type",
        ) from None
    if "\x00" in text:
        raise ValidationError(
            "The document holds binary data: upload a PDF, an HTML page or a plain text.",
            code="document_type",
        )
    head = text.lstrip()[:1000].lower()
    return "html" if head.startswith(("<!doctype html", "<html")) or "<body" in head else "text"


def too_large(limit: int, *, size: int | None = None) -> ValidationError:
    """The refusal of a document over `limit` bytes (of `size`, when known: an upload cut off
    at the limit is only known to be larger)."""
    found = f"is {filesizeformat(size)}" if size is not None else f"is over {filesizeformat(limit)}"
    return ValidationError(
        f"The document {found}; at most {filesizeformat(limit)} may be uploaded. Paste the "
        "text of the pages cited instead.",
        code="document_size",
    )


def extract(document: File, *, limit: int | None = None, paste_into: str = "the Text box") -> str:
    """The text of an uploaded document, pages separated by form feeds: ValidationError, with
    what to do, for a file too large, of another type, damaged or without text (a scan).

    `limit` bounds its size (a source's SOURCE_DOCUMENT_MAX_BYTES unless given: a reader's
    correction passes CORRECTION_DOCUMENT_MAX_BYTES); `paste_into` names the box the messages
    send a person to instead."""
    if limit is None:
        limit = settings.SOURCE_DOCUMENT_MAX_BYTES
    if document.size > limit:
        raise too_large(limit, size=document.size)
    document.seek(0)
    data = document.read()
    document.seek(0)
    kind = kind_of(data)
    if kind == "pdf":
        text = _pdf_text(data, paste_into)
    elif kind == "html":
        text = _html_text(data.decode("utf-8-sig"))
    else:
        text = data.decode("utf-8-sig")
    # Without the characters XML cannot carry, but the form feeds between pages.
    text = PAGE_BREAK.join(
        publishable(page) for page in text.replace("\r\n", "\n").split(PAGE_BREAK)
    )
    if not text.replace(PAGE_BREAK, "").strip():
        raise ValidationError(
            "No text could be read from the document (a scanned PDF holds pictures of pages). "
            f"Paste its text into {paste_into} instead.",
            code="document_empty",
        )
    return text


def _pdf_text(data: bytes, paste_into: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                "The PDF is encrypted: save an unprotected copy and upload that.",
                code="document_encrypted",
            )
        return PAGE_BREAK.join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        log.info("unreadable PDF: %s", exc)
        raise ValidationError(
            "The PDF could not be read (it may be damaged). Save it again from its viewer, or "
            f"paste its text into {paste_into}.",
            code="document_damaged",
        ) from None


def _html_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for name in NOT_TEXT:
        for element in soup.find_all(name):
            element.decompose()
    return BLANK_LINES.sub("\n\n", soup.get_text("\n")).strip()
