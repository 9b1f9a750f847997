// Line charts with many lines: each line is named at its end in its own colour (instead of a legend to
// match colours against), the names pushed apart so that none overlaps another, and the line under the
// pointer is highlighted while the others fade.
(function () {
  "use strict";
  var MANY = 3;       // lines from which the ends are labelled
  var HIGHLIGHT = 5;  // lines from which hovering picks out one line
  var GAP = 15;       // px between two labels (less, down to 11, when many must fit the plot's height)
  var LABEL = "end-label";

  function lineTraces(el) {
    return el.data.map(function (t, i) { return { trace: t, index: i }; }).filter(function (d) {
      return d.trace.type === "scatter" && String(d.trace.mode || "lines").indexOf("lines") >= 0
        && d.trace.showlegend !== false && d.trace.yaxis !== "y2";
    });
  }

  function lastPoint(trace) {
    for (var i = trace.y.length - 1; i >= 0; i--) {
      if (trace.y[i] !== null && trace.y[i] !== undefined) { return { x: trace.x[i], y: trace.y[i] }; }
    }
    return null;
  }

  // Top-down, then bottom-up, so the labels keep their order and stay within the plot.
  function spread(items, height) {
    var gap = Math.max(11, Math.min(GAP, height / Math.max(items.length, 1)));
    items.sort(function (a, b) { return a.px - b.px; });
    items.forEach(function (item, i) { item.at = i ? Math.max(item.px, items[i - 1].at + gap) : Math.max(item.px, 0); });
    for (var i = items.length - 1; i >= 0; i--) {
      var limit = i === items.length - 1 ? height : items[i + 1].at - gap;
      items[i].at = Math.min(items[i].at, limit);
    }
  }

  function label(el, lines) {
    var ya = el._fullLayout.yaxis;
    var narrow = el.clientWidth < 560;
    var items = [];
    lines.forEach(function (d) {
      var end = lastPoint(d.trace);
      if (!end) { return; }
      var name = String(d.trace.name || "");
      if (narrow && name.length > 11) { name = name.slice(0, 10) + "…"; }
      items.push({ end: end, name: name, colour: (d.trace.line || {}).color || "#1a1a1a", px: ya.c2p(end.y) });
    });
    spread(items, ya._length);
    var longest = items.reduce(function (n, item) { return Math.max(n, item.name.length); }, 0);
    var kept = (el.layout.annotations || []).filter(function (a) { return a.name !== LABEL; });
    var ends = items.map(function (item) {
      return { name: LABEL, x: item.end.x, y: item.end.y, xref: "x", yref: "y", xanchor: "left", yanchor: "middle",
               xshift: 8, yshift: item.px - item.at, text: item.name, showarrow: false,
               font: { size: items.length > 14 ? 11 : 12, color: item.colour } };
    });
    return Plotly.relayout(el, {
      annotations: kept.concat(ends), showlegend: false,
      "margin.r": Math.min(narrow ? 95 : 180, 16 + longest * 7.2)
    });
  }

  function highlight(el, lines) {
    var all = el.data.map(function (_, i) { return i; });
    el.on("plotly_hover", function (event) {
      var chosen = event.points[0].curveNumber;
      Plotly.restyle(el, { opacity: all.map(function (i) { return i === chosen ? 1 : 0.2; }) }, all);
      el.dataset.highlighted = el.data[chosen].name;
    });
    el.on("plotly_unhover", function () {
      Plotly.restyle(el, { opacity: 1 }, all);
      delete el.dataset.highlighted;
    });
    if (lines.length >= HIGHLIGHT) { Plotly.relayout(el, { hovermode: "closest" }); }
  }

  function enhance(el) {
    if (!window.Plotly || !el.classList || !el.classList.contains("plot-lines") || !el.data) { return; }
    var lines = lineTraces(el);
    if (lines.length < MANY) { return; }
    label(el, lines).then(function () {
      if (lines.length >= HIGHLIGHT) { highlight(el, lines); }
      el.dataset.labelled = String(lines.length);
    });
  }

  document.addEventListener("chart:drawn", function (event) { enhance(event.target); });
  // Charts drawn before this script ran.
  document.querySelectorAll(".plot-lines[data-drawn='1']").forEach(enhance);
})();
