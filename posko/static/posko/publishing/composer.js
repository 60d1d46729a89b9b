// Composer: per-platform character counters and the kind's own fields. The server checks
// the same limits (posko/publishing/limits.py); these counters only help while typing.
(function () {
  "use strict";
  var URL = /https?:\/\/\S+/g;
  function length(platform, text) {
    if (platform === "x") return text.replace(URL, new Array(24).join("x")).length;
    return text.length;
  }
  function init(form) {
    var limitsNode = document.getElementById("publishing-limits");
    if (!limitsNode) return;
    var limits = JSON.parse(limitsNode.textContent);
    var text = form.querySelector("textarea[data-counter='post']");
    var photos = form.querySelector("input[name='photos']");
    var kind = form.querySelector("select[name='kind']");
    var stored = parseInt(form.getAttribute("data-photo-count") || "0", 10);
    function hasPhotos() { return stored > 0 || (photos && photos.files && photos.files.length > 0); }
    function selectedPlatforms() {
      var result = [];
      form.querySelectorAll("input[name='accounts']:checked").forEach(function (box) {
        var label = box.closest("label");
        var name = label ? label.textContent.trim().toLowerCase() : "";
        Object.keys(limits).forEach(function (p) {
          if (name.indexOf(limits[p].label.toLowerCase()) === 0 && result.indexOf(p) < 0) result.push(p);
        });
      });
      return result;
    }
    function describe(platform, value) {
      var limit = limits[platform];
      var max = hasPhotos() ? limit.caption : limit.text;
      var n = length(platform, value);
      return limit.label + " " + n + "/" + max + (n > max ? " ✖" : "");
    }
    function update() {
      var out = form.querySelector("[data-counter-for='post']");
      if (out && text) {
        out.textContent = selectedPlatforms().map(function (p) { return describe(p, text.value); }).join(" · ");
      }
      form.querySelectorAll("textarea[data-account]").forEach(function (area) {
        var target = form.querySelector("[data-counter-for='" + area.getAttribute("data-account") + "']");
        var platform = area.getAttribute("data-counter");
        if (target && limits[platform]) target.textContent = describe(platform, area.value || (text ? text.value : ""));
      });
    }
    function showKindFields() {
      if (!kind) return;
      form.querySelectorAll("[data-kind-field]").forEach(function (box) {
        box.hidden = box.getAttribute("data-kind-field") !== kind.value;
      });
    }
    form.addEventListener("input", update);
    form.addEventListener("change", function () { update(); showKindFields(); });
    update();
    showKindFields();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-composer]").forEach(init);
  });
})();
