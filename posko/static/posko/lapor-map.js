// /lapor/: a map pin (Leaflet) and, only when the reporter presses the button, the browser's
// location. The form works without either: the desa picker stays the way to say where.
(function () {
  "use strict";
  function setup(box) {
    var lat = box.querySelector("input[name=latitude]");
    var lon = box.querySelector("input[name=longitude]");
    var status = box.querySelector("[data-map-status]");
    var mapEl = box.querySelector("#lapor-map");
    var locate = box.querySelector("[data-locate]");
    var clear = box.querySelector("[data-clear-pin]");
    var map = null;
    var marker = null;
    var say = function (key, extra) {
      status.textContent = status.getAttribute(key) + (extra ? " " + extra : "");
    };
    var pin = function (la, lo) {
      lat.value = la.toFixed(6);
      lon.value = lo.toFixed(6);
      clear.hidden = false;
      say("data-text-pinned", lat.value + ", " + lon.value);
      if (map) {
        if (marker) marker.setLatLng([la, lo]);
        else marker = window.L.circleMarker([la, lo], { radius: 9, color: "#0b2a4a", fillOpacity: 0.8 }).addTo(map);
        map.setView([la, lo], Math.max(map.getZoom(), 15));
      }
    };
    var unavailable = function () {
      if (map) { map.remove(); map = null; marker = null; }
      mapEl.hidden = true;
      box.classList.add("map-pin--no-map");
      say("data-text-unavailable");
    };
    var tileUrl = box.getAttribute("data-tile-url");
    if (tileUrl && window.L) {
      var center = (box.getAttribute("data-center") || "").split(",").map(Number);
      mapEl.hidden = false;
      map = window.L.map(mapEl, { scrollWheelZoom: false }).setView([center[0] || 0, center[1] || 0], center[2] || 10);
      var loaded = false;
      var layer = window.L.tileLayer(tileUrl, { maxZoom: 19, attribution: box.getAttribute("data-attribution") });
      layer.on("tileload", function () { loaded = true; });
      layer.on("tileerror", function () { if (!loaded) unavailable(); });
      layer.addTo(map);
      map.on("click", function (e) { pin(e.latlng.lat, e.latlng.lng); });
      if (lat.value && lon.value) pin(Number(lat.value), Number(lon.value));
    } else {
      unavailable();
    }
    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        // Asked only now, after the reporter chose to share it.
        navigator.geolocation.getCurrentPosition(
          function (pos) { pin(pos.coords.latitude, pos.coords.longitude); },
          function () { say("data-text-denied"); },
          { enableHighAccuracy: true, timeout: 15000 }
        );
      });
    }
    clear.addEventListener("click", function () {
      lat.value = ""; lon.value = "";
      if (marker) { marker.remove(); marker = null; }
      clear.hidden = true;
      say("data-text-cleared");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(setup);
  });
})();
