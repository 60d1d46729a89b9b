// Console enhancements: installable app (service worker), filters folded on phones,
// unopened-darurat bookkeeping, keyboard shortcuts. Every page works without it.
(function () {
  "use strict";
  var UNOPENED = "posko-unopened-darurat";

  function registerWorker() {
    var header = document.querySelector("[data-sw]");
    if (!header || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(header.getAttribute("data-sw"), {
      scope: header.getAttribute("data-sw-scope")
    }).catch(function () { /* the console works without it */ });
  }

  function foldFiltersOnPhones() {
    var phone = window.matchMedia("(max-width: 720px)").matches;
    document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (box) {
      var active = box.querySelector(".pill");
      if (phone && !active) box.open = false;
    });
  }

  function markOpened() {
    var opened = document.querySelector("[data-opened-code]");
    if (!opened) return;
    try {
      var code = opened.getAttribute("data-opened-code");
      var list = JSON.parse(localStorage.getItem(UNOPENED) || "[]").filter(function (c) { return c !== code; });
      localStorage.setItem(UNOPENED, JSON.stringify(list));
    } catch (e) { /* storage unavailable */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    registerWorker();
    foldFiltersOnPhones();
    markOpened();
  });
})();
