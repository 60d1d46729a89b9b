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

  // The officer picker lists only the officers of the unit chosen beside it.
  function filterOfficers(select) {
    var unit = document.getElementById(select.getAttribute("data-filter-by"));
    if (!unit) return;
    var update = function () {
      Array.prototype.forEach.call(select.options, function (option) {
        var own = !option.value || !unit.value || option.getAttribute("data-unit") === unit.value;
        option.hidden = !own;
        option.disabled = !own;
      });
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.disabled) select.value = "";
    };
    unit.addEventListener("change", update);
    update();
  }

  // Canned replies: the chosen text goes into the reply box (placeholders already filled).
  function cannedReplies(select) {
    var box = document.getElementById(select.getAttribute("data-insert-into"));
    if (!box) return;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var text = option ? option.getAttribute("data-text") : "";
      if (!text) return;
      box.value = box.value.trim() ? box.value.replace(/\s*$/, "\n\n") + text : text;
      box.focus();
      select.value = "";
    });
  }

  // Keyboard shortcuts: j/k next/previous aduan, Enter opens, r reply, a assign, ? help.
  function typing(target) {
    return target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
  }
  function moveRow(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("tr[data-code] .cell-code a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = links[Math.min(links.length - 1, Math.max(0, at + step))];
    if (at < 0) next = links[0];
    document.querySelectorAll("tr.row--focus").forEach(function (r) { r.classList.remove("row--focus"); });
    next.closest("tr").classList.add("row--focus");
    next.focus();
  }
  function shortcuts(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var help = document.getElementById("shortcut-help");
    var focus = function (id) {
      var el = document.getElementById(id);
      if (el) { event.preventDefault(); el.scrollIntoView({ block: "center" }); el.focus(); }
    };
    if (event.key === "j") moveRow(1);
    else if (event.key === "k") moveRow(-1);
    else if (event.key === "r") focus("id_text");
    else if (event.key === "a") focus("id_unit");
    else if (event.key === "?" && help && help.showModal) { help.open ? help.close() : help.showModal(); }
  }

  // Bulk selection: the header checkbox ticks every row of the page (delegated, so it keeps
  // working after the live inbox swaps the table).
  function bulkSelect(event) {
    var target = event.target;
    if (!target.matches || !target.matches("[data-bulk-all], [data-bulk-pick]")) return;
    var form = target.closest("form");
    if (!form) return;
    var picks = form.querySelectorAll("[data-bulk-pick]");
    var all = form.querySelector("[data-bulk-all]");
    if (target.matches("[data-bulk-all]")) {
      picks.forEach(function (p) { p.checked = target.checked; });
    } else if (all) {
      var picked = form.querySelectorAll("[data-bulk-pick]:checked").length;
      all.checked = picked === picks.length && picks.length > 0;
      all.indeterminate = picked > 0 && picked < picks.length;
    }
    var ticked = form.querySelectorAll("[data-bulk-pick]:checked").length;
    var count = form.querySelector("[data-bulk-count]");
    if (count) count.textContent = String(ticked);
    var box = form.querySelector("[data-bulk-box]");
    if (box && ticked > 0) box.open = true;
  }
  document.addEventListener("change", bulkSelect);

  document.addEventListener("DOMContentLoaded", function () {
    registerWorker();
    foldFiltersOnPhones();
    markOpened();
    document.querySelectorAll("select[data-filter-by]").forEach(filterOfficers);
    document.querySelectorAll("select[data-insert-into]").forEach(cannedReplies);
    document.addEventListener("keydown", shortcuts);
    document.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () { button.closest("dialog").close(); });
    });
  });
})();
