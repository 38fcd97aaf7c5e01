// The class page: live cell updates (one EventSource per page), counts per point, unit and student, sorting,
// and the "needs attention" strip, which is re-read from this page itself after changes (the server decides who and why).
(function () {
  "use strict";
  const table = document.querySelector("table.matrix");
  if (!table) return;
  const live = document.getElementById("live");
  const tbody = table.tBodies[0];
  const sort = document.getElementById("sort");
  const group = table.dataset.group;
  const symbols = { green: "\u2713", yellow: "\u25D0", started: "\u25B7", white: "" };
  const words = { green: "green: done, on target", yellow: "yellow: done, needed more", started: "started, not done yet", white: "not yet" };
  const isDone = (td) => td.dataset.status === "green" || td.dataset.status === "yellow";

  const cells = new Map();
  for (const td of table.querySelectorAll("td.cell")) {
    cells.set(td.dataset.player + "\u001f" + td.dataset.point, td);
  }

  function setLive(on, text) {
    live.className = "live " + (on ? "on" : "off");
    live.textContent = text;
  }

  function localTime(iso) {
    return window.cairnLocalTime ? window.cairnLocalTime(iso) : new Date(iso).toLocaleString();
  }

  function describe(td) {
    const parts = [td.dataset.pointTitle || td.dataset.point, words[td.dataset.status]];
    if (td.dataset.score !== undefined) parts.push("score " + Math.round(Number(td.dataset.score) * 10) / 10);
    if (td.dataset.completed) parts.push("completed " + localTime(td.dataset.completed) + " (" + td.dataset.completed.replace("T", " ").replace(/\.\d+Z$/, " UTC") + ")");
    else if (td.dataset.started) parts.push("started " + localTime(td.dataset.started) + " (" + td.dataset.started.replace("T", " ").replace(/\.\d+Z$/, " UTC") + ")");
    return parts.join(" \u00B7 ");
  }

  function updateCounts() {
    for (const th of table.querySelectorAll("th.unit[data-unit]")) {
      const all = table.querySelectorAll('td.cell[data-unit="' + CSS.escape(th.dataset.unit) + '"]');
      let done = 0;
      for (const td of all) if (isDone(td)) done++;
      const count = th.querySelector(".count");
      if (count) count.textContent = done + "/" + all.length;
    }
    const rows = tbody.rows.length;
    for (const th of table.querySelectorAll("th.point[data-point]")) {
      let done = 0;
      for (const td of table.querySelectorAll('td.cell[data-point="' + CSS.escape(th.dataset.point) + '"]')) if (isDone(td)) done++;
      th.querySelector(".pcount").textContent = done + "/" + rows;
    }
    for (const tr of tbody.rows) {
      let green = 0, yellow = 0;
      for (const td of tr.querySelectorAll("td.cell")) {
        if (td.dataset.status === "green") green++;
        else if (td.dataset.status === "yellow") yellow++;
      }
      tr.dataset.green = green;
      tr.dataset.yellow = yellow;
      tr.querySelector(".tg").textContent = green;
      tr.querySelector(".ty").textContent = yellow;
    }
  }

  const players = new Set(Array.from(cells.values(), function (td) { return td.dataset.player; }));
  let reloading = false;
  const byName = (a, b) => a.dataset.name.localeCompare(b.dataset.name, undefined, { sensitivity: "base" });
  const orders = {
    name: byName,
    progress: (a, b) => (b.dataset.green - a.dataset.green) + 0.5 * (b.dataset.yellow - a.dataset.yellow) || byName(a, b),
    attention: (a, b) => (b.dataset.attention - a.dataset.attention)
      || (a.dataset.green - b.dataset.green + (a.dataset.yellow - b.dataset.yellow)) || byName(a, b),
  };

  function applySort() {
    const order = orders[sort.value] || orders.name;
    const rows = Array.from(tbody.rows).sort(order);
    for (const tr of rows) tbody.appendChild(tr);
  }

  sort.addEventListener("change", function () {
    const url = new URL(location.href);
    url.searchParams.set("sort", sort.value);
    history.replaceState(null, "", url);
    applySort();
  });

  // Who needs attention is decided by the server: after changes (and every minute, for inactivity) this page is read
  // again and its strip and per-student marks taken over.
  let refreshTimer = null;
  async function refreshAttention() {
    refreshTimer = null;
    try {
      const response = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const strip = doc.getElementById("attention");
      if (strip) {
        document.getElementById("attention").replaceWith(strip);
        if (window.cairnLocalTimes) window.cairnLocalTimes(strip);
      }
      for (const fresh of doc.querySelectorAll("table.matrix tbody tr[data-player]")) {
        const tr = tbody.querySelector('tr[data-player="' + CSS.escape(fresh.dataset.player) + '"]');
        if (!tr) continue;
        tr.dataset.attention = fresh.dataset.attention;
        tr.querySelector("th").replaceWith(fresh.querySelector("th"));
      }
      if (sort.value === "attention") applySort();
    } catch (e) {
      // The next change or the next minute tries again.
    }
  }
  function scheduleRefresh(delay) {
    if (refreshTimer === null) refreshTimer = setTimeout(refreshAttention, delay);
  }
  setInterval(function () { scheduleRefresh(0); }, 60000);

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
    td.classList.remove("white", "yellow", "green", "started", "flash");
    void td.offsetWidth; // restart the flash animation
    td.classList.add(update.status, "flash");
    td.dataset.status = update.status;
    if (update.score !== undefined && update.score !== null) td.dataset.score = update.score; else delete td.dataset.score;
    if (update.completedAt) td.dataset.completed = update.completedAt; else delete td.dataset.completed;
    if (update.startedAt) td.dataset.started = update.startedAt; else delete td.dataset.started;
    const link = td.querySelector("a");
    if (link) link.textContent = symbols[update.status] || "";
    td.title = describe(td);
    updateCounts();
    if (sort.value === "progress") applySort();
    scheduleRefresh(1500);
  }

  window.addEventListener("DOMContentLoaded", function () {
    for (const td of cells.values()) if (td.dataset.completed || td.dataset.started) td.title = describe(td);
  });

  const wanted = new URL(location.href).searchParams.get("sort");
  if (wanted && orders[wanted]) sort.value = wanted;
  updateCounts();
  applySort();

  const url = "/v1/groups/" + encodeURIComponent(group) + "/progress/stream?since=" + encodeURIComponent(table.dataset.cursor)
    + "&org=" + encodeURIComponent(table.dataset.org);
  const source = new EventSource(url);
  setLive(false, "connecting");
  source.onopen = function () { setLive(true, "live"); };
  source.onerror = function () { setLive(false, "reconnecting"); };
  source.addEventListener("cell", function (e) { apply(JSON.parse(e.data)); });
  // The server ends the stream when the session or token no longer covers this class: do not reconnect.
  source.addEventListener("end", function () { source.close(); setLive(false, "ended: sign in again"); });
})();
