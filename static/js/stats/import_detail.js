// Live progress of an import batch: polls its status and reloads the page when the status changes.
(function () {
  "use strict";
  var box = document.getElementById("batch-status");
  if (!box || box.dataset.finished === "1") { return; }
  var bar = document.getElementById("batch-progress");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (bar) { bar.value = s.progress; }
        if (s.status !== box.dataset.status) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();
