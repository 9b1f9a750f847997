// PNG and SVG of every chart, made in the browser by plotly.js (Plotly.downloadImage): nothing is sent
// anywhere. The image is the figure as the page received it, with its title on top and its source
// line (and date of the last import) underneath, so a shared image still says what it shows.
(function () {
  "use strict";
  var WIDTH = 1100;

  function figureFor(id) {
    var source = document.getElementById(id);
    var block = document.getElementById(id + "-block");
    if (!source || !block) { return null; }
    var fig = JSON.parse(source.textContent);
    var title = block.querySelector(".chart-title");
    var layout = Object.assign({}, fig.layout);
    var margin = Object.assign({}, layout.margin || {});
    if (title) {
      // The title at the very top, above the legend (which sits just above the plot).
      layout.title = { text: wrap(title.textContent.trim(), 110), x: 0.01, xanchor: "left", xref: "container",
                       y: 0.985, yanchor: "top", yref: "container", font: { size: 16 } };
      margin.t = (margin.t || 40) + 60;
    }
    layout.margin = margin;
    layout.height = (layout.height || 420) + 60;
    layout.width = WIDTH;
    return { data: fig.data, layout: layout, config: { staticPlot: true } };
  }

  function wrap(text, width) {
    var words = text.split(" "), lines = [], line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines.join("<br>");
  }

  function download(id, format) {
    var fig = figureFor(id);
    if (!fig || !window.Plotly) { return; }
    var block = document.getElementById(id + "-block");
    var plot = block && block.querySelector("[data-figure]");
    if (plot && plot.dataset.topojsonUrl) { fig.config.topojsonURL = plot.dataset.topojsonUrl; }
    window.Plotly.downloadImage(fig, {
      format: format, width: fig.layout.width, height: fig.layout.height, filename: "exportregion-" + id
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-image-format]");
    if (!button) { return; }
    var holder = button.closest("[data-image-downloads]");
    if (holder) { download(holder.dataset.imageDownloads, button.dataset.imageFormat); }
  });

  // The buttons show once plotly.js has drawn the chart (without JavaScript there is nothing to press).
  function reveal(root) {
    (root || document).querySelectorAll("[data-image-downloads]").forEach(function (el) {
      if (window.Plotly) { el.hidden = false; }
    });
  }
  document.addEventListener("chart:drawn", function (event) {
    var block = event.target.closest && event.target.closest("figure");
    reveal(block || document);
  });
  // Charts drawn before this script ran (charts.js runs first) have already announced themselves.
  reveal(document);
})();
