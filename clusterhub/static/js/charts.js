// Draws the bar charts of a page from the data that the server put in a json_script element.
(function () {
  "use strict";

  function draw(element, data) {
    var series = data[element.dataset.chart];
    if (!series || !series.values.length) return;
    var height = Math.max(220, 60 + series.labels.length * 34);
    element.style.height = height + "px";
    window.Plotly.newPlot(
      element,
      [
        {
          type: "bar",
          orientation: "h",
          x: series.values.slice().reverse(),
          y: series.labels.slice().reverse(),
          marker: { color: data.color || "#1b5e9e" },
          text: series.values.slice().reverse(),
          textposition: "auto",
          hovertemplate: "%{y}: %{x}<extra></extra>",
        },
      ],
      {
        margin: { l: 10, r: 16, t: 8, b: 32 },
        height: height,
        paper_bgcolor: "rgba(0,0,0,0)",
        plot_bgcolor: "rgba(0,0,0,0)",
        font: { family: "system-ui, Segoe UI, Roboto, sans-serif", size: 13, color: "#2c3646" },
        xaxis: { gridcolor: "#e6eaf0", zeroline: false, rangemode: "tozero", tickformat: "d" },
        yaxis: { automargin: true },
        bargap: 0.3,
      },
      { displayModeBar: false, responsive: true }
    );
  }

  function init() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.source);
      if (source) draw(element, JSON.parse(source.textContent));
    });
  }

  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
