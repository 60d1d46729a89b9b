/* Draws a Chart.js chart above every table marked data-chart, from the table's own cells
   (th[data-series] marks the drawn columns, td[data-v] the numbers). Without JavaScript or
   Chart.js the tables alone carry the figures. */
(function () {
  "use strict";
  function draw(table) {
    if (typeof window.Chart === "undefined") { return; }
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var series = [];
    heads.forEach(function (th, index) {
      if (th.hasAttribute("data-series")) { series.push({ index: index, label: th.textContent.trim() }); }
    });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (tr) { return tr.cells[0].textContent.trim(); });
    var datasets = series.map(function (s) {
      return {
        label: s.label,
        data: rows.map(function (tr) {
          var cell = tr.cells[s.index];
          var v = cell ? cell.getAttribute("data-v") : null;
          return v === null || v === "" ? null : Number(v);
        })
      };
    });
    if (!labels.length) { return; }
    var box = document.createElement("div");
    box.className = "tp-chart";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (table.caption ? table.caption.textContent : labels.join(", ")).trim());
    box.appendChild(canvas);
    table.parentNode.insertBefore(box, table);
    var type = table.getAttribute("data-chart");
    var link = table.getAttribute("data-links") === "1";
    var chart = new window.Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        indexAxis: type === "bar" && labels.length > 8 ? "y" : "x",
        onClick: link ? function (event, elements) {
          if (!elements.length) { return; }
          var anchor = rows[elements[0].index].querySelector("a[href]");
          if (anchor) { window.location.href = anchor.href; }
        } : undefined
      }
    });
    return chart;
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-chart]"), draw);
  });
})();
