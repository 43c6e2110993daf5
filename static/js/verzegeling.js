// The overview of a submitted aanvraag: while the PDF of a version is being made ("wordt
// verzegeld"), ask the server now and then whether it is ready, and put the download link in its
// place when it is, saying so to a screen reader (the status line is aria-live). Without
// JavaScript a reload shows the same; after some ten minutes this stops asking and a reload does.
(function () {
  "use strict";
  var blok = document.querySelector("[data-pdf-status]");
  var melding = document.getElementById("pdf-status-melding");
  if (!blok || !melding || !window.fetch || !window.DOMParser) { return; }
  var wachtijden = [3000, 5000, 10000, 15000, 30000];
  var beurt = 0;

  function wachtend() { return blok.querySelectorAll("[data-wordt-verzegeld]"); }

  function vraag() {
    fetch(blok.dataset.pdfStatus, { credentials: "same-origin", cache: "no-store" })
      .then(function (antwoord) {
        if (!antwoord.ok) { throw new Error(String(antwoord.status)); }
        return antwoord.text();
      })
      .then(function (html) {
        var nieuw = new DOMParser().parseFromString(html, "text/html");
        wachtend().forEach(function (cel) {
          var vervanger = nieuw.getElementById(cel.id);
          if (vervanger && !vervanger.hasAttribute("data-wordt-verzegeld")) {
            cel.replaceWith(document.importNode(vervanger, true));
            melding.textContent = blok.dataset.klaarTekst.replace(
              "{nummer}", cel.dataset.wordtVerzegeld
            );
          }
        });
      })
      .catch(function () { /* the next turn asks again; a reload always works */ })
      .then(plan);
  }

  function plan() {
    if (!wachtend().length || beurt >= 30) { return; }
    var wacht = wachtijden[Math.min(beurt, wachtijden.length - 1)];
    beurt += 1;
    window.setTimeout(vraag, wacht);
  }

  plan();
})();
