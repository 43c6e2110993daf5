// The aanvraag pages: warn before leaving with unsaved changes, save long texts while typing,
// and ask before deleting. No inline scripts: the pages carry their texts in data- attributes.
(function () {
  "use strict";

  var dirtyForms = new Set();

  document.querySelectorAll("form[data-guard]").forEach(function (form) {
    form.addEventListener("input", function () { dirtyForms.add(form); });
    form.addEventListener("change", function () { dirtyForms.add(form); });
    form.addEventListener("submit", function () { dirtyForms.delete(form); });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var versie = form.querySelector("input[name=versie]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {};
  var unsaved = new Set();
  var chain = Promise.resolve();

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
      if (result.ok && result.data.ok) {
        versie.value = result.data.versie;
        if (field.value === value) { unsaved.delete(field); }
        if (unsaved.size === 0) { dirtyForms.delete(form); }
        status.textContent = form.dataset.msgSaved + " " + result.data.tijd;
      } else {
        status.textContent = result.data.message || form.dataset.msgFailed;
      }
    }).catch(function () {
      status.textContent = form.dataset.msgFailed;
    });
  }

  var inFlight = 0;
  var submitting = false;
  form.addEventListener("submit", function (event) {
    // A pending or running autosave first, so the button's save carries the newest version.
    Object.keys(pending).forEach(function (name) { clearTimeout(pending[name]); });
    if (inFlight > 0 && !submitting) {
      event.preventDefault();
      submitting = true;
      chain.then(function () { form.submit(); });
    }
  });

  form.querySelectorAll("textarea[data-autosave]").forEach(function (field) {
    field.addEventListener("input", function () {
      unsaved.add(field);
      clearTimeout(pending[field.name]);
      pending[field.name] = setTimeout(function () {
        // One save at a time, so each one carries the version the previous one returned.
        inFlight += 1;
        chain = chain.then(function () { return save(field); }).then(function () { inFlight -= 1; });
      }, 1200);
    });
  });
})();
