// Every page: a table wider than the screen (a phone) scrolls inside its own region, which a
// keyboard can reach and a screen reader names after the table's caption; the page itself never
// scrolls sideways. And at logout, the texts this browser kept for the portal (unsent drafts, see
// aanvraag.js) are removed, since a municipal PC is shared. The server also sends
// Clear-Site-Data with the logout page. After a save or an error the focus goes to the message
// or the first refused field, or where the page says to start (autofocus).
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

  function regio(tabel) {
    if (tabel.closest(".tabel-scroll")) { return; }
    var omhulsel = document.createElement("div");
    omhulsel.className = "tabel-scroll";
    tabel.parentNode.insertBefore(omhulsel, tabel);
    omhulsel.appendChild(tabel);
  }
  function naamEnFocus() {
    document.querySelectorAll(".tabel-scroll").forEach(function (omhulsel) {
      var tabel = omhulsel.querySelector("table");
      var schuift = omhulsel.scrollWidth > omhulsel.clientWidth + 1;
      if (schuift) {
        var titel = tabel.caption ? tabel.caption.textContent.trim() : "";
        omhulsel.setAttribute("tabindex", "0");
        omhulsel.setAttribute("role", "region");
        omhulsel.setAttribute("aria-label", titel || omhulsel.dataset.naam || "Tabel");
      } else {
        omhulsel.removeAttribute("tabindex");
        omhulsel.removeAttribute("role");
        omhulsel.removeAttribute("aria-label");
      }
    });
  }
  document.querySelectorAll("main table").forEach(regio);
  naamEnFocus();
  window.addEventListener("resize", naamEnFocus);

  // After a save or a refusal the keyboard starts where the answer is, not at the top of the
  // page: at the first field the server refused, or else at the message about what happened.
  var fout = document.querySelector(
    "main .is-invalid:is(input, select, textarea):not([disabled]):not([type=hidden])"
  );
  var melding = document.querySelector("main .messages");
  // A page that says where to start (the conflict screen: its explanation, or the first field
  // to merge) keeps that place.
  var begin = document.querySelector("main form[data-conflict] [autofocus]");
  if (fout && fout.closest("form") && fout.closest("form").querySelector(".invalid-feedback")) {
    fout.focus();
  } else if (begin) {
    begin.focus();
  } else if (melding) {
    melding.setAttribute("tabindex", "-1");
    melding.focus();
  }
})();
