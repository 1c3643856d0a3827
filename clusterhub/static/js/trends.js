// Draws the trend radar (topic size against growth) and a topic's documents per period from
// the page's json_script data. Every chart has its table in the page.
(function () {
  "use strict";

  var FONT = { family: "system-ui, Segoe UI, Roboto, sans-serif", size: 12, color: "#2c3646" };
  var GRID = "#e6eaf0";
  var COLORS = { emerging: "#1d8a4a", stable: "#6b7687", declining: "#c0562b" };
  var ORDER = ["emerging", "stable", "declining"];
  var narrow = window.matchMedia("(max-width: 640px)").matches;

  function data(element) {
    var source = document.getElementById(element.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function layout(extra) {
    var base = {
      margin: { l: 56, r: 16, t: 8, b: 48 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: FONT,
      hoverlabel: { font: FONT, bgcolor: "#fff", bordercolor: "#dfe4ec" },
      legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top" },
    };
    Object.keys(extra).forEach(function (key) {
      base[key] = extra[key];
    });
    return base;
  }

  function radar(element) {
    var spec = data(element);
    if (!spec || !spec.points.length) return;
    var traces = ORDER.map(function (status) {
      var points = spec.points.filter(function (p) {
        return p.status === status;
      });
      return {
        type: "scatter",
        mode: narrow ? "markers" : "markers+text",
        name: points.length ? points[0].status_label : status,
        x: points.map(function (p) { return p.growth; }),
        y: points.map(function (p) { return p.size; }),
        text: points.map(function (p) { return p.label; }),
        customdata: points.map(function (p) { return p.id; }),
        textposition: "top center",
        textfont: { size: 11 },
        marker: {
          color: COLORS[status],
          size: points.map(function (p) { return p.marker; }),
          opacity: 0.75,
          line: { color: "#fff", width: 1 },
        },
        hovertemplate: "%{text}<br>%{y} · %{x:+.0f}%<extra></extra>",
      };
    }).filter(function (trace) {
      return trace.x.length;
    });
    // Room on both sides for the labels of the outermost topics.
    var xs = spec.points.map(function (p) { return p.growth; }).concat([0]);
    var low = Math.min.apply(null, xs);
    var high = Math.max.apply(null, xs);
    var pad = Math.max(5, (high - low) * 0.18);
    window.Plotly.newPlot(
      element,
      traces,
      layout({
        height: narrow ? 360 : 460,
        xaxis: {
          title: { text: spec.x_title },
          gridcolor: GRID,
          zeroline: true,
          zerolinecolor: "#9aa3b2",
          ticksuffix: "%",
          range: [low - pad, high + pad],
        },
        yaxis: { title: { text: spec.y_title }, gridcolor: GRID, rangemode: "tozero" },
      }),
      { displayModeBar: false, responsive: true }
    );
    var url = element.dataset.topicUrl;
    element.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && url) window.location.href = url.replace("/0/", "/" + point.customdata + "/");
    });
  }

  function series(element) {
    var spec = data(element);
    if (!spec || !spec.x.length) return;
    window.Plotly.newPlot(
      element,
      [{ type: "bar", x: spec.x, y: spec.y, name: spec.name, marker: { color: "#1b5e9e" }, hovertemplate: "%{x}: %{y}<extra></extra>" }],
      layout({
        height: narrow ? 240 : 280,
        showlegend: false,
        xaxis: { type: "category", automargin: true },
        yaxis: { title: { text: spec.y_title }, gridcolor: GRID, rangemode: "tozero" },
      }),
      { displayModeBar: false, responsive: true }
    );
  }

  function init() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-trend-radar]").forEach(radar);
    document.querySelectorAll("[data-trend-series]").forEach(series);
  }

  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
