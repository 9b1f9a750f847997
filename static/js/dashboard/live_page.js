// The region page's and the regions table's controls apply at once: a change fetches the page at its new
// address, swaps in the parts marked data-live-part (same ids) and puts the address in the history, so the
// link can be shared and Back works. Without this script the form is a plain GET form with a button.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-page]");
  if (!form || !window.fetch || !window.DOMParser || !window.history || !window.URLSearchParams) { return; }
  var pending = null;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.after(status);
  form.querySelectorAll("[data-no-js]").forEach(function (button) { button.hidden = true; });

  function address() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") { params.set(key, value); } });
    return form.action + "?" + params.toString().replace(/%2C/g, ",");
  }

  function syncForm(url) {
    new URL(url, window.location.href).searchParams.forEach(function (value, key) {
      var field = form.elements.namedItem(key);
      if (field && field.tagName === "SELECT") { field.value = value; }
    });
  }

  function update(url, push) {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var parts = document.querySelectorAll("[data-live-part]");
    parts.forEach(function (part) { part.setAttribute("aria-busy", "true"); });
    return fetch(url, { credentials: "same-origin", signal: pending.signal })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (push) { window.history.pushState({ live: true }, "", url); }
        document.title = fresh.title;
        parts.forEach(function (part) {
          var next = fresh.getElementById(part.id);
          if (!next) { part.removeAttribute("aria-busy"); return; }
          if (window.exportregionCharts) { window.exportregionCharts.purgeAll(part); }
          var adopted = document.importNode(next, true);
          part.replaceWith(adopted);
          if (window.exportregionCharts) { window.exportregionCharts.drawAll(adopted); }
        });
        var heading = document.querySelector("[data-live-part] h2, [data-live-part] caption");
        status.textContent = heading ? heading.textContent : "";
      })
      .catch(function (error) { if (error.name !== "AbortError") { window.location.href = url; } });
  }

  form.addEventListener("change", function () { update(address(), true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(address(), true); });
  window.addEventListener("popstate", function () { syncForm(window.location.href); update(window.location.href, false); });
})();
