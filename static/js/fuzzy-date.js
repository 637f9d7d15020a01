// Beside each fuzzy date's box (datefields.FuzzyDateInput), what the server's parser reads it as,
// as the curator types: "Q4 2019, 1 October 2019 to 31 December 2019", or why it cannot be read.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-fuzzy-date]").forEach((input) => {
    const endpoint = input.dataset.fuzzyDate;
    const preview = document.createElement("span");
    preview.className = "fuzzy-preview";
    preview.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", preview);
    let timer;
    const show = async () => {
      const value = input.value.trim();
      if (!value) { preview.textContent = ""; return; }
      const response = await fetch(`${endpoint}?value=${encodeURIComponent(value)}`, { credentials: "same-origin" });
      if (!response.ok) return;
      const read = await response.json();
      preview.classList.toggle("fuzzy-error", Boolean(read.error));
      preview.textContent = read.error ? read.error : `Understood as ${read.display} (${read.period})`;
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(show, 250); });
    show();
  });
});
