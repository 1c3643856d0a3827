// Radar charts of the self-assessment pages, from the data the server put in json_script.
// Drawn again when htmx swaps in new scores (after an area is saved).
(function () {
  "use strict";

  function closed(list) {
    return list.length ? list.concat([list[0]]) : list;
  }

  // Long area names on several lines, so that a narrow screen keeps room for the chart.
  function wrap(label, width) {
    var lines = [];
    var line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.source);
    if (!source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    if (!data.series || !data.series.length) return;
    var narrow = element.clientWidth < 600;
    var shown = function (list) {
      return list.map(function (label) { return wrap(label, narrow ? 12 : 22); });
    };
    var labels = shown(data.series[0].labels);
    var traces = data.series.map(function (series) {
      return {
        type: "scatterpolar",
        mode: "lines+markers",
        name: series.name,
        r: closed(series.values),
        theta: closed(shown(series.labels)),
        fill: data.series.length === 1 ? "toself" : "none",
        line: { color: series.color, width: 2 },
        marker: { color: series.color, size: 6 },
        hovertemplate: "%{theta}: %{r:.1f}%<extra>" + series.name + "</extra>",
      };
    });
    if (data.reference) traces.push({
      type: "scatterpolar",
      mode: "lines",
      name: element.dataset.referenceLabel,
      r: closed(labels.map(function () { return data.reference; })),
      theta: closed(labels),
      line: { color: "#5b6473", width: 1.5, dash: "dash" },
      hoverinfo: "skip",
    });
    window.Plotly.react(
      element,
      traces,
      {
        height: narrow ? 380 : 420,
        margin: narrow ? { l: 60, r: 60, t: 40, b: 20 } : { l: 110, r: 110, t: 40, b: 30 },
        paper_bgcolor: "rgba(0,0,0,0)",
        font: {
          family: "system-ui, Segoe UI, Roboto, sans-serif",
          size: narrow ? 10 : 12,
          color: "#2c3646",
        },
        polar: {
          radialaxis: { range: [0, 100], ticksuffix: "%", angle: 90 - 180 / labels.length, tickfont: { size: 10 } },
          angularaxis: { direction: "clockwise", rotation: 90 },
        },
        showlegend: true,
        legend: { orientation: "h", y: -0.08 },
      },
      { displayModeBar: false, responsive: true }
    );
    element.dataset.drawn = "true";
  }

  function init() {
    document.querySelectorAll("[data-radar]").forEach(draw);
  }

  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
