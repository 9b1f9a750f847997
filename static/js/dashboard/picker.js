// The compare page's region picker, enhanced: a search box that narrows the 22 checkboxes as one types
// ("norr" finds Norrbotten and Västernorrland, names starting with the text first) and chooses the first
// match with Enter. Without this script the
// checkboxes and the "Show" button do the same job.
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  if (!form) { return; }

  var box = form.querySelector(".region-search");
  var input = document.getElementById("region-search");
  if (!box || !input) { return; }
  box.hidden = false;
  var labels = Array.prototype.slice.call(form.querySelectorAll(".checks label.check"));

  // "vast" finds Västra Götaland, "orebro" Örebro: compare without case and accents.
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  function matches() {
    var wanted = fold(input.value);
    var found = labels.filter(function (label) { return fold(label.textContent).indexOf(wanted) >= 0; });
    return found.sort(function (a, b) {
      return (fold(a.textContent).indexOf(wanted) === 0 ? 0 : 1) - (fold(b.textContent).indexOf(wanted) === 0 ? 0 : 1);
    });
  }

  function filter() {
    var shown = matches();
    labels.forEach(function (label) { label.hidden = shown.indexOf(label) < 0; });
    var checks = form.querySelector(".checks");
    shown.forEach(function (label) { checks.appendChild(label); });  // the best match first
    if (!input.value) { labels.forEach(function (label) { checks.appendChild(label); }); }
  }

  input.addEventListener("input", filter);
  // The search box is not a parameter: typing must not re-render the chart.
  input.addEventListener("change", function (event) { event.stopPropagation(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; filter(); return; }
    if (event.key !== "Enter") { return; }
    event.preventDefault();
    var first = matches()[0];
    if (!first || !input.value) { return; }
    var check = first.querySelector("input");
    if (!check.checked) {
      check.checked = true;
      check.dispatchEvent(new Event("change", { bubbles: true }));
    }
    input.value = "";
    filter();
  });
})();
