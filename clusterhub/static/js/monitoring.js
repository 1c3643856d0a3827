// Draws the monitoring charts and the collaboration graph from the page's json_script data.
// Every chart has its table in the page: without JavaScript nothing is lost but the pictures.
(function () {
  "use strict";

  var FONT = { family: "system-ui, Segoe UI, Roboto, sans-serif", size: 12, color: "#2c3646" };
  var GRID = "#e6eaf0";
  var narrow = window.matchMedia("(max-width: 640px)").matches;

  function hover(format, axis) {
    var value = "%{" + axis + "}";
    if (format === "money") value = "€ %{" + axis + ":,.0f}";
    else if (format === "percent") value = "%{" + axis + ":.1f}%";
    return "%{fullData.name}: " + value + "<extra></extra>";
  }

  function layout(extra) {
    var base = {
      margin: { l: 10, r: 12, t: 8, b: 8 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: FONT,
      showlegend: true,
      legend: { orientation: "h", x: 0, y: -0.18, yanchor: "top", font: { size: 11 } },
      hoverlabel: { font: FONT, bgcolor: "#fff", bordercolor: "#dfe4ec" },
    };
    Object.keys(extra).forEach(function (key) {
      base[key] = extra[key];
    });
    return base;
  }

  function valueAxis(format) {
    var axis = { gridcolor: GRID, zeroline: false, rangemode: "tozero", automargin: true };
    if (format === "money") axis.tickprefix = "€ ";
    if (format === "money") axis.tickformat = "~s";
    else if (format === "percent") {
      axis.ticksuffix = "%";
      axis.range = [0, 100];
    } else axis.tickformat = "d";
    return axis;
  }

  function seriesChart(spec) {
    var x = spec.x.map(String);
    var traces = spec.series.map(function (series) {
      var trace = {
        name: series.name,
        x: x,
        y: series.values,
        marker: { color: series.color },
        hovertemplate: hover(spec.format, "y"),
      };
      if (spec.type === "line") {
        trace.type = "scatter";
        trace.mode = "lines+markers";
        trace.line = { color: series.color, width: 2.5 };
        trace.marker.size = 7;
      } else {
        trace.type = "bar";
      }
      return trace;
    });
    return {
      traces: traces,
      layout: layout({
        height: narrow ? 260 : 290,
        barmode: "group",
        bargap: 0.25,
        xaxis: { type: "category", automargin: true },
        yaxis: valueAxis(spec.format),
        showlegend: spec.legend === true,
      }),
    };
  }

  // Horizontal bars, one row per category of spec.y: stacked ("hstack") or side by side ("hbar").
  function horizontalChart(spec) {
    var y = spec.y.slice().reverse();
    var traces = spec.series.map(function (series) {
      return {
        type: "bar",
        orientation: "h",
        name: series.name,
        y: y,
        x: series.values.slice().reverse(),
        marker: { color: series.color },
        hovertemplate: "%{y} · " + hover(spec.format, "x"),
      };
    });
    var perRow = spec.type === "hbar" ? 16 * traces.length + 14 : narrow ? 28 : 32;
    var legend = spec.legend === true;
    return {
      traces: traces,
      layout: layout({
        height: Math.max(220, 50 + (legend ? 50 : 0) + y.length * perRow),
        barmode: spec.type === "hbar" ? "group" : "stack",
        bargap: 0.25,
        xaxis: valueAxis(spec.format),
        yaxis: { automargin: true },
        showlegend: legend,
        legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 11 } },
        margin: { l: 10, r: 12, t: legend ? 36 : 8, b: 8 },
      }),
    };
  }

  function heatmap(spec) {
    return {
      traces: [
        {
          type: "heatmap",
          x: spec.x,
          y: spec.y,
          z: spec.z,
          colorscale: [
            [0, "#f4f7fb"],
            [1, "#1b5e9e"],
          ],
          showscale: false,
          texttemplate: "%{z}",
          hovertemplate: "%{y} ↔ %{x}: %{z}<extra></extra>",
        },
      ],
      layout: layout({
        height: Math.max(300, 80 + spec.y.length * 44),
        showlegend: false,
        xaxis: { automargin: true, tickangle: -30, side: "bottom" },
        yaxis: { automargin: true, autorange: "reversed" },
      }),
    };
  }

  var BUILDERS = {
    line: seriesChart,
    bar: seriesChart,
    hstack: horizontalChart,
    hbar: horizontalChart,
    heatmap: heatmap,
  };

  function drawChart(element, spec) {
    var build = BUILDERS[spec.type];
    if (!build) return;
    var empty = spec.series
      ? spec.series.every(function (s) {
          return s.values.every(function (v) {
            return !v;
          });
        })
      : false;
    if (empty || (spec.series && !spec.series.length)) {
      element.classList.add("chart-empty");
      element.textContent = element.dataset.emptyText || "—";
      return;
    }
    var figure = build(spec);
    element.style.height = figure.layout.height + "px";
    window.Plotly.newPlot(element, figure.traces, figure.layout, {
      displayModeBar: false,
      responsive: true,
    });
  }

  function drawGraph(element, data) {
    var traces = [
      {
        type: "scatter",
        mode: "lines",
        x: data.edges.x,
        y: data.edges.y,
        line: { color: "rgba(90, 104, 125, 0.28)", width: 1 },
        hoverinfo: "skip",
        showlegend: false,
      },
    ];
    data.groups.forEach(function (group) {
      traces.push({
        type: "scatter",
        mode: "markers",
        name: group.name,
        x: group.x,
        y: group.y,
        text: group.text,
        customdata: group.url,
        hovertemplate: "%{text}<extra></extra>",
        marker: {
          color: group.color,
          size: group.size.map(function (s) {
            return (narrow ? 0.65 : 1) * Math.min(34, 8 + 3 * Math.sqrt(s));
          }),
          line: { color: "#fff", width: 1.5 },
          opacity: 0.92,
        },
      });
    });
    var hidden = { visible: false, showgrid: false, zeroline: false };
    var height = narrow ? 420 : 580;
    element.style.height = height + "px";
    window.Plotly.newPlot(
      element,
      traces,
      layout({
        height: height,
        xaxis: hidden,
        yaxis: hidden,
        dragmode: "pan",
        hovermode: "closest",
        showlegend: false,
        margin: { l: 4, r: 4, t: 4, b: 4 },
      }),
      {
        responsive: true,
        scrollZoom: true,
        displaylogo: false,
        modeBarButtons: [["zoomIn2d", "zoomOut2d", "resetScale2d"]],
      }
    );
    element.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && typeof point.customdata === "string" && point.customdata.charAt(0) === "/") {
        window.location.href = point.customdata;
      }
    });
  }

  function init() {
    if (!window.Plotly) return;
    var cache = {};
    function data(id) {
      if (!(id in cache)) {
        var source = document.getElementById(id);
        cache[id] = source ? JSON.parse(source.textContent) : {};
      }
      return cache[id];
    }
    document.querySelectorAll("[data-mchart]").forEach(function (element) {
      var spec = data(element.dataset.source)[element.dataset.mchart];
      if (spec) drawChart(element, spec);
    });
    document.querySelectorAll("[data-network]").forEach(function (element) {
      var graph = data(element.dataset.source)[element.dataset.network];
      if (graph) drawGraph(element, graph);
    });
  }

  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
