// precursor-watch console: the little JavaScript the pages need (no framework, no build).
// 1. Live progress of an uploaded batch: an element with data-progress-url is polled until done.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector(".progress > div");
    var text = box.querySelector(".progress-text");
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (b) {
          var pct = b.percent || 0;
          bar.style.width = pct + "%";
          box.setAttribute("aria-valuenow", String(pct));
          text.textContent = b.state + ": " + b.orders + " orders (" + pct + "%)"
            + (b.errors ? ", " + b.errors + " bad rows" : "");
          box.setAttribute("data-state", b.state);
          if (b.state === "finished" || b.state === "failed" || b.state === "interrupted") {
            var done = document.getElementById("batch-done");
            if (done && b.state === "finished") { done.hidden = false; }
            if (box.hasAttribute("data-reload")) { window.location.reload(); }
            return;
          }
          window.setTimeout(tick, 500);
        })
        .catch(function () { window.setTimeout(tick, 1500); });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(poll);
  });
})();
