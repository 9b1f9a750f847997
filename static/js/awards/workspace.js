// Award pages: ask before the steps that cannot be undone (closing the round, publishing).
// A file, not inline handlers: the site's CSP allows only same-origin scripts.
(function () {
  "use strict";
  document.querySelectorAll("form.confirm[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
