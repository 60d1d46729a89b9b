// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  function syncHidden(container) {
    var box = document.getElementById(container.getAttribute("data-hide-when-checked"));
    if (!box) return;
    var update = function () {
      container.hidden = box.checked;
      container.querySelectorAll("input").forEach(function (input) { input.disabled = box.checked; });
    };
    box.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-hide-when-checked]").forEach(syncHidden);
  });
})();
