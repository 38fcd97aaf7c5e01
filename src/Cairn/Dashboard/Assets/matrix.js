// Live updates of the class matrix: one EventSource per page, one DOM change per changed cell.
(function () {
  "use strict";
  const table = document.querySelector("table.matrix");
  if (!table) return;
  const live = document.getElementById("live");
  const group = table.dataset.group;
  const symbols = { green: "\u2713", yellow: "\u25D0", white: "" };
  const words = { green: "green", yellow: "yellow", white: "not yet" };

  const cells = new Map();
  for (const td of table.querySelectorAll("td.cell")) {
    cells.set(td.dataset.player + "\u001f" + td.dataset.point, td);
  }

  function setLive(on, text) {
    live.className = "live " + (on ? "on" : "off");
    live.textContent = text;
  }

  function describe(td, update) {
    const parts = [td.dataset.pointTitle || td.dataset.point, words[update.status]];
    if (update.score !== undefined && update.score !== null) parts.push("score " + Math.round(update.score * 10) / 10);
    if (update.completedAt) parts.push("completed " + new Date(update.completedAt).toLocaleString());
    return parts.join(" \u00B7 ");
  }

  function updateUnitCounts() {
    for (const th of table.querySelectorAll("th.unit[data-unit]")) {
      const unit = th.dataset.unit;
      const all = table.querySelectorAll('td.cell[data-unit="' + CSS.escape(unit) + '"]');
      let done = 0;
      for (const td of all) if (!td.classList.contains("white")) done++;
      const count = th.querySelector(".count");
      if (count) count.textContent = done + "/" + all.length;
    }
  }

  const players = new Set(Array.from(cells.values(), function (td) { return td.dataset.player; }));
  let reloading = false;

  function apply(update) {
    const td = cells.get(update.playerKey + "\u001f" + update.pointId);
    if (!td) {
      // A student who joined the class after this page loaded (a new roster, the demo's next class): load the page
      // again for their row, once, a second later, so that a burst of their changes costs one reload.
      if (!players.has(update.playerKey) && !reloading) {
        reloading = true;
        setTimeout(function () { source.close(); location.reload(); }, 1000);
      }
      return;
    }
    td.classList.remove("white", "yellow", "green", "flash");
    void td.offsetWidth; // restart the flash animation
    td.classList.add(update.status, "flash");
    td.dataset.status = update.status;
    const link = td.querySelector("a");
    if (link) link.textContent = symbols[update.status] || "";
    td.title = describe(td, update);
    updateUnitCounts();
  }

  const url = "/v1/groups/" + encodeURIComponent(group) + "/progress/stream?since=" + encodeURIComponent(table.dataset.cursor)
    + "&org=" + encodeURIComponent(table.dataset.org);
  const source = new EventSource(url);
  setLive(false, "connecting");
  source.onopen = function () { setLive(true, "live"); };
  source.onerror = function () { setLive(false, "reconnecting"); };
  source.addEventListener("cell", function (e) { apply(JSON.parse(e.data)); });
  // The server ends the stream when the session or token no longer covers this class: do not reconnect.
  source.addEventListener("end", function () { source.close(); setLive(false, "ended: sign in again"); });
  updateUnitCounts();
})();
