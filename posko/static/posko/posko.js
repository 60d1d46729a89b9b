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

  // Tracking code: copy to the clipboard, share through the phone's share sheet.
  function codeActions(box) {
    var status = box.querySelector(".tracking-actions__status");
    var copy = box.querySelector("[data-copy]");
    var share = box.querySelector("[data-share]");
    var textOf = function (button, attr) {
      var el = document.getElementById(button.getAttribute(attr));
      return el ? el.textContent.trim() : "";
    };
    var shown = false;
    if (copy && navigator.clipboard && window.isSecureContext) {
      shown = true;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(textOf(copy, "data-copy")).then(function () {
          if (status) status.textContent = copy.getAttribute("data-copied");
        });
      });
    } else if (copy) {
      copy.hidden = true;
    }
    if (share && navigator.share) {
      shown = true;
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: share.getAttribute("data-share-title"), text: textOf(share, "data-share") })
          .catch(function () { /* the citizen closed the share sheet */ });
      });
    }
    box.hidden = !shown;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-hide-when-checked]").forEach(syncHidden);
    document.querySelectorAll("[data-code-actions]").forEach(codeActions);
  });
})();
