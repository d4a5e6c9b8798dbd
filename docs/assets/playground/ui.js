// The controller: the config in, one state object (state.js), the maths (nn.js), and each view
// drawn at most once per display frame. Values reach the page as text or attributes, never HTML.
import { count, fmt, given, weightName } from "./format.js";
import * as nn from "./nn.js";
import { LIMITS, SLIDER, SPEEDS, fromQuery, initial, toQuery } from "./state.js";
import { el, field, say, setText } from "./fields.js";
import { fitChart, costChart } from "./chart.js";
import { diagram } from "./diagram.js";
import { landscape } from "./landscape.js";
import { epochTable, formulaLines } from "./tables.js";

const DIVERGED = 1e6; // a cost above this has diverged, and one that rose …
const GROWTH = 500; // … this many epochs in a row (healthy runs: < 130)
const HISTORY = 2000; // costs kept for the chart
const FRAME_MS = 12; // flat out: a frame's training and drawing
const CHUNK_MS = 500; // reduced motion: one jump this often
const MAP_MS = 3; // the landscape's share of a frame

function init(root) {
  root.dataset.ready = "1";
  const config = JSON.parse(document.getElementById("playground-config").textContent);
  nn.useArithmetic(config.exp);
  const xs = config.x;
  const $ = (sel) => root.querySelector(sel);
  const out = (name) => $(`[data-out="${name}"]`);
  const input = (name) => $(`[data-input="${name}"]`);
  const reduced = matchMedia("(prefers-reduced-motion: reduce)");
  let s = fromQuery(location.search, config);
  let [timer, frame, frames] = [0, 0, 0]; // the run's timer, the frame requested, frames drawn
  const opt = () => ({ name: s.optimiser, ...config.optimisers[s.optimiser], lr: s.lr });

  const net = diagram($(".pg-diagram"), (key) => setAxes(key === s.axes[0] ? s.axes : [key, s.axes[0]]));
  const fit = fitChart($('[data-chart="fit"]'), xs, dragPoint);
  const costView = costChart($('[data-chart="cost"]'), out("readout"), config);
  const map = landscape($(".pg-landscape"), xs, setAxes);
  const table = epochTable($(".pg-epoch"), xs);

  let shows = [];
  let builtWidth = 0;
  function buildFields() {
    builtWidth = s.width;
    const edited = () => (newRun(), changed());
    const [weights, data] = [out("weights"), out("data")];
    weights.replaceChildren();
    data.replaceChildren();
    shows = nn.keys(s.width).map(([k, j]) => field(weights, `pg-${k}-${j}`, weightName(k, j, s.width), () => (k === "b2" ? s.params : s.params[k]), k === "b2" ? k : j, LIMITS.weight, edited, { slider: SLIDER.weight }));
    xs.forEach((x, k) => shows.push(field(data, `pg-y-${k}`, `y at x = ${x}`, () => s.ys, k, LIMITS.y, edited)));
  }
  const random = () => restart({ start: "random" });
  const settings = [
    ["lr", "learning rate η", LIMITS.lr, changed, { slider: SLIDER.lr }],
    ["seed", "Seed", [0, config.normals.length - 1], random, { integer: true }],
    ["scale", "Scale", LIMITS.scale, random],
    ["stop", "Stop at epoch", LIMITS.epoch, requestDraw, { integer: true }, "stopAt"],
  ].map(([name, label, limits, then, kind, key = name]) => field(out(name), `pg-${name}`, label, () => s, key, limits, then, kind));

  function newRun() {
    stop();
    Object.assign(s, { epoch: 0, history: [], path: [], stride: 1, last: Infinity, rising: 0, phase: 0, walk: null, readout: null });
    s.memory = nn.memory(opt(), nn.flat(s.params).length);
  }
  /** Weights from a start; `choice` changes start, width, seed, scale or optimiser. */
  function restart(choice = {}) {
    stop();
    const keep = { ys: s.ys, speed: s.speed, stopAt: s.stopAt, parts: s.parts, log: s.log, point: s.point };
    if (!choice.optimiser) keep.lr = s.lr;
    const { axes } = s; // kept while the width is
    s = { ...initial(config, { start: s.start, width: s.width, seed: s.seed, scale: s.scale, optimiser: s.optimiser, ...choice }), ...keep };
    if (s.width === builtWidth) s.axes = axes;
    else buildFields();
    map.reset();
    changed();
  }
  function record(cost, params) {
    if (s.epoch % s.stride) return;
    s.history.push(cost);
    s.path.push(nn.flat(params));
    if (s.history.length > HISTORY) {
      s.history = s.history.filter((_, k) => k % 2 === 0);
      s.path = s.path.filter((_, k) => k % 2 === 0);
      s.stride *= 2;
    }
  }
  /** Is this epoch's cost divergence? If so, stop and say so. */
  function diverged(cost) {
    s.rising = cost > s.last ? s.rising + 1 : 0;
    s.last = cost;
    if (cost < DIVERGED && s.rising < GROWTH) return false;
    stop(say(cost < DIVERGED ? "risen" : "reached", { epoch: count(s.epoch), n: count(GROWTH), cost: fmt(cost) }));
    return true;
  }
  /** Train up to n epochs, or until the clock passes `until`. */
  function train(n, until = Infinity) {
    const o = opt();
    for (let k = 0; k < n && s.epoch !== s.target; k++) {
      if ((k & 63) === 0 && performance.now() > until) break;
      const e = nn.epoch(s.params, xs, s.ys, o, s.memory);
      if (!Number.isFinite(e.cost)) return stop(say("nan"));
      if (diverged(e.cost)) return;
      record(e.cost, s.params);
      Object.assign(s, { params: e.params, memory: e.memory, epoch: s.epoch + 1 });
    }
    if (s.epoch === s.target) stop();
  }
  function start(target = null) {
    if (target !== null && s.epoch >= target) return stop(say("already", { epoch: count(s.epoch) }));
    Object.assign(s, { running: true, target, phase: 0, walk: null, message: "" });
    out("status").ariaLive = "off"; // no announcement per frame
    const rate = SPEEDS[s.speed];
    if (reduced.matches) {
      const chunk = () => {
        if (rate === Infinity) train(Infinity, performance.now() + 50);
        else train((rate * CHUNK_MS) / 1000);
        draw();
        if (s.running) timer = setTimeout(chunk, CHUNK_MS);
      };
      timer = setTimeout(chunk, 0);
      return;
    }
    let last = performance.now();
    let due = 0;
    let drawing = 4; // ms a draw takes (average): training gets the rest
    const tick = (now) => {
      if (rate === Infinity) train(Infinity, performance.now() + Math.max(2, FRAME_MS - drawing));
      else {
        due += (rate * Math.min(now - last, 100)) / 1000;
        train(Math.floor(due));
        due -= Math.floor(due);
      }
      last = now;
      const t = performance.now();
      draw();
      drawing = 0.8 * drawing + 0.2 * (performance.now() - t);
      if (s.running) timer = requestAnimationFrame(tick);
    };
    timer = requestAnimationFrame(tick);
  }
  /** Stop training; `message` becomes the alert. */
  function stop(message = "") {
    if (s.running) {
      s.running = false;
      cancelAnimationFrame(timer);
      clearTimeout(timer);
      s.target = null;
      out("status").ariaLive = "polite";
      share();
    }
    s.message = message;
    requestDraw();
  }
  function walk() {
    const v = compute(s.params);
    v.next = nn.step(s.params, v.avg, opt(), s.memory);
    return v;
  }
  function commit(v) {
    if (!nn.flat(v.next.params).every(Number.isFinite)) return stop(say("nan")), false;
    record(v.cost, v.params);
    if (!diverged(v.cost)) Object.assign(s, { params: v.next.params, memory: v.next.memory, epoch: s.epoch + 1 });
    return true;
  }
  const compute = (p) => ({ ...nn.evaluate(p, xs, s.ys), xs, ys: [...s.ys], lr: s.lr, memory: s.memory, next: null });

  function requestDraw() {
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  }
  const lines = [];
  function draw() {
    root.dataset.frames = ++frames;
    const live = compute(s.params);
    const v = { ...(s.walk ?? live), phase: s.phase, point: s.point, axes: s.axes };
    Object.assign(root.dataset, { phase: s.phase, running: s.running, epoch: s.epoch });
    setText($('[data-action="train"]'), s.running && s.target === null ? "Pause" : "Train");
    setText($('[data-action="run-to"]'), s.running && s.target !== null ? "Pause" : "Run to epoch");
    setText(out("epoch"), count(s.epoch));
    setText(out("status"), `Cost C = ${fmt(live.cost)}`);
    setText(out("message"), s.message);
    setText(out("phase"), say(`phase${s.phase}`));
    table.draw(v);
    setText(out("formulas-title"), say(`title${s.phase}`, { x: given(xs[s.point]) }));
    const text = formulaLines(v, opt());
    while (lines.length < text.length) lines.push(el("li", {}, out("formulas")));
    while (lines.length > text.length) lines.pop().remove();
    lines.forEach((li, k) => setText(li, text[k]));
    net.draw(v);
    fit.draw(s.phase === 5 ? v.next.params : s.params, s.ys, s.parts);
    const pts = s.history.map((c, k) => [k * s.stride, c]);
    if (pts.at(-1)?.[0] !== s.epoch) pts.push([s.epoch, live.cost]);
    const readout = input("readout");
    readout.max = pts.length - 1;
    if (s.readout === null) readout.value = pts.length - 1;
    costView.draw(pts, s.log, s.readout === null ? null : Math.min(s.readout, pts.length - 1));
    map.update(s);
    for (const show of [...shows, ...settings]) show();
    for (const k of ["start", "width", "optimiser", "speed", "point"]) input(k).value = s[k];
    input("parts").checked = s.parts;
    input("log").checked = s.log;
    mapWork();
  }
  let mapFrame = 0;
  function mapWork() {
    mapFrame = 0;
    if (!map.work(performance.now() + MAP_MS) && !s.running) mapFrame ||= requestAnimationFrame(mapWork);
  }
  function share() {
    const url = toQuery(s) + location.hash;
    history.replaceState(history.state, "", url);
    out("share").setAttribute("href", url);
  }
  function changed() {
    s.phase = 0;
    s.walk = null;
    requestDraw();
    if (!s.running) share();
  }
  function setAxes(pair) {
    s.axes = pair;
    requestDraw();
  }
  function dragPoint(k, y, done) {
    if (y !== null) {
      s.ys[k] = Math.round(Math.max(LIMITS.y[0], Math.min(LIMITS.y[1], y)) * 100) / 100;
      newRun();
      changed();
    }
    if (done) share();
  }

  const options = (name, pairs) => pairs.forEach(([value, label]) => el("option", { value }, input(name), label));
  options("width", config.widths.map((w) => [w, String(w)]));
  options("optimiser", Object.entries(config.optimisers).map(([k, o]) => [k, o.label[0].toUpperCase() + o.label.slice(1)]));
  options("point", xs.map((x, k) => [k, `x = ${given(x)}`]));
  const on = (name, event, f) => input(name).addEventListener(event, (e) => f(e.target));
  on("start", "change", (t) => restart({ start: t.value }));
  on("width", "change", (t) => restart({ start: "random", width: Number(t.value) }));
  on("optimiser", "change", (t) => {
    s.optimiser = t.value;
    s.lr = config.optimisers[s.optimiser].lr;
    newRun();
    changed();
  });
  on("speed", "change", (t) => {
    s.speed = Number(t.value);
    if (s.running) restartRun(s.target);
  });
  const show = (key, value) => requestDraw((s[key] = value));
  for (const k of ["point", "readout"]) on(k, "input", (t) => show(k, Number(t.value)));
  for (const k of ["parts", "log"]) on(k, "change", (t) => show(k, t.checked));
  const chart = $('[data-chart="cost"]');
  chart.addEventListener("pointermove", (e) => show("readout", costView.nearest(e.clientX)));
  chart.addEventListener("pointerleave", () => show("readout", null));
  const restartRun = (target) => {
    stop();
    start(target);
  };
  const actions = {
    train: () => (s.running && s.target === null ? stop() : restartRun(null)),
    "run-to": () => (s.running && s.target !== null ? stop() : restartRun(s.stopAt)),
    step: () => (stop(), commit(walk()), changed()),
    phase: () => {
      stop();
      if (s.phase % 5 === 0) s.walk = walk();
      s.phase = (s.phase % 5) + 1;
      if (s.phase === 5 && !commit(s.walk)) changed();
      requestDraw();
      if (s.phase === 5) share();
    },
    reset: () => restart(),
    stuck: () => restart({ start: "random", ...config.stuck, optimiser: "gd" }),
    "reset-data": () => ((s.ys = [...config.y]), newRun(), changed()),
  };
  root.addEventListener("click", (e) => actions[e.target.closest("[data-action]")?.dataset.action]?.());
  buildFields();
  draw();
  share();
}

function boot() {
  const root = document.getElementById("playground");
  if (root && !root.dataset.ready) init(root);
}
// Material's instant navigation swaps pages without reloading scripts.
if (window.document$) window.document$.subscribe(boot);
else boot();
