// The class mastery heat map: sorting by student or by one standard's pMastery, tooltips with times in the viewer's zone,
// and live cell updates from the mastery stream (one EventSource per page).
(function () {
  "use strict";
  const table = document.querySelector("table.matrix.mastery");
  if (!table) return;
  const live = document.getElementById("live");
  const tbody = table.tBodies[0];
  const sort = document.getElementById("sort");
  const symbols = { "not started": "\u2013", attempted: "\u25D4", familiar: "\u25D1", proficient: "\u25D5", mastered: "\u25CF" };
  const levels = Object.keys(symbols);

  const cells = new Map();
  for (const td of table.querySelectorAll("td.cell")) cells.set(td.dataset.player + "\u001f" + td.dataset.standard, td);
  const players = new Set(Array.from(tbody.rows, function (tr) { return tr.dataset.player; }));

  function setLive(on, text) {
    live.className = "live " + (on ? "on" : "off");
    live.textContent = text;
  }

  function describe(td) {
    const parts = [td.dataset.standardTitle || td.dataset.standard, td.dataset.level];
    if (td.dataset.p !== undefined) {
      parts.push(Math.round(Number(td.dataset.p) * 100) + " % likely known");
      parts.push(td.dataset.n + (td.dataset.n === "1" ? " answer" : " answers"));
    }
    if (td.dataset.last) {
      const local = window.cairnLocalTime ? window.cairnLocalTime(td.dataset.last) : new Date(td.dataset.last).toLocaleString();
      parts.push("last answer " + local + " (" + td.dataset.last.replace("T", " ").replace(/\.\d+Z$/, " UTC") + ")");
    }
    return parts.join(" \u00B7 ");
  }

  const byName = function (a, b) { return a.dataset.name.localeCompare(b.dataset.name, undefined, { sensitivity: "base" }); };
  function pOf(tr, standard) {
    const td = cells.get(tr.dataset.player + "\u001f" + standard);
    return td && td.dataset.p !== undefined ? Number(td.dataset.p) : -1;
  }

  function applySort() {
    const value = sort.value;
    const order = value.indexOf("std:") === 0
      ? function (a, b) { return (pOf(b, value.slice(4)) - pOf(a, value.slice(4))) || byName(a, b); }
      : byName;
    for (const tr of Array.from(tbody.rows).sort(order)) tbody.appendChild(tr);
    for (const th of table.querySelectorAll("th.standard")) th.classList.toggle("sorted", value === "std:" + th.dataset.standard);
  }

  function choose(value) {
    sort.value = value;
    const url = new URL(location.href);
    url.searchParams.set("sort", value);
    history.replaceState(null, "", url);
    applySort();
  }

  sort.addEventListener("change", function () { choose(sort.value); });
  for (const th of table.querySelectorAll("th.standard")) {
    th.addEventListener("click", function () { choose("std:" + th.dataset.standard); });
  }

  let reloading = false;
  function reload() {
    if (reloading) return;
    reloading = true;
    setTimeout(function () { source.close(); location.reload(); }, 1000);
  }

  function apply(update) {
    const td = cells.get(update.playerKey + "\u001f" + update.standardId);
    if (!td) {
      // A student or a standard this page does not show yet: load the page again (once, a second later, for a burst).
      reload();
      return;
    }
    for (const level of levels) td.classList.remove("m-" + level.replace(" ", "-"));
    td.classList.remove("flash");
    void td.offsetWidth; // restart the flash animation
    td.classList.add("m-" + update.level.replace(" ", "-"), "flash");
    td.dataset.level = update.level;
    if (update.pMastery !== undefined && update.pMastery !== null) td.dataset.p = update.pMastery; else delete td.dataset.p;
    td.dataset.n = update.observations;
    if (update.lastAt) td.dataset.last = update.lastAt; else delete td.dataset.last;
    td.textContent = symbols[update.level] || "?";
    td.title = describe(td);
    if (sort.value.indexOf("std:") === 0) applySort();
  }

  window.addEventListener("DOMContentLoaded", function () {
    for (const td of cells.values()) if (td.dataset.last) td.title = describe(td);
  });

  const wanted = new URL(location.href).searchParams.get("sort");
  if (wanted && Array.from(sort.options).some(function (o) { return o.value === wanted; })) sort.value = wanted;
  applySort();

  const url = "/v1/groups/" + encodeURIComponent(table.dataset.group) + "/mastery/stream?since=" + encodeURIComponent(table.dataset.cursor)
    + "&org=" + encodeURIComponent(table.dataset.org);
  const source = new EventSource(url);
  setLive(false, "connecting");
  source.onopen = function () { setLive(true, "live"); };
  source.onerror = function () { setLive(false, "reconnecting"); };
  source.addEventListener("cell", function (e) { apply(JSON.parse(e.data)); });
  // The server ends the stream when the session or token no longer covers this class: do not reconnect.
  source.addEventListener("end", function () { source.close(); setLive(false, "ended: sign in again"); });
})();
