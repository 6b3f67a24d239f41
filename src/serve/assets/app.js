// rotaplan workspace: live progress of a run, and sorting and filtering of
// tables. Plain script, no framework; the pages work without it too.
"use strict";

function pollRun(statusEl) {
  const run = statusEl.dataset.run;
  const tick = async () => {
    try {
      const answer = await fetch(`/runs/${run}/status.json`, { cache: "no-store" });
      if (answer.ok) {
        const s = await answer.json();
        statusEl.textContent = s.status_word;
        statusEl.dataset.status = s.status;
        const body = document.querySelector("#progress tbody");
        if (body) body.innerHTML = s.rows;
        const elapsed = document.getElementById("elapsed");
        if (elapsed) elapsed.textContent = s.elapsed;
        if (s.over) { window.location.reload(); return; }
      }
    } catch (e) { /* the server may be restarting: try again */ }
    setTimeout(tick, 700);
  };
  setTimeout(tick, 500);
}

function sortable(table) {
  table.querySelectorAll("thead th").forEach((th, column) => {
    th.addEventListener("click", () => {
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const up = th.dataset.sorted !== "up";
      th.dataset.sorted = up ? "up" : "down";
      const key = (row) => row.cells[column] ? row.cells[column].textContent.trim() : "";
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const nx = Number(x), ny = Number(y);
        const order = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "zh-CN");
        return up ? order : -order;
      });
      rows.forEach((r) => body.appendChild(r));
    });
  });
}

// The rotation list's filter bar: school (from or to), subject, backbone.
function listFilter(bar) {
  const table = document.getElementById("rotations");
  if (!table) return;
  bar.hidden = false;
  const school = document.getElementById("filter-school");
  const subject = document.getElementById("filter-subject");
  const backbone = document.getElementById("filter-backbone");
  const count = document.getElementById("rotations-count");
  const apply = () => {
    let shown = 0;
    Array.from(table.tBodies[0].rows).forEach((row) => {
      const d = row.dataset;
      const ok = (!school.value || d.from === school.value || d.to === school.value)
        && (!subject.value || d.subject === subject.value)
        && (!backbone.value || d.backbone === backbone.value);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = String(shown);
  };
  // The choices survive the reload after an edit is saved (per tab).
  const key = "rotaplan-filter-" + window.location.pathname;
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) || "{}");
    if (school && saved.school !== undefined) school.value = saved.school;
    if (subject && saved.subject !== undefined) subject.value = saved.subject;
    if (backbone && saved.backbone !== undefined) backbone.value = saved.backbone;
  } catch (e) { /* no storage: start unfiltered */ }
  const save = () => {
    try {
      sessionStorage.setItem(key, JSON.stringify({
        school: school ? school.value : "", subject: subject ? subject.value : "", backbone: backbone ? backbone.value : "",
      }));
    } catch (e) { /* no storage */ }
  };
  [school, subject, backbone].forEach((s) => s && s.addEventListener("change", () => { apply(); save(); }));
  apply();
}

document.addEventListener("DOMContentLoaded", () => {
  const filter = document.getElementById("list-filter");
  if (filter) listFilter(filter);
  const status = document.getElementById("run-status");
  if (status && (status.dataset.status === "queued" || status.dataset.status === "running")) pollRun(status);
  document.querySelectorAll("table.list").forEach(sortable);
});

// The what-if form: "add a row" copies the last row of its table, emptied
// (selects back to their default choice).
function addRow(button) {
  const body = document.getElementById(button.dataset.rows);
  if (!body || !body.rows.length) return;
  const row = body.rows[body.rows.length - 1].cloneNode(true);
  row.querySelectorAll("input").forEach((input) => { input.value = ""; input.removeAttribute("aria-invalid"); input.classList.remove("invalid"); });
  row.querySelectorAll("select").forEach((select) => {
    const preferred = select.querySelector("option[data-default]");
    select.value = preferred ? preferred.value : "";
    select.removeAttribute("aria-invalid");
    select.classList.remove("invalid");
  });
  body.appendChild(row);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button.add-row").forEach((b) => b.addEventListener("click", () => addRow(b)));
});
