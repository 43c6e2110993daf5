// A counter under every text field with a maximum ("1.234 / 4.000 tekens"), as the server says
// it when it refuses a longer text: text areas and the longer one-line fields alike
// (data-max-tekens, set by core.teksten). No maxlength on the field: a browser would cut a pasted
// text without a word. Screen readers hear the count when typing pauses, and at once when the
// text goes over or back under the limit, not on every key; on focus the field's description
// (aria-describedby) gives the count.
(function () {
  "use strict";
  var getal = new Intl.NumberFormat("nl-BE");

  // Characters as the server counts them: an emoji is one (not two UTF-16 units), and a line
  // break one (the server turns the CR LF a browser sends into LF).
  function aantal(waarde) {
    var paren = waarde.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
    return waarde.length - (paren ? paren.length : 0);
  }

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
    // Filled before it is on the page, so it is the field's description without being announced.
    zichtbaar.textContent = tekst(aantal(veld.value), max);
    gemeld.textContent = zichtbaar.textContent;
    veld.insertAdjacentElement("afterend", uit);
    var beschreven = (veld.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    beschreven.push(uit.id);
    veld.setAttribute("aria-describedby", beschreven.join(" "));

    var wachten = null;
    var wasTeLang = aantal(veld.value) > max;
    var rodeRandVanTeller = false;
    function bij() {
      var lengte = aantal(veld.value);
      var teLang = lengte > max;
      zichtbaar.textContent = tekst(lengte, max);
      uit.classList.toggle("tekstteller-te-lang", teLang);
      // Red while too long; the red of a server error stays until the next save.
      if (teLang && !veld.classList.contains("is-invalid")) {
        veld.classList.add("is-invalid");
        rodeRandVanTeller = true;
      } else if (!teLang && rodeRandVanTeller) {
        veld.classList.remove("is-invalid");
        rodeRandVanTeller = false;
      }
      clearTimeout(wachten);
      if (teLang !== wasTeLang) {
        gemeld.textContent = tekst(lengte, max);
      } else {
        wachten = setTimeout(function () { gemeld.textContent = tekst(lengte, max); }, 1500);
      }
      wasTeLang = teLang;
    }
    veld.addEventListener("input", bij);
    uit.classList.toggle("tekstteller-te-lang", wasTeLang);
  }

  document.querySelectorAll("textarea[data-max-tekens], input[data-max-tekens]").forEach(teller);
})();
