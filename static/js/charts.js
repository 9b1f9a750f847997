// Draws every chart on the page from its figure JSON (a <script type="application/json"> block):
// no inline script anywhere (CSP script-src 'self'). A map's plot element names our own topojson
// directory, so plotly.js never fetches its world map from a CDN.
(function () {
  "use strict";
  var NARROW = 560;  // px: below this a chart drops its in-figure source line
  var PHONE = 420;  // px: a chart as wide as a phone
  var SHRINK_AT = 20, WRAP_AT = 34;  // characters of an axis title: a smaller font, then two lines on a phone
  // The tool tips of the chart's buttons in Swedish (plotly.js ships no Swedish locale).
  var SWEDISH = {
    moduleType: "locale", name: "sv",
    dictionary: {
      "Download plot as a PNG": "Ladda ner diagrammet som PNG",
      "Download plot": "Ladda ner diagrammet",
      "Image download succeeded": "Bilden är nedladdad",
      "Preparing image - this may take a few seconds": "Bilden förbereds – det kan ta några sekunder",
      "Sorry, there was a problem downloading your image!": "Bilden kunde inte laddas ner.",
      "Reset axes": "Återställ axlarna", "Reset view": "Återställ vyn", "Reset views": "Återställ vyerna",
      "Reset": "Återställ", "Zoom in": "Zooma in", "Zoom out": "Zooma ut", "Zoom": "Zooma",
      "Autoscale": "Skala automatiskt",
      "Show closest data on hover": "Visa närmaste värde vid hovring",
      "Compare data on hover": "Jämför värden vid hovring",
      "Toggle show closest data on hover": "Visa eller dölj närmaste värde vid hovring",
      "Toggle Spike Lines": "Visa eller dölj hjälplinjer"
    }
  };
  var registered = false;
  function draw(el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source || !window.Plotly) { return; }
    if (!registered) { window.Plotly.register(SWEDISH); registered = true; }
    var fig = JSON.parse(source.textContent);
    var config = Object.assign({
      responsive: true,
      displaylogo: false,
      // Nothing leaves our host: no "send to Chart Studio / share" button posting the figure away.
      showSendToCloud: false,
      showEditInChartStudio: false,
      plotlyServerURL: "",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d",
                               "sendChartToCloud"],
      toImageButtonOptions: { filename: "exportregion-" + el.dataset.figure },
      locale: (document.documentElement.lang || "sv").slice(0, 2) === "sv" ? "sv" : "en"
    }, fig.config || {});
    if (el.dataset.topojsonUrl) { config.topojsonURL = el.dataset.topojsonUrl; }
    if ((el.clientWidth < NARROW || el.dataset.captionSource === "below") && fig.layout.annotations) {
      // The source line is printed once, under the chart (the figure keeps it for exported images).
      fig.layout.annotations = fig.layout.annotations.filter(function (a) { return a.name !== "source-note"; });
      fig.layout.margin = Object.assign({}, fig.layout.margin, { b: 40 });
    }
    if (el.clientWidth < NARROW) {
      // Long axis titles would run off a phone's screen: a size smaller, and on two lines if still too long.
      ["xaxis", "yaxis"].forEach(function (name) {
        var axis = fig.layout[name];
        var title = axis && axis.title && axis.title.text;
        if (title && title.length > SHRINK_AT) {
          axis.title = Object.assign({}, axis.title, { font: { size: 12 } });
          var cut = title.lastIndexOf(" ", WRAP_AT);
          if (title.length > WRAP_AT && cut > 0 && title.indexOf("<br>") < 0) {
            axis.title.text = title.slice(0, cut) + "<br>" + title.slice(cut + 1);
            axis.title.standoff = 10;
            axis.automargin = true;
          }
        }
      });
    }
    var years = fig.layout.xaxis && fig.layout.xaxis.tickformat === "d" && fig.layout.xaxis.visible !== false;
    if (years) {
      // The years a little below the axis, so that the lowest value label beside them never touches them, and
      // on a phone a size smaller, so that neighbouring years never run together.
      fig.layout.xaxis.ticklabelstandoff = 6;
      if (el.clientWidth < PHONE) { fig.layout.xaxis.tickfont = Object.assign({ size: 11 }, fig.layout.xaxis.tickfont); }
    }
    var bars = fig.data.length && fig.data[0].type === "bar" && fig.data[0].orientation === "h";
    if (el.clientWidth < NARROW && bars && fig.layout.xaxis && fig.layout.xaxis.range) {
      // Room for the value written beside the longest bar, which is wide against a phone's narrow plot.
      var range = fig.layout.xaxis.range;
      fig.layout.xaxis.range = [range[0], range[1] + (range[1] - range[0]) * 0.25];
    }
    if (el.clientWidth < NARROW && fig.data.length && fig.data[0].type === "choropleth" && fig.layout.geo) {
      // A phone: the colour scale goes under the map, so that the map takes the whole width.
      fig.data[0].colorbar = Object.assign({}, fig.data[0].colorbar, { orientation: "h", x: 0.5, xanchor: "center",
        y: 0, yanchor: "top", len: 0.9, thickness: 12, title: { text: (fig.data[0].colorbar || {}).title
          ? fig.data[0].colorbar.title.text : "", side: "top" } });
      fig.layout.geo.domain = { x: [0, 1], y: [0.14, 1] };
      fig.layout.margin = Object.assign({}, fig.layout.margin, { b: 10 });
    }
    // The space kept for the chart before it is drawn (CSS) becomes the chart's own height: no gap under it.
    if (fig.layout.height) { el.style.minHeight = fig.layout.height + "px"; }
    window.Plotly.newPlot(el, fig.data, fig.layout, config).then(function () {
      el.dataset.drawn = "1";
      el.dispatchEvent(new CustomEvent("chart:drawn", { bubbles: true }));
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-figure]").forEach(draw);
  }

  function purgeAll(root) {
    if (!window.Plotly) { return; }
    (root || document).querySelectorAll("[data-figure]").forEach(function (el) { window.Plotly.purge(el); });
  }

  window.exportregionCharts = { draw: draw, drawAll: drawAll, purgeAll: purgeAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  } else {
    drawAll();
  }
})();
