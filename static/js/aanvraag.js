// The aanvraag pages: warn before leaving with unsaved changes, save long texts while typing,
// and ask before deleting. No inline scripts: the pages carry their texts in data- attributes.
(function () {
  "use strict";

  var dirtyForms = new Set();

  document.querySelectorAll("form[data-guard]").forEach(function (form) {
    // On the conflict screen the form holds input the server refused: leaving asks first.
    if (form.hasAttribute("data-conflict")) { dirtyForms.add(form); }
    form.addEventListener("input", function () { dirtyForms.add(form); });
    form.addEventListener("change", function () { dirtyForms.add(form); });
    form.addEventListener("submit", function () { dirtyForms.delete(form); });
  });

  // On the conflict screen, while the three choices are asked, Enter in a one-line field chooses
  // nothing: the browser would press the first button, "Mijn versie bewaren", and overwrite the
  // colleague's version without the user having chosen it.
  document.querySelectorAll("form[data-conflict]").forEach(function (form) {
    if (!form.querySelector(".conflict-keuzes")) { return; }
    form.addEventListener("keydown", function (event) {
      var veld = event.target;
      if (event.key === "Enter" && veld.tagName === "INPUT" &&
          ["submit", "button", "checkbox", "radio"].indexOf(veld.type) === -1) {
        event.preventDefault();
      }
    });
  });

  var bevestigd = false;  // the user already said yes to leaving (a confirmed delete)
  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms.size > 0 && !bevestigd) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // One question, not two: when other changes on the page are not saved, the confirmation says
  // they will be lost, and the page's leave warning does not ask again.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var vraag = form.dataset.confirm;
      var anderen = Array.from(dirtyForms).some(function (f) { return f !== form; });
      if (anderen && form.dataset.confirmKwijt) { vraag += " " + form.dataset.confirmKwijt; }
      if (!window.confirm(vraag)) { event.preventDefault(); return; }
      bevestigd = true;
    });
  });

  // Submitting takes seconds (the sealed PDF): say so, and never send it twice.
  document.querySelectorAll("form[data-indienen]").forEach(function (indienen) {
    indienen.addEventListener("submit", function (event) {
      var knop = indienen.querySelector("button[type=submit]");
      if (indienen.dataset.bezig === "1") { event.preventDefault(); return; }
      // Without the mandate confirmed the server only answers with that message: no progress.
      if (indienen.querySelector("input[type=checkbox]:not(:checked)")) { return; }
      indienen.dataset.bezig = "1";
      knop.setAttribute("aria-disabled", "true");
      knop.classList.add("disabled");
      indienen.querySelector("[data-voortgang]").textContent = indienen.dataset.msgBezig;
    });
  });

  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  // The conflict screen (aanvragen.conflicts): nothing is saved until the user chooses, so no
  // autosave; the copy on this device is marked as refused, so that it is never put back and
  // saved silently later, only shown for the user to decide.
  var conflict = form.hasAttribute("data-conflict");
  var overtroffen = false;  // an autosave was refused over a newer version: the button decides
  var wachtendeKeuze = null;  // the button pressed while offline on the conflict screen
  var status = document.getElementById("autosave-status");
  var waarschuwing = document.getElementById("offline-waarschuwing");
  var versie = form.querySelector("input[name=versie]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {};
  var unsaved = new Set();
  var chain = Promise.resolve();
  var velden = Array.prototype.slice.call(form.querySelectorAll("textarea[data-autosave]"));

  // A copy on this device of every text the server does not have yet, per user, aanvraag and
  // field, with the version the text was based on; removed once the server has it, and at logout.
  function sleutel(field) {
    return "regierol:concept:" + form.dataset.gebruiker + ":" + form.dataset.aanvraag + ":" +
      field.dataset.autosave;
  }
  function bewaarLokaal(field) {
    try {
      localStorage.setItem(sleutel(field), JSON.stringify({
        tekst: field.value,
        versie: conflict ? "geweigerd" : versie.value,
        tijd: new Date().toISOString(),
      }));
    } catch (e) { /* storage full or off: the server save still runs */ }
  }
  function leesLokaal(field) {
    try { return JSON.parse(localStorage.getItem(sleutel(field)) || "null"); } catch (e) { return null; }
  }
  function vergeetLokaal(field) {
    try { localStorage.removeItem(sleutel(field)); } catch (e) { /* nothing to remove */ }
  }

  function offline(aan) {
    if (!waarschuwing) { return; }
    waarschuwing.hidden = !aan;
  }

  function save(field) {
    var value = field.value;
    var body = new URLSearchParams();
    body.set("veld", field.dataset.autosave);
    body.set("waarde", value);
    body.set("versie", versie.value);
    status.textContent = form.dataset.msgSaving;
    return fetch(form.dataset.autosaveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      offline(false);
      if (result.ok && result.data.ok) {
        versie.value = result.data.versie;
        if (field.value === value) {
          unsaved.delete(field);
          vergeetLokaal(field);
        } else {
          bewaarLokaal(field);  // typed on meanwhile: the copy follows the new version
        }
        if (unsaved.size === 0) { dirtyForms.delete(form); }
        status.textContent = form.dataset.msgSaved + " " + result.data.tijd;
      } else {
        // Refused (too long, someone else saved): the local copy stays until the user decides.
        // After a conflict no further autosave: the save button shows the differences.
        if (result.data.conflict) { overtroffen = true; }
        status.textContent = result.data.message || form.dataset.msgFailed;
      }
    }).catch(function () {
      // No connection (or no answer): the text stays on this device and is sent again later.
      offline(true);
      status.textContent = form.dataset.msgFailed;
    });
  }

  function plan(field, wacht) {
    if (conflict || overtroffen) { return; }
    clearTimeout(pending[field.name]);
    pending[field.name] = setTimeout(function () {
      // One save at a time, so each one carries the version the previous one returned.
      inFlight += 1;
      chain = chain.then(function () { return save(field); }).then(function () { inFlight -= 1; });
    }, wacht);
  }

  function opnieuw() {
    if (wachtendeKeuze) {
      // The choice made on the conflict screen while offline, now sent.
      var knop = wachtendeKeuze;
      wachtendeKeuze = null;
      form.requestSubmit(knop);
      return;
    }
    unsaved.forEach(function (field) { plan(field, 0); });
  }
  window.addEventListener("online", opnieuw);
  setInterval(function () {
    if (waarschuwing && !waarschuwing.hidden && navigator.onLine) { opnieuw(); }
  }, 10000);

  var inFlight = 0;
  var submitting = false;
  form.addEventListener("submit", function (event) {
    var keuze = event.submitter && event.submitter.name === "keuze" ? event.submitter.value : "";
    if (!navigator.onLine) {
      // Leaving now would show the browser's error page and lose nothing but the user's trust:
      // stay, keep the text here, send it when the connection is back.
      event.preventDefault();
      velden.forEach(bewaarLokaal);
      velden.forEach(function (field) { unsaved.add(field); });
      if (conflict) { wachtendeKeuze = event.submitter || form.querySelector("[type=submit]"); }
      offline(true);
      waarschuwing.focus();
      return;
    }
    // "Hun versie overnemen": the user gives up their text, on this device too.
    velden.forEach(keuze === "hun" ? vergeetLokaal : bewaarLokaal);
    // A pending or running autosave first, so the button's save carries the newest version.
    Object.keys(pending).forEach(function (name) { clearTimeout(pending[name]); });
    if (inFlight > 0 && !submitting) {
      event.preventDefault();
      submitting = true;
      chain.then(function () { form.submit(); });
    }
  });

  velden.forEach(function (field) {
    field.addEventListener("input", function () {
      unsaved.add(field);
      dirtyForms.add(form);
      bewaarLokaal(field);
      plan(field, 1200);
    });
    if (conflict) {
      // The refused input is on the screen: kept here too until the user chooses.
      bewaarLokaal(field);
      return;
    }
    // A copy from before a reload or a lost connection that the server never got.
    var lokaal = leesLokaal(field);
    if (!lokaal) { return; }
    if (lokaal.tekst === field.value) {
      vergeetLokaal(field);
    } else if (lokaal.versie === versie.value) {
      field.value = lokaal.tekst;
      field.dispatchEvent(new Event("input"));
      document.getElementById("lokaal-hersteld").hidden = false;
    } else {
      // Someone saved this aanvraag since: never overwrite, show the user their own text.
      var ander = document.getElementById("lokaal-conflict");
      ander.hidden = false;
      var kopie = document.createElement("textarea");
      kopie.className = "form-control mt-2";
      kopie.readOnly = true;
      kopie.rows = 4;
      kopie.value = lokaal.tekst;
      var label = field.labels && field.labels[0] ? field.labels[0].textContent.trim() : field.name;
      kopie.setAttribute("aria-label", form.dataset.msgKopie + " " + label);
      kopie.dataset.veld = field.name;
      ander.querySelector("[data-kopieen]").appendChild(kopie);
    }
  });
  var vergeten = document.querySelector("[data-lokaal-vergeten]");
  if (vergeten) {
    vergeten.addEventListener("click", function () {
      velden.forEach(vergeetLokaal);
      document.getElementById("lokaal-conflict").hidden = true;
    });
  }
  // The text on this device against what is stored: the server's conflict screen, with the
  // differences and the same three choices as after a refused save.
  var vergelijken = document.querySelector("[data-lokaal-vergelijken]");
  if (vergelijken) {
    vergelijken.addEventListener("click", function () {
      // Offline the fields must keep what is stored: the autosave would send them on return.
      if (!navigator.onLine) { offline(true); waarschuwing.focus(); return; }
      document.querySelectorAll("#lokaal-conflict textarea[data-veld]").forEach(function (kopie) {
        form.querySelector("textarea[name='" + kopie.dataset.veld + "']").value = kopie.value;
      });
      var keuze = document.createElement("input");
      keuze.type = "hidden";
      keuze.name = "keuze";
      keuze.value = "vergelijken";
      form.appendChild(keuze);
      form.requestSubmit();
    });
  }
  if (!navigator.onLine) { offline(true); }
})();
