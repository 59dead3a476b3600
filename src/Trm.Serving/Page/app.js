// The page of trm serve: a puzzle of the model's kind in, the refinement streamed out (server-sent events over fetch).
"use strict";
const $ = id => document.getElementById(id);
let model = null, size = 0, cells = [], solving = false;

function headers() {
  const h = { "Content-Type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) h["Authorization"] = "Bearer " + key;
  return h;
}

async function api(path, init) {
  const response = await fetch(path, { ...init, headers: { ...headers(), ...(init && init.headers) } });
  if (response.status === 401) { $("key-box").hidden = false; $("key-box").closest("details").open = true; }
  return response;
}

async function problemText(response) {
  try { const p = await response.json(); return (p.field ? p.field + ": " : "") + (p.detail || p.title); }
  catch { return "HTTP " + response.status; }
}

function setStatus(text, kind) {
  const status = $("status");
  status.textContent = text;
  status.className = kind || "";
}

async function loadModel() {
  const response = await api("/v1/model");
  if (!response.ok) { $("model").textContent = "the model is not available: " + await problemText(response); return; }
  model = await response.json();
  $("model").textContent = `${model.kind} model · ${model.seq_len} tokens · ${model.parameters.toLocaleString()} parameters · ` +
    `up to ${model.halt_max_steps} supervision steps (${model.architecture}, trained on ${model.trained_on.join(", ") || "?"})`;
  $("max-steps").placeholder = model.halt_max_steps;
  $("max-steps").max = model.max_steps_limit;
  $("trajectories").max = model.max_trajectories;
  $(model.kind + "-input").hidden = false;
  if (model.kind === "sudoku") buildSudoku(model.sudoku_size);
  if (model.kind === "maze") buildMaze(model.maze_size);
  if (model.kind === "arc") $("generate").hidden = true;
}

// --- Sudoku: a grid of one-character inputs, typed with the keyboard ---
function box(n) { return n === 4 ? [2, 2] : n === 6 ? [2, 3] : [3, 3]; }

function buildSudoku(n) {
  size = n;
  const grid = $("sudoku-grid");
  grid.style.gridTemplateColumns = `repeat(${n}, 1fr)`;
  grid.innerHTML = "";
  const [bh, bw] = box(n);
  cells = [];
  for (let i = 0; i < n * n; i++) {
    const r = Math.floor(i / n), c = i % n;
    const input = document.createElement("input");
    input.className = "cell" + ((c + 1) % bw === 0 && c < n - 1 ? " box-right" : "") + ((r + 1) % bh === 0 && r < n - 1 ? " box-bottom" : "");
    input.inputMode = "numeric";
    input.maxLength = 1;
    input.autocomplete = "off";
    input.setAttribute("aria-label", `row ${r + 1}, column ${c + 1}`);
    input.addEventListener("keydown", e => cellKey(e, i));
    input.addEventListener("input", () => { const v = input.value.replace(/[^1-9]/g, "").slice(-1); input.value = Number(v) <= n ? v : ""; syncText(); });
    grid.appendChild(input);
    cells.push(input);
  }
  syncText();
}

function cellKey(e, i) {
  const n = size, moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -n, ArrowDown: n };
  if (e.key in moves) { const j = i + moves[e.key]; if (j >= 0 && j < n * n) cells[j].focus(); e.preventDefault(); return; }
  if (e.key === "Enter") { solve(); e.preventDefault(); return; }
  if (/^[1-9]$/.test(e.key) && Number(e.key) <= n) { cells[i].value = e.key; syncText(); if (i + 1 < n * n) cells[i + 1].focus(); e.preventDefault(); return; }
  if (e.key === "0" || e.key === "." || e.key === " ") { cells[i].value = ""; syncText(); if (i + 1 < n * n) cells[i + 1].focus(); e.preventDefault(); return; }
  if (e.key === "Backspace" && !cells[i].value && i > 0) { cells[i - 1].value = ""; cells[i - 1].focus(); syncText(); e.preventDefault(); }
}

function syncText() { $("puzzle-text").value = cells.map(c => c.value || ".").join(""); }

function fromText() {
  const text = $("puzzle-text").value.replace(/\s/g, "");
  cells.forEach((c, i) => { const ch = text[i] || "."; c.value = /[1-9]/.test(ch) && Number(ch) <= size ? ch : ""; });
}

// --- Maze: a grid of cells drawn by tapping or with the keyboard, kept equal to the text box ---
const mazeCycle = { " ": "#", "#": "S", "S": "G", "G": " " };
const mazeKeys = { "#": "#", "w": "#", "W": "#", " ": " ", ".": " ", "s": "S", "S": "S", "g": "G", "G": "G" };

function buildMaze(n) {
  size = n;
  const grid = $("maze-grid");
  grid.style.gridTemplateColumns = `repeat(${n}, 1fr)`;
  grid.innerHTML = "";
  cells = [];
  for (let i = 0; i < n * n; i++) {
    const div = document.createElement("div");
    div.tabIndex = i === 0 ? 0 : -1;
    div.setAttribute("role", "gridcell");
    div.addEventListener("click", () => { setMazeCell(i, mazeCycle[div.dataset.cell]); div.focus(); });
    div.addEventListener("keydown", e => mazeKey(e, i));
    grid.appendChild(div);
    cells.push(div);
  }
  cells.forEach((_, i) => setMazeCell(i, " ", false));
  syncMazeText();
}

function setMazeCell(i, ch, sync = true) {
  const div = cells[i], r = Math.floor(i / size), c = i % size;
  div.dataset.cell = ch;
  div.className = "cell" + ({ "#": " wall", "S": " start", "G": " goal" }[ch] || "");
  div.textContent = ch === "S" || ch === "G" ? ch : "";
  div.setAttribute("aria-label", `row ${r + 1}, column ${c + 1}: ${{ "#": "wall", "S": "start", "G": "goal" }[ch] || "open"}`);
  if (sync) syncMazeText();
}

function mazeKey(e, i) {
  const n = size, moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -n, ArrowDown: n };
  const go = j => { if (j >= 0 && j < n * n) { cells[i].tabIndex = -1; cells[j].tabIndex = 0; cells[j].focus(); } };
  if (e.key in moves) { go(i + moves[e.key]); e.preventDefault(); return; }
  if (e.key === "Enter") { solve(); e.preventDefault(); return; }
  if (e.key in mazeKeys) { setMazeCell(i, mazeKeys[e.key]); go(i + 1); e.preventDefault(); }
}

function syncMazeText() {
  const rows = [];
  for (let r = 0; r < size; r++) rows.push(cells.slice(r * size, (r + 1) * size).map(c => c.dataset.cell).join(""));
  $("maze-text").value = rows.join("\n");
}

function mazeFromText() {
  const rows = $("maze-text").value.split("\n");
  cells.forEach((_, i) => { const ch = (rows[Math.floor(i / size)] || "")[i % size] || " "; setMazeCell(i, ch in mazeCycle ? ch : " ", false); });
}

// --- drawing answers ---
function drawSudoku(answer, changed, puzzle) {
  const target = $("answer"), n = size, [bh, bw] = box(n);
  target.style.gridTemplateColumns = `repeat(${n}, 1fr)`;
  target.innerHTML = "";
  target.dataset.answer = answer;
  [...answer].forEach((ch, i) => {
    const r = Math.floor(i / n), c = i % n, div = document.createElement("div");
    div.className = "cell" + (puzzle[i] !== "." ? " given" : "") + (changed.has(i) ? " changed" : "") +
      ((c + 1) % bw === 0 && c < n - 1 ? " box-right" : "") + ((r + 1) % bh === 0 && r < n - 1 ? " box-bottom" : "");
    div.textContent = ch === "." ? "" : ch;
    target.appendChild(div);
  });
}

function drawMaze(rows, changed) {
  const target = $("answer"), n = rows.length;
  target.style.gridTemplateColumns = `repeat(${n}, 1fr)`;
  target.innerHTML = "";
  target.dataset.answer = rows.join("\n");
  rows.join("").split("").forEach((ch, i) => {
    const div = document.createElement("div");
    div.className = "cell" + ({ "#": " wall", "o": " path", "S": " start", "G": " goal" }[ch] || "") + (changed.has(i) ? " changed" : "");
    div.textContent = ch === "S" || ch === "G" ? ch : "";
    target.appendChild(div);
  });
}

function drawArc(grid) {
  const target = $("answer");
  target.dataset.answer = JSON.stringify(grid);
  target.style.gridTemplateColumns = `repeat(${grid[0] ? grid[0].length : 1}, 1fr)`;
  const colours = ["#000", "#0074d9", "#ff4136", "#2ecc40", "#ffdc00", "#aaa", "#f012be", "#ff851b", "#7fdbff", "#870c25"];
  target.innerHTML = "";
  grid.flat().forEach(v => { const div = document.createElement("div"); div.className = "cell"; div.style.background = colours[v] || "#fff"; target.appendChild(div); });
}

function draw(answer, changed) {
  if (model.kind === "sudoku") drawSudoku(answer, new Set(changed), $("puzzle-text").value);
  else if (model.kind === "maze") drawMaze(answer, new Set(changed));
  else drawArc(answer);
}

// --- solving, streamed ---
async function body() {
  const request = {};
  const steps = $("max-steps").value;
  if (steps) request.max_steps = Number(steps);
  request.adaptive = $("adaptive").checked;
  const trajectories = Number($("trajectories").value || 1);
  if (trajectories > 1) { request.trajectories = trajectories; request.noise = Number($("noise").value || 0.3); request.select = "vote"; }
  if (model.kind === "sudoku") { syncText(); request.puzzle = $("puzzle-text").value; }
  else if (model.kind === "maze") request.puzzle = $("maze-text").value;
  else {
    const file = $("arc-file").files[0];
    if (!file) throw new Error("choose a task file first");
    request.puzzle = JSON.parse(await file.text());
    request.task_id = $("arc-task-id").value.trim() || file.name.replace(/\.json$/, "");
  }
  return JSON.stringify(request);
}

async function solve() {
  if (solving || !model) return;
  solving = true;
  $("solve").disabled = true;
  $("steps").innerHTML = "";
  $("answer").innerHTML = "";
  delete $("answer").dataset.answer;
  setStatus("solving…");
  try {
    const response = await api("/v1/solve/stream", { method: "POST", body: await body() });
    if (!response.ok) { setStatus(await problemText(response), "bad"); return; }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = (chunk.match(/^event: (.*)$/m) || [])[1], data = (chunk.match(/^data: (.*)$/m) || [])[1];
        if (name && data) onEvent(name, JSON.parse(data));
      }
    }
  } catch (e) {
    setStatus("could not solve: " + e.message, "bad");
  } finally {
    solving = false;
    $("solve").disabled = false;
  }
}

function onEvent(name, data) {
  if (name === "step") {
    draw(data.answer, data.changed);
    const li = document.createElement("li");
    li.textContent = `step ${data.step}: ${data.changed.length} cells changed, confidence ${(100 * data.halt_probability).toFixed(1)} %`;
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = (4 * data.halt_probability).toFixed(2) + "rem";
    li.appendChild(bar);
    $("steps").appendChild(li);
    setStatus(`step ${data.step}…`);
  } else if (name === "result") {
    if (data.answer !== undefined) { const shown = $("answer").dataset.answer; if (shown === undefined || data.runs) draw(data.answer, []); }   // with runs, the chosen one's
    const why = { q_head: "the Q head said done", step_cap: "reached the step cap", fixed_steps: "fixed steps" }[data.stopped];
    let verdict = data.solved === true ? "valid: a correct solution" : data.solved === false ? "not a solution: " + data.problem : "answered";
    if (data.runs) verdict += ` · chosen among ${data.runs.reduce((n, r) => n + r.runs, 0)} runs (${data.runs.length} distinct answers; the steps shown are the first run's)`;
    setStatus(`${verdict} · ${data.steps_used} of at most ${data.max_steps} steps (${why}; confidence ${(100 * data.halt_probability).toFixed(1)} %)`,
      data.solved === true ? "good" : data.solved === false ? "bad" : "");
    $("answer").dataset.final = typeof data.answer === "string" ? data.answer : JSON.stringify(data.answer);
    if (model.kind === "arc" && data.tests) drawArc(data.tests[0].attempt_1);
  } else if (name === "error") {
    setStatus((data.field ? data.field + ": " : "") + data.detail, "bad");
  }
}

async function generate() {
  const response = await api("/v1/example");
  if (!response.ok) { setStatus(await problemText(response), "bad"); return; }
  const { puzzle } = await response.json();
  if (model.kind === "sudoku") { $("puzzle-text").value = puzzle; fromText(); cells[0].focus(); }
  else { $("maze-text").value = puzzle; mazeFromText(); }
  setStatus("a new puzzle: press Solve.");
}

function clear() {
  if (model.kind === "sudoku") { cells.forEach(c => c.value = ""); syncText(); cells[0].focus(); }
  else if (model.kind === "maze") { cells.forEach((_, i) => setMazeCell(i, " ", false)); syncMazeText(); cells[0].focus(); }
  $("answer").innerHTML = "";
  $("steps").innerHTML = "";
  setStatus("Enter a puzzle and press Solve.");
}

document.addEventListener("DOMContentLoaded", () => {
  $("solve").addEventListener("click", solve);
  $("generate").addEventListener("click", generate);
  $("clear").addEventListener("click", clear);
  $("puzzle-text").addEventListener("input", fromText);
  $("puzzle-text").addEventListener("keydown", e => { if (e.key === "Enter") solve(); });
  $("maze-text").addEventListener("input", mazeFromText);
  $("api-key").addEventListener("change", () => { if (!model) loadModel(); });
  loadModel();
});
