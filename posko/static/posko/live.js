// Live inbox: polls a cheap change stamp (304 while nothing changed) and re-fetches the list
// through htmx when it moves. A new darurat aduan plays a tone, marks the tab title, raises a
// browser notification where permitted, and stays highlighted until it is opened.
(function () {
  "use strict";
  var UNOPENED = "posko-unopened-darurat";
  var live, etag = null, polled = false, known = {}, baseTitle = document.title, audio = null;

  function unopened() {
    try { return JSON.parse(localStorage.getItem(UNOPENED) || "[]"); } catch (e) { return []; }
  }
  function saveUnopened(list) {
    try { localStorage.setItem(UNOPENED, JSON.stringify(list)); } catch (e) { /* private mode */ }
  }
  function rows() { return live.querySelectorAll("tr[data-code]"); }

  function ensureAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
    if (audio && audio.state === "suspended") audio.resume();
  }
  function tone() {
    ensureAudio();
    if (!audio) return;
    [0, 0.25].forEach(function (offset) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = "square";
      osc.frequency.value = offset ? 660 : 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.22);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + offset); osc.stop(audio.currentTime + offset + 0.22);
    });
  }
  function notify(codes) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    codes.forEach(function (code) {
      try { new Notification(live.getAttribute("data-alert-title") + ": " + code, { tag: code }); } catch (e) { /* mobile needs the worker */ }
    });
  }

  function mark() {
    var pending = unopened(), shown = 0;
    rows().forEach(function (row) {
      var on = pending.indexOf(row.getAttribute("data-code")) >= 0;
      row.classList.toggle("row--new", on);
      if (on) shown += 1;
    });
    document.title = shown ? "(" + shown + ") \u25CF " + live.getAttribute("data-alert-title") + " \u00B7 " + baseTitle : baseTitle;
  }

  function remember(alert) {
    var fresh = [];
    rows().forEach(function (row) {
      var code = row.getAttribute("data-code");
      if (known[code]) return;
      known[code] = true;
      if (alert && row.getAttribute("data-priority") === "darurat") fresh.push(code);
    });
    if (fresh.length) {
      saveUnopened(unopened().concat(fresh));
      live.setAttribute("data-alerts", String(Number(live.getAttribute("data-alerts") || 0) + fresh.length));
      tone();
      notify(fresh);
    }
    mark();
  }

  function updateBadge(unread) {
    var link = document.querySelector(".con-nav a[href$='/notifikasi/']");
    if (!link) return;
    var pill = link.querySelector(".pill");
    if (!unread) { if (pill) pill.remove(); return; }
    if (!pill) { pill = document.createElement("span"); pill.className = "pill pill--alert"; link.appendChild(document.createTextNode(" ")); link.appendChild(pill); }
    pill.textContent = String(unread);
  }

  function poll() {
    var headers = { "X-Requested-With": "fetch" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(live.getAttribute("data-live-url"), { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (res) {
        if (res.status !== 200) return null;
        var first = etag === null;
        // Rows ticked for a bulk change are not swapped away: the refresh waits (the stamp is
        // kept, so the next poll asks again) until nothing is ticked.
        if (!first && live.querySelector("[data-bulk-pick]:checked")) return null;
        etag = res.headers.get("ETag");
        return res.json().then(function (data) {
          updateBadge(data.unread);
          if (!first && window.htmx) {
            polled = true;
            window.htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#inbox-live", swap: "innerHTML" });
          }
        });
      })
      .catch(function () { /* offline for a moment: try again */ })
      .then(function () { window.setTimeout(poll, Number(live.getAttribute("data-live-interval")) || 3000); });
  }

  function notificationButton() {
    var button = document.querySelector("[data-enable-notifications]");
    if (!button || !("Notification" in window) || Notification.permission !== "default") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      ensureAudio();
      Notification.requestPermission().then(function () { button.hidden = true; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    live = document.getElementById("inbox-live");
    if (!live) return;
    remember(false);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      // Only a swap the poll asked for can bring news; a filter change only shows other rows.
      if (event.detail && event.detail.target === live) { remember(polled); polled = false; }
    });
    ["click", "keydown"].forEach(function (name) { document.addEventListener(name, ensureAudio, { once: true }); });
    window.addEventListener("storage", mark);
    notificationButton();
    poll();
  });
})();
