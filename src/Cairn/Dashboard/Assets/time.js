// Times in the viewer's own time zone: every <time class="local" datetime="…Z"> is rewritten by the browser
// (the server knows only UTC, which stays in the tooltip).
(function () {
  "use strict";
  const full = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" };
  const minute = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  window.cairnLocalTime = function (iso, precision) {
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString(undefined, precision === "minute" ? minute : full);
  };
  window.cairnLocalTimes = function (root) {
    for (const t of (root || document).querySelectorAll("time.local[datetime]")) {
      t.textContent = window.cairnLocalTime(t.getAttribute("datetime"), t.dataset.precision);
    }
  };
  window.cairnLocalTimes(document);
})();
