// taiyaku's page: keys, copy buttons and review actions. Text is only ever written with
// textContent or form values, never as HTML.
"use strict";

function say(message) {
  const status = document.getElementById("status");
  if (status) status.textContent = message;
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (error) {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  say("Copied: " + text);
}

function rows() {
  return Array.from(document.querySelectorAll(".result, .pairs .row"));
}

function move(step) {
  const list = rows();
  if (!list.length) return;
  const at = list.indexOf(document.activeElement);
  const next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
  list[next].focus();
}

function typing(target) {
  return target.matches("input, textarea, select, [contenteditable]");
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (button) copy(button.dataset.copy);
});

document.addEventListener("keydown", (event) => {
  const search = document.getElementById("q");
  if (event.altKey && ["1", "2", "3"].includes(event.key)) {
    const tab = document.querySelectorAll(".tabs a")[Number(event.key) - 1];
    if (tab) { event.preventDefault(); tab.click(); }
    return;
  }
  if (event.target === search && event.key === "ArrowDown") {
    event.preventDefault();
    move(1);
    return;
  }
  if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "/" && search) {
    event.preventDefault();
    search.focus();
    search.select();
  } else if (event.key === "ArrowDown" || event.key === "j") {
    event.preventDefault();
    move(1);
  } else if (event.key === "ArrowUp" || event.key === "k") {
    event.preventDefault();
    const list = rows();
    if (list.indexOf(document.activeElement) === 0 && search) search.focus();
    else move(-1);
  } else if (event.key === "c" && document.activeElement.dataset.copy !== undefined) {
    copy(document.activeElement.dataset.copy);
  }
});

// Review of an aligned document: only with a token, kept for this browser tab.
(function review() {
  const pairs = document.getElementById("pairs");
  const form = document.getElementById("token-form");
  if (!pairs || !form) return;
  const tokenInput = document.getElementById("token");
  const saveBar = document.getElementById("save-bar");
  const dirty = document.getElementById("dirty");
  let changes = 0;

  function enable() {
    const on = Boolean(sessionStorage.getItem("taiyaku-token"));
    pairs.classList.toggle("reviewing", on);
    saveBar.hidden = !on;
    if (on) tokenInput.placeholder = "token set";
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (tokenInput.value) sessionStorage.setItem("taiyaku-token", tokenInput.value);
    tokenInput.value = "";
    enable();
    say("Token set for this tab.");
  });
  enable();

  function changed(row, what) {
    row.classList.remove("low");
    row.classList.add("reviewed");
    row.querySelector(".conf").textContent = "✓";
    changes += 1;
    dirty.textContent = changes + " change" + (changes === 1 ? "" : "s") + " not saved";
    say(what);
  }
  function reviewable(row) { return ["aligned", "reviewed"].includes(row.dataset.origin); }
  function joiner(lang) { return lang === "ja" ? "" : " "; }
  function cellText(cell) {
    const area = cell.querySelector("textarea");
    return area ? area.value : cell.textContent;
  }
  function finishEdit(row) {
    row.querySelectorAll(".src, .tgt").forEach((cell) => {
      const area = cell.querySelector("textarea");
      if (area) cell.textContent = area.value;
    });
  }
  function edit(row) {
    if (row.querySelector("textarea")) { finishEdit(row); changed(row, "Edited."); row.focus(); return; }
    row.querySelectorAll(".src, .tgt").forEach((cell) => {
      const area = document.createElement("textarea");
      area.value = cell.textContent;
      area.lang = cell.lang;
      cell.textContent = "";
      cell.appendChild(area);
    });
    row.querySelector("textarea").focus();
  }
  function beadSum(a, b) {
    const [x1, y1] = a.split("-").map(Number);
    const [x2, y2] = b.split("-").map(Number);
    return (x1 + x2) + "-" + (y1 + y2);
  }
  function merge(row) {
    const next = row.nextElementSibling;
    if (!next || !reviewable(next)) { say("No aligned pair below to merge with."); return; }
    finishEdit(row); finishEdit(next);
    for (const side of [".src", ".tgt"]) {
      const cell = row.querySelector(side);
      cell.textContent = cell.textContent + joiner(cell.lang) + next.querySelector(side).textContent;
    }
    row.dataset.bead = beadSum(row.dataset.bead, next.dataset.bead);
    next.remove();
    renumber();
    changed(row, "Merged with the next pair.");
  }
  function split(row) {
    const areas = row.querySelectorAll("textarea");
    if (areas.length !== 2) { say("Edit the pair, put the cursor where each side splits, then split."); return; }
    const parts = Array.from(areas).map((a) => {
      const at = a.selectionStart;
      return [a.value.slice(0, at).trim(), a.value.slice(at).trim()];
    });
    if (parts.some((p) => !p[0] || !p[1])) { say("Put the cursor inside both texts to split them."); return; }
    finishEdit(row);
    row.querySelector(".src").textContent = parts[0][0];
    row.querySelector(".tgt").textContent = parts[1][0];
    row.dataset.bead = "1-1";
    changed(row, "Split in two.");
    const copyRow = row.cloneNode(true);
    copyRow.querySelector(".src").textContent = parts[0][1];
    copyRow.querySelector(".tgt").textContent = parts[1][1];
    row.after(copyRow);
    renumber();
    row.focus();
  }
  function renumber() {
    pairs.querySelectorAll(".row").forEach((row, i) => {
      row.querySelector(".num").firstChild.textContent = String(i + 1);
    });
  }
  async function save() {
    pairs.querySelectorAll(".row").forEach(finishEdit);
    const body = {
      pairs: Array.from(pairs.querySelectorAll(".row")).filter(reviewable).map((row) => ({
        source: cellText(row.querySelector(".src")),
        target: cellText(row.querySelector(".tgt")),
        bead: row.dataset.bead,
        confidence: Math.min(1, Math.max(0, Number(row.dataset.confidence))),
        reviewed: row.classList.contains("reviewed"),
      })),
    };
    const name = pairs.dataset.document;
    const response = await fetch("/api/documents/" + encodeURIComponent(name) + "/review", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Authorization": "Bearer " + sessionStorage.getItem("taiyaku-token"),
      },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) { say("Not saved: " + (answer.error || response.status)); return; }
    changes = 0;
    dirty.textContent = "";
    say("Saved: " + answer.stored + " pairs stored.");
  }

  const actions = { accept: (row) => changed(row, "Accepted."), edit, merge, split };
  pairs.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (button) actions[button.dataset.act](button.closest(".row"));
  });
  pairs.addEventListener("keydown", (event) => {
    if (!sessionStorage.getItem("taiyaku-token")) return;
    const row = event.target.closest(".row");
    if (!row) return;
    if (event.ctrlKey && event.key === "Enter") { event.preventDefault(); save(); return; }
    if (row.dataset.origin !== "aligned") return;
    if (event.key === "Escape" && row.querySelector("textarea")) { event.preventDefault(); edit(row); return; }
    if (event.ctrlKey && event.key === "s" && row.querySelector("textarea")) { event.preventDefault(); split(row); return; }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = { a: "accept", e: "edit", m: "merge", s: "split" }[event.key];
    if (key) { event.preventDefault(); actions[key](row); }
  });
  document.getElementById("save").addEventListener("click", save);
})();
