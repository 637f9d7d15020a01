// A source's reader (admin): the passage a curator selects in the text becomes the quote of the
// "New … citing this" form above it. Without JavaScript the passage is pasted by hand.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const quote = document.getElementById("cite-quote");
  const pages = document.querySelector(".source-pages");
  if (!quote || !pages) return;
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!pages.contains(range.commonAncestorContainer)) return;
    // Numbers of other passages (the superscripts) are not part of the text.
    const copy = range.cloneContents();
    copy.querySelectorAll(".cited-by").forEach((sup) => sup.remove());
    // Line breaks stay: the form that opens writes the quote on one line (as_quoted).
    quote.value = copy.textContent.trim();
  });
});
