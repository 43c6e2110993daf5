// A counter under every text field with a maximum ("1.234 / 4.000 tekens"), as the server says
// it when it refuses a longer text. No maxlength on the field: a browser would cut a pasted text
// without a word. Screen readers hear the count when typing pauses, and at once when the text
// goes over the limit, not on every key.
(function () {
  "use strict";
  var getal = new Intl.NumberFormat("nl-BE");

  function tekst(lengte, max) {
    var basis = getal.format(lengte) + " / " + getal.format(max) + " tekens";
    if (lengte > max) {
      var teVeel = lengte - max;
      return basis + ": " + getal.format(teVeel) + (teVeel === 1 ? " teken" : " tekens") + " te veel";
    }
    return basis;
  }

  function teller(veld) {
    var max = parseInt(veld.getAttribute("data-max-tekens"), 10);
    if (!max || !veld.id) { return; }
    var uit = document.createElement("div");
    uit.id = veld.id + "_teller";
    uit.className = "form-text tekstteller";
    var zichtbaar = document.createElement("span");
    zichtbaar.setAttribute("aria-hidden", "true");
    var gemeld = document.createElement("span");
    gemeld.className = "visually-hidden";
    gemeld.setAttribute("aria-live", "polite");
    uit.appendChild(zichtbaar);
    uit.appendChild(gemeld);
    veld.insertAdjacentElement("afterend", uit);
    var beschreven = (veld.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    beschreven.push(uit.id);
    veld.setAttribute("aria-describedby", beschreven.join(" "));

    var wachten = null;
    var wasTeLang = false;
    function bij() {
      var lengte = veld.value.length;
      var teLang = lengte > max;
      zichtbaar.textContent = tekst(lengte, max);
      uit.classList.toggle("tekstteller-te-lang", teLang);
      if (teLang) { veld.classList.add("is-invalid"); }
      clearTimeout(wachten);
      if (teLang !== wasTeLang) {
        gemeld.textContent = tekst(lengte, max);
      } else {
        wachten = setTimeout(function () { gemeld.textContent = tekst(lengte, max); }, 1500);
      }
      wasTeLang = teLang;
    }
    veld.addEventListener("input", bij);
    zichtbaar.textContent = tekst(veld.value.length, max);
    wasTeLang = veld.value.length > max;
    uit.classList.toggle("tekstteller-te-lang", wasTeLang);
  }

  document.querySelectorAll("textarea[data-max-tekens]").forEach(teller);
})();
