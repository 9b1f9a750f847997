// The map's timeline: a year slider (the arrow keys, Home and End step through the years, as on any
// slider) with play and pause, and on a narrow screen the map and its ranked table as two tabs. The
// year select of the form stays the one state: the slider sets it and lets controls.js re-render.
(function () {
  "use strict";
  var form = document.getElementById("map-form");
  var box = document.querySelector("[data-timeline]");
  var select = document.getElementById("m-year");
  if (!form || !box || !select) { return; }
  var slider = document.getElementById("m-timeline");
  var shown = box.querySelector("output");
  var play = box.querySelector("[data-play]");
  var years = Array.prototype.map.call(select.options, function (o) { return Number(o.value || o.text); });
  var timer = null;
  box.hidden = false;

  function show(year) {
    slider.value = year;
    slider.setAttribute("aria-valuetext", String(year));
    shown.textContent = year;
  }

  function go(year) {
    show(year);
    if (select.value === String(year)) { return; }
    select.value = String(year);
    form.dispatchEvent(new Event("change"));
  }

  function stop() {
    if (timer) { window.clearInterval(timer); timer = null; }
    play.setAttribute("aria-pressed", "false");
    play.querySelector("[data-play-label]").textContent = play.dataset.playText;
    play.querySelector("[data-play-icon]").textContent = "▶";
  }

  function start() {
    if (Number(slider.value) >= years[years.length - 1]) { go(years[0]); }
    play.setAttribute("aria-pressed", "true");
    play.querySelector("[data-play-label]").textContent = play.dataset.pauseText;
    play.querySelector("[data-play-icon]").textContent = "❚❚";
    timer = window.setInterval(function () {
      var next = years.filter(function (y) { return y > Number(slider.value); })[0];
      if (next === undefined) { stop(); return; }
      go(next);
    }, 1500);
  }

  slider.addEventListener("input", function () { show(slider.value); });
  slider.addEventListener("change", function (event) { event.stopPropagation(); go(Number(slider.value)); });
  play.addEventListener("click", function () { if (timer) { stop(); } else { start(); } });
  // The stepper links and the year select move the slider too (and a step by hand pauses the play).
  select.addEventListener("change", function () { show(select.value); });
  document.addEventListener("chart:drawn", function () { show(select.value); tabs(); });

  var current = "map-panel";
  function tabs() {
    var list = document.querySelector(".map-tabs");
    if (!list) { return; }
    list.hidden = false;
    list.querySelectorAll("[role=tab]").forEach(function (tab) {
      var on = tab.getAttribute("aria-controls") === current;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).classList.toggle("tab-hidden", !on);
    });
  }
  document.addEventListener("click", function (event) {
    var tab = event.target.closest(".map-tabs [role=tab]");
    if (!tab) { return; }
    current = tab.getAttribute("aria-controls");
    tabs();
    if (current === "map-panel" && window.exportregionCharts) {
      document.querySelectorAll("#map-panel [data-figure]").forEach(function (el) { window.Plotly.Plots.resize(el); });
    }
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest(".map-tabs [role=tab]");
    if (!tab || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) { return; }
    var other = tab.parentNode.querySelector("[role=tab]:not([aria-controls='" + tab.getAttribute("aria-controls") + "'])");
    other.click();
    other.focus();
  });
  tabs();
})();
