// The playground's UI: reads the page's config, keeps one state object (state.js), runs the maths
// (nn.js), draws. Every value reaches the page through textContent or SVG attributes, never HTML.
import * as nn from "./nn.js";
import { LIMITS, SLIDER, fromQuery, initial, parseNumber, toQuery } from "./state.js";

const RATE = 1500; // epochs per second while training
const CHUNK_MS = 500; // reduced motion: one jump this often
const DIVERGED = 1e12; // a loss above this counts as diverged
const HISTORY = 2000; // loss points kept (older ones thinned)
const NEURON = ["⁽¹⁾", "⁽²⁾"]; // neuron j of the hidden layer, a superscript (notation of page 01)
const NAMES = { w1: "w₁", b1: "b₁", w2: "w₂", b2: "b₂" };
const SVGNS = "http://www.w3.org/2000/svg";

const MINUS = "\u2212";
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** A number as the site prints it (snippets/book/numbers.py `value`): d decimals, or
 * m × 10ⁿ when those would show no digit; a real minus sign, never "−0.0000". */
export function fmt(v, d = 4) {
  if (v !== 0 && Math.abs(v) < Number(`1e-${d}`)) {
    const [m, e] = v.toExponential(1).split("e");
    const power = String(Number(e)).replace(/./g, (c) => SUPERSCRIPT[c]);
    return `${m.replace("-", MINUS)} × 10${power}`;
  }
  const t = v.toFixed(d);
  return (Number(t) === 0 ? t.replace("-", "") : t).replace("-", MINUS);
}

/** A value substituted into a formula: negative values in brackets. */
const put = (v, d = 4) => (v < 0 ? `(${fmt(v, d)})` : fmt(v, d));

function el(tag, attrs = {}, parent = null, text = null) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== null) e.textContent = text;
  if (parent) parent.append(e);
  return e;
}

function init(root) {
  root.dataset.ready = "1";
  const config = JSON.parse(document.getElementById("playground-config").textContent);
  const xs = config.x;
  const $ = (sel) => root.querySelector(sel);
  const out = (name) => $(`[data-out="${name}"]`);
  const reduced = matchMedia("(prefers-reduced-motion: reduce)");
  let s = fromQuery(location.search, config);
  let timer = 0;
  let frames = 0;

  // ---- Fields: a slider and an exact number box per weight, typed values validated ----
  function field(parent, id, label, { get, set, limits, slider }) {
    const row = el("div", { class: "pg-field" }, parent);
    el("label", { for: `${id}-n` }, row, label);
    const range = slider && el("input", { type: "range", id: `${id}-r`, min: slider[0], max: slider[1], step: 0.01, "aria-label": `${label} slider` }, row);
    const box = el("input", { type: "number", id: `${id}-n`, step: "any", inputmode: "decimal", "aria-describedby": `${id}-e` }, row);
    const err = el("span", { class: "pg-error", id: `${id}-e` }, row);
    const show = () => {
      if (range) range.value = get();
      if (document.activeElement !== box) box.value = Math.round(get() * 1e6) / 1e6;
    };
    range?.addEventListener("input", () => { set(Number(range.value)); clear(); changed(); });
    box.addEventListener("input", () => {
      const r = box.validity.badInput ? { error: "That is not a number." } : parseNumber(box.value, limits);
      if ("error" in r) {
        err.textContent = `${r.error} Keeping ${fmt(get(), 4)}.`;
        box.setAttribute("aria-invalid", "true");
        return;
      }
      set(r.value);
      clear();
      if (range) range.value = r.value;
      changed();
    });
    function clear() { err.textContent = ""; box.removeAttribute("aria-invalid"); }
    box.addEventListener("change", () => { if (!box.hasAttribute("aria-invalid")) show(); });
    show();
    return show;
  }

  let shows = [];
  function buildFields() {
    const weights = out("weights");
    weights.replaceChildren();
    shows = [];
    for (const k of ["w1", "b1", "w2"]) {
      s.params[k].forEach((_, j) => {
        const label = s.width > 1 ? `${NAMES[k]}${NEURON[j]}` : NAMES[k];
        shows.push(field(weights, `pg-${k}-${j}`, label, { get: () => s.params[k][j], set: (v) => (s.params[k][j] = v), limits: LIMITS.weight, slider: SLIDER.weight }));
      });
    }
    shows.push(field(weights, "pg-b2", NAMES.b2, { get: () => s.params.b2, set: (v) => (s.params.b2 = v), limits: LIMITS.weight, slider: SLIDER.weight }));
    out("lr").replaceChildren();
    shows.push(field(out("lr"), "pg-lr", "learning rate η", { get: () => s.lr, set: (v) => (s.lr = v), limits: LIMITS.lr, slider: SLIDER.lr }));
    out("data").replaceChildren();
    xs.forEach((x, k) => shows.push(field(out("data"), `pg-y-${k}`, `y at x = ${x}`, { get: () => s.ys[k], set: (v) => (s.ys[k] = v), limits: LIMITS.y })));
    $('[data-input="width"]').value = s.width;
  }
  const showFields = () => shows.forEach((show) => show());

  // ---- Training ----
  function runEpochs(n) {
    for (let k = 0; k < n; k++) {
      const next = nn.epoch(s.params, xs, s.ys, s.lr);
      const ok = [next.loss, ...next.params.w1, ...next.params.b1, ...next.params.w2, next.params.b2].every(Number.isFinite);
      if (!ok || next.loss > DIVERGED || nn.meanLoss(next.params, xs, s.ys) > DIVERGED) {
        stop(`Training stopped at epoch ${s.epoch}: the loss diverged (it grew past 10¹²). Lower the learning rate η, or press Reset.`);
        return;
      }
      record(next.loss);
      s.params = next.params;
      s.epoch++;
    }
  }
  function record(loss) {
    if (s.epoch % s.stride === 0) s.history.push(loss);
    if (s.history.length > HISTORY) {
      s.history = s.history.filter((_, k) => k % 2 === 0);
      s.stride *= 2;
    }
  }
  function start() {
    s.running = true;
    s.phase = 0;
    s.message = "";
    out("status").setAttribute("aria-live", "off"); // no announcement per frame
    let last = performance.now();
    let due = 0;
    const tick = (now) => {
      if (!s.running) return;
      due += (RATE * Math.min(now - last, 100)) / 1000;
      last = now;
      runEpochs(Math.floor(due));
      due -= Math.floor(due);
      frames++;
      render();
      if (s.running) timer = requestAnimationFrame(tick);
    };
    const chunk = () => {
      if (!s.running) return;
      runEpochs((RATE * CHUNK_MS) / 1000);
      frames++;
      render();
      if (s.running) timer = setTimeout(chunk, CHUNK_MS);
    };
    if (reduced.matches) chunk(); else timer = requestAnimationFrame(tick);
    render();
  }
  function stop(message = "") {
    s.running = false;
    cancelAnimationFrame(timer);
    clearTimeout(timer);
    s.message = message;
    out("status").setAttribute("aria-live", "polite");
    render();
    share();
  }
  function phaseStep() {
    if (s.running) stop();
    s.message = "";
    s.phase = (s.phase % 5) + 1;
    if (s.phase === 5) {
      s.before = s.params;
      runEpochs(1);
    }
    render();
    if (s.phase === 5) share();
  }
  const PHASES = [
    null,
    "1 of 5 · Forward pass: z₁ = w₁·x + b₁, a₁ = σ(z₁), ŷ = w₂·a₁ + b₂ for every point.",
    "2 of 5 · Loss: ½(ŷ − y)² for every point, and their mean.",
    "3 of 5 · Per-point gradients: the chain rule from each point's loss back to every weight.",
    "4 of 5 · Average: the mean of the four points' gradients.",
    "5 of 5 · Update: every weight moves by −η × its average gradient.",
  ];

  // ---- Drawing ----
  const fit = $('[data-chart="fit"]');
  const lossChart = $('[data-chart="loss"]');
  const BOX = { l: 36, r: 312, t: 10, b: 190 };
  function axes(svg, [x0, x1], [y0, y1], xticks, yticks, xlabel) {
    svg.replaceChildren();
    const X = (x) => BOX.l + ((x - x0) / (x1 - x0)) * (BOX.r - BOX.l);
    const Y = (y) => BOX.b - ((y - y0) / (y1 - y0)) * (BOX.b - BOX.t);
    const g = el("svg:g", { class: "pg-axes" }, svg);
    el("svg:path", { d: `M${BOX.l},${BOX.t}V${BOX.b}H${BOX.r}` }, g);
    for (const t of xticks) el("svg:text", { x: X(t), y: BOX.b + 14, "text-anchor": "middle" }, g, String(t));
    for (const [t, label] of yticks) {
      el("svg:line", { x1: BOX.l, x2: BOX.r, y1: Y(t), y2: Y(t), class: "pg-grid" }, g);
      el("svg:text", { x: BOX.l - 4, y: Y(t) + 3, "text-anchor": "end" }, g, label ?? fmt(t, 1));
    }
    el("svg:text", { x: (BOX.l + BOX.r) / 2, y: BOX.b + 22, "text-anchor": "middle" }, g, xlabel);
    return { X, Y };
  }
  function drawFit(yHat) {
    const grid = Array.from({ length: 161 }, (_, k) => 0.5 + k / 40);
    const curve = nn.forward(s.params, grid).yHat;
    const all = [...s.ys, ...yHat].filter(Number.isFinite);
    const lo = Math.max(-6, Math.min(-0.25, ...all) - 0.1);
    const hi = Math.min(6, Math.max(1.25, ...all) + 0.1);
    const ticks = [Math.ceil(lo * 2) / 2];
    while (ticks.at(-1) + 0.5 <= hi) ticks.push(ticks.at(-1) + 0.5);
    const { X, Y } = axes(fit, [0.5, 4.5], [lo, hi], xs, ticks.filter((_, k) => ticks.length < 8 || k % 2 === 0).map((t) => [t]), "x");
    const clip = (y) => Math.max(BOX.t, Math.min(BOX.b, Y(y)));
    el("svg:polyline", { class: "pg-curve", points: grid.map((x, k) => `${X(x).toFixed(1)},${clip(curve[k]).toFixed(1)}`).join(" ") }, fit);
    s.ys.forEach((y, k) => {
      const c = el("svg:circle", { class: "pg-point", cx: X(xs[k]), cy: Y(y), r: 7 }, fit);
      c.addEventListener("pointerdown", (e) => drag(e, k, Y, lo, hi));
    });
  }
  function drag(e, k, Y, lo, hi) {
    e.preventDefault();
    const pt = fit.createSVGPoint();
    const move = (ev) => {
      pt.x = ev.clientX;
      pt.y = ev.clientY;
      const y = pt.matrixTransform(fit.getScreenCTM().inverse()).y;
      const value = lo + ((BOX.b - y) / (BOX.b - BOX.t)) * (hi - lo);
      s.ys[k] = Math.round(Math.max(LIMITS.y[0], Math.min(LIMITS.y[1], value)) * 100) / 100;
      changed();
    };
    const up = () => { removeEventListener("pointermove", move); removeEventListener("pointerup", up); share(); };
    addEventListener("pointermove", move);
    addEventListener("pointerup", up);
  }
  function drawLoss() {
    const log = $('[data-input="log"]').checked;
    const h = s.history.length ? s.history : [nn.meanLoss(s.params, xs, s.ys)];
    const f = log ? (v) => Math.log10(Math.max(v, 1e-300)) : (v) => v;
    const vs = h.map(f);
    let lo = Math.min(...vs);
    let hi = Math.max(...vs);
    if (!log) lo = 0;
    if (hi - lo < 1e-9) hi = lo + 1;
    const ticks = log
      ? [Math.floor(lo), Math.ceil(hi)].map((t) => [t, `10^${t}`.replace("-", "\u2212")])
      : [[lo, "0"], [hi, fmt(hi, 3)]];
    const n = Math.max(h.length - 1, 1);
    const { X, Y } = axes(lossChart, [0, n * s.stride], log ? [Math.floor(lo), Math.ceil(hi)] : [lo, hi], [0, n * s.stride], ticks, "epoch");
    el("svg:polyline", { class: "pg-curve", points: vs.map((v, k) => `${X(k * s.stride).toFixed(1)},${Y(v).toFixed(1)}`).join(" ") }, lossChart);
    lossChart.dataset.scale = log ? "log" : "linear";
  }

  // ---- Tables and formulas ----
  function rows(tbody, data, cls = () => "") {
    tbody.replaceChildren();
    for (const cells of data) {
      const tr = el("tr", { class: cls(cells) }, tbody);
      cells.forEach((c, k) => el(k ? "td" : "th", k ? {} : { scope: "row" }, tr, c));
    }
  }
  function render() {
    const fwd = nn.forward(s.params, xs);
    const pointLoss = nn.losses(fwd.yHat, s.ys);
    const loss = nn.meanLoss(s.params, xs, s.ys);
    const back = nn.backward(s.params, xs, s.ys, fwd);
    const avg = nn.average(back.grads);
    root.dataset.phase = s.phase;
    root.dataset.running = s.running;
    root.dataset.epoch = s.epoch;
    root.dataset.frames = frames;
    $('[data-action="train"]').textContent = s.running ? "Pause" : "Train";
    out("epoch").textContent = s.epoch;
    out("status").textContent = `Loss: ${fmt(loss)}`;
    out("message").textContent = s.message;
    if (s.phase) out("phase").textContent = `Step phase ${PHASES[s.phase]}`;
    rows(out("points"), xs.map((x, k) => [String(x), fmt(fwd.yHat[k]), fmt(s.ys[k], 2), fmt(pointLoss[k])]));
    const keys = ["w1", "b1", "w2"].flatMap((k) => s.params[k].map((_, j) => [k, j]));
    const head = ["x", ...keys.map(([k, j]) => `∂L/∂${NAMES[k]}${s.width > 1 ? NEURON[j] : ""}`), "∂L/∂b₂"];
    rows(out("grad-head"), [head]);
    const g = back.grads;
    rows(out("grads"), [...xs.map((x, k) => [String(x), ...keys.map(([n, j]) => fmt(g[n][k][j])), fmt(g.b2[k])]),
      ["average", ...keys.map(([n, j]) => fmt(avg[n][j])), fmt(avg.b2)]], (c) => (c[0] === "average" ? "ph-4" : "ph-3"));
    const k = Number($('[data-input="point"]').value || 0);
    const x = xs[k];
    const z = fwd.z1[k];
    const a = fwd.a1[k];
    const lines = [];
    z.forEach((zj, j) => {
      const sub = s.width > 1 ? `₁${NEURON[j]}` : "₁";
      lines.push(`z${sub} = w${sub}·x + b${sub} = ${put(s.params.w1[j])}·${x} + ${put(s.params.b1[j])} = ${fmt(zj)}`);
      lines.push(`a${sub} = σ(z${sub}) = ${fmt(a[j])}`);
    });
    const n = (j) => (s.width > 1 ? NEURON[j] : "");
    lines.push(`ŷ = ${a.map((_, j) => `w₂${n(j)}·a₁${n(j)}`).join(" + ")} + b₂ = ${fmt(fwd.yHat[k])}`);
    lines.push(`L = ½(ŷ − y)² = ½(${fmt(fwd.yHat[k])} − ${put(s.ys[k], 2)})² = ${fmt(pointLoss[k])}`);
    out("formulas").replaceChildren(...lines.map((t) => el("li", {}, null, t)));
    const upd = s.phase === 5 && s.before
      ? keys.map(([n, j]) => `${NAMES[n]}${s.width > 1 ? NEURON[j] : ""}: ${fmt(s.before[n][j])} → ${fmt(s.params[n][j])}`).concat(`b₂: ${fmt(s.before.b2)} → ${fmt(s.params.b2)}`)
      : [];
    out("update").replaceChildren(...upd.map((t) => el("li", {}, null, t)));
    drawFit(fwd.yHat);
    drawLoss();
    showFields();
  }
  function share() {
    const url = toQuery(s) + location.hash;
    history.replaceState(history.state, "", url);
    out("share").setAttribute("href", url);
  }
  function changed() {
    s.phase = 0;
    render();
    if (!s.running) share();
  }

  // ---- Wiring ----
  const sel = $('[data-input="point"]');
  xs.forEach((x, k) => el("option", { value: k }, sel, `x = ${x}`));
  sel.addEventListener("change", render);
  $('[data-input="log"]').addEventListener("change", render);
  $('[data-input="width"]').addEventListener("change", (e) => {
    stop();
    s = { ...initial(config, Number(e.target.value)), ys: s.ys, lr: s.lr };
    buildFields();
    changed();
  });
  const actions = {
    train: () => (s.running ? stop() : start()),
    step: () => { stop(); runEpochs(1); s.phase = 0; render(); share(); },
    phase: phaseStep,
    reset: () => { stop(); s = { ...initial(config, s.width), ys: s.ys, lr: s.lr }; changed(); },
    "reset-data": () => { s.ys = [...config.y]; changed(); },
  };
  root.addEventListener("click", (e) => {
    const action = e.target.closest("[data-action]")?.dataset.action;
    if (action) actions[action]();
  });
  buildFields();
  render();
  share();
}

function boot() {
  const root = document.getElementById("playground");
  if (root && !root.dataset.ready) init(root);
}
// With Material's instant navigation, pages are swapped without reloading scripts.
if (window.document$) window.document$.subscribe(boot);
else boot();
