// The beheer site (Django's admin): the names that two of its widgets leave out, for screen
// readers (and axe). Both widgets build their parts after the page has loaded, so the names are
// given whenever such a part appears.
(function () {
  "use strict";

  function benoem(wortel) {
    // The filter boxes of a many-to-many field (filter_horizontal) carry a hint icon with an
    // aria-label but no role, which a screen reader ignores: it is an image with that name.
    wortel.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icoon) {
      icoon.setAttribute("role", "img");
    });
    // A search-as-you-type select (autocomplete_fields) is a combobox named by its chosen value
    // alone, which is empty while nothing is chosen: its name starts with the label of the select
    // it replaces.
    wortel.querySelectorAll(".select2-selection[role=combobox]:not([data-benoemd])").forEach(
      function (keuze) {
        var container = keuze.closest(".select2-container");
        var select = container && container.previousElementSibling;
        if (!select || !select.id) { return; }
        var label = document.querySelector('label[for="' + select.id + '"]');
        if (!label) { return; }
        if (!label.id) { label.id = select.id + "_label"; }
        var waarde = keuze.getAttribute("aria-labelledby");
        keuze.setAttribute("aria-labelledby", label.id + (waarde ? " " + waarde : ""));
        keuze.setAttribute("data-benoemd", "");
        // Its inner text box is shown text, not a field of its own.
        keuze.querySelectorAll("[role=textbox]").forEach(function (tekst) {
          tekst.removeAttribute("role");
          tekst.removeAttribute("aria-readonly");
        });
      }
    );
  }

  new MutationObserver(function () { benoem(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", function () { benoem(document); });
})();
