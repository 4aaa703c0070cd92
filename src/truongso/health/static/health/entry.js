/* Checkup entry: flag a height or weight as it is typed when it is out of range for the
   learner's age (warning beyond ±3 SD, error beyond the WHO's implausible limits). The
   bounds come from the server on each row (data-* attributes); the server checks again. */
(function () {
  "use strict";
  function num(value) {
    var text = String(value || "").trim().replace(",", ".");
    if (!text) { return null; }
    var n = Number(text);
    return isFinite(n) ? n : NaN;
  }
  function mark(input, level, text) {
    input.classList.remove("hl-warn", "hl-bad");
    var msg = input.parentNode.querySelector(".hl-live");
    if (!msg) {
      msg = document.createElement("span");
      msg.className = "hl-msg hl-live";
      msg.setAttribute("aria-live", "polite");
      input.parentNode.appendChild(msg);
    }
    msg.textContent = text || "";
    msg.classList.toggle("warn", level === "warn");
    if (level) { input.classList.add(level === "bad" ? "hl-bad" : "hl-warn"); }
  }
  function check(row) {
    var sheet = row.closest("table");
    var h = row.querySelector("input[data-col=height]");
    var w = row.querySelector("input[data-col=weight]");
    if (!h || !w) { return; }
    var d = row.dataset;
    var hv = num(h.value), wv = num(w.value);
    var msgs = sheet.dataset;
    if (hv !== null && (isNaN(hv) || hv < 40 || hv > 220)) {
      mark(h, "bad", msgs.msgHeightRange);
    } else if (hv !== null && d.hBadLo && (hv < +d.hBadLo || hv > +d.hBadHi)) {
      mark(h, "bad", msgs.msgImplausible);
    } else if (hv !== null && d.hWarnLo && (hv < +d.hWarnLo || hv > +d.hWarnHi)) {
      mark(h, "warn", msgs.msgCheck);
    } else { mark(h, null, ""); }
    if (wv !== null && (isNaN(wv) || wv < 2 || wv > 200)) {
      mark(w, "bad", msgs.msgWeightRange);
      return;
    }
    if (wv === null || hv === null || isNaN(hv) || hv < 40) { mark(w, null, ""); return; }
    var bmi = wv / Math.pow(hv / 100, 2);
    if (d.bBadLo && (bmi < +d.bBadLo || bmi > +d.bBadHi)) {
      mark(w, "bad", msgs.msgImplausible + " (BMI " + bmi.toFixed(1) + ")");
    } else if (d.bWarnLo && (bmi < +d.bWarnLo || bmi > +d.bWarnHi)) {
      mark(w, "warn", msgs.msgCheck + " (BMI " + bmi.toFixed(1) + ")");
    } else { mark(w, null, "BMI " + bmi.toFixed(1)); }
  }
  document.addEventListener("input", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-learner]");
    if (row) { check(row); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("hl-show-extra");
    var sheet = document.querySelector(".hl-sheet");
    if (toggle && sheet) {
      toggle.addEventListener("change", function () {
        sheet.classList.toggle("show-extra", toggle.checked);
      });
    }
    document.querySelectorAll("tr[data-learner]").forEach(function (row) {
      var h = row.querySelector("input[data-col=height]");
      if (h && h.value) { check(row); }
    });
  });
})();
