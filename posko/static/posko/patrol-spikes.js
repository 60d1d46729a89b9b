/* Draws the growth curve of each spike (figure[data-growth]: JSON list of {t, n}) with
   Chart.js. Without JavaScript or Chart.js the figures above the chart carry the numbers. */
(function () {
  "use strict";
  function draw(figure) {
    if (typeof window.Chart === "undefined") { return; }
    var points;
    try { points = JSON.parse(figure.getAttribute("data-growth") || "[]"); } catch (e) { return; }
    if (!points.length) { return; }
    var canvas = figure.querySelector("canvas");
    var labels = points.map(function (p) {
      var d = new Date(p.t);
      return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    });
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: labels,
        datasets: [{
          label: figure.getAttribute("data-label") || "",
          data: points.map(function (p) { return p.n; }),
          borderColor: "#b42318",
          backgroundColor: "rgba(180, 35, 24, 0.15)",
          fill: true,
          tension: 0.2,
          pointRadius: 0
        }]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    figure.setAttribute("data-drawn", "1");
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("figure[data-growth]"), draw);
  });
})();
