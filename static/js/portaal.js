// Every page: at logout, the texts this browser kept for the portal (unsent drafts, see
// aanvraag.js) are removed, since a municipal PC is shared. The server also sends
// Clear-Site-Data with the logout page.
(function () {
  "use strict";
  document.querySelectorAll("form[data-afmelden]").forEach(function (form) {
    form.addEventListener("submit", function () {
      try {
        for (var i = localStorage.length - 1; i >= 0; i -= 1) {
          var sleutel = localStorage.key(i);
          if (sleutel && sleutel.indexOf("regierol:") === 0) { localStorage.removeItem(sleutel); }
        }
      } catch (e) { /* storage off: nothing kept */ }
    });
  });
})();
