// Progressive enhancement of the compare and map forms (they work as plain GET forms without it):
// a change re-renders the results in place, and the address bar always holds the whole state, so
// the link can be shared. Focus stays where the user is; a status line tells screen readers.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live]");
  if (!form || !window.fetch || !window.history || !window.URLSearchParams) { return; }
  var results = document.getElementById(form.dataset.live);
  var status = document.getElementById(form.dataset.status);
  var pending = null;

  // The regions keep the order in which they were chosen (new ones last), so that every line keeps its
  // colour when another region is added.
  function orderedRegions(chosen) {
    var order = (form.dataset.regions || "").split(",").filter(Boolean);
    return order.filter(function (code) { return chosen.indexOf(code) >= 0; })
      .concat(chosen.filter(function (code) { return order.indexOf(code) < 0; }));
  }

  function query() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    if (form.querySelector("[name=regions]")) {
      var regions = orderedRegions(data.getAll("regions"));
      form.dataset.regions = regions.join(",");
      params.set("regions", form.dataset.regions);
    }
    data.forEach(function (value, key) {
      if (key === "regions" || (key === "sector" && value === "")) { return; }
      params.set(key, value);
    });
    return params.toString().replace(/%2C/g, ",");
  }

  function say(text) { if (status) { status.textContent = text; } }

  function syncForm(url) {
    var params = new URL(url, window.location.href).searchParams;
    params.forEach(function (value, key) {
      if (key === "regions") {
        var chosen = value.split(",");
        form.dataset.regions = value;
        form.querySelectorAll("[name=regions]").forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
        return;
      }
      form.querySelectorAll("[name='" + key + "']").forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") { field.checked = field.value === value; }
        else if (field.tagName === "SELECT" || field.type !== "hidden") { field.value = value; }
      });
    });
  }

  function update(url, push, focusStep) {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    results.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "X-Fragment": "results" }, credentials: "same-origin", signal: pending.signal })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        window.exportregionCharts.purgeAll(results);
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        if (push) { window.history.pushState({ live: true }, "", url); }
        window.exportregionCharts.drawAll(results);
        var title = results.querySelector(".chart-title, .bad-request h2");
        say(title ? title.textContent : "");
        if (focusStep) {
          var next = results.querySelector("[data-step='" + focusStep + "']") || results.querySelector("[data-step]");
          if (next) { next.focus(); }
        }
      })
      .catch(function (error) { if (error.name !== "AbortError") { window.location.href = url; } });
  }

  function submit() {
    if (form.querySelector("[name=regions]") && !form.querySelector("[name=regions]:checked")) {
      say(form.dataset.needRegion || "");
      return;
    }
    update(form.action + "?" + query(), true);
  }

  // "All counties" / "Clear" for the region checkboxes: useful only with this script, hidden without it.
  form.querySelectorAll(".check-all").forEach(function (box) { box.hidden = false; });
  // On a phone the chart comes first and the controls wait, collapsed, under it.
  if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
    form.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) { details.open = false; });
  }
  // Every control applies at once, so the form's own "Show" button is only for browsers without this script.
  form.querySelectorAll("[data-no-js]").forEach(function (button) { button.hidden = true; });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-check]");
    if (!button) { return; }
    form.querySelectorAll("[name=regions]").forEach(function (box) {
      box.checked = button.dataset.check === "counties" && box.value !== "00";
    });
    submit();
  });

  form.addEventListener("change", submit);
  form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  results.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-live-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    syncForm(link.href);
    update(link.href, true, link.dataset.step);
  });
  window.addEventListener("popstate", function () {
    syncForm(window.location.href);
    update(window.location.href, false);
  });
})();
