// An embedded chart tells the page that frames it how tall it is, whenever that changes (the chart is
// drawn, the window is resized, the data table is opened), so that the embedding snippet we hand out can
// size its iframe: no inner scroll bar, no empty band.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "exportregion:height", height: height, href: window.location.href }, "*");
  }
  if (window.ResizeObserver) { new ResizeObserver(post).observe(document.body); }
  document.addEventListener("chart:drawn", post);
  document.addEventListener("toggle", post, true);
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  post();
})();
