// The controller: the one state (state.js), what each control does to it, a sentence for every
// change that replaces or keeps something the reader might not expect (in a polite live region,
// once per change), and the URL kept current. Values reach the page as text, never as HTML.
import { count, fmt, given } from "./format.js";
import { say, setText } from "./fields.js";
import * as nn from "./nn.js";
import { trainer } from "./run.js";
import { LIMITS, fromQuery, initial, toQuery } from "./state.js";

/** The playground's controller, `pg`: its state `pg.s` and everything that changes it. */
export function controller(root, config) {
  const $ = (sel) => root.querySelector(sel);
  const { s, notes } = fromQuery(location.search, config);
  const pg = {
    root,
    config,
    xs: config.x,
    s,
    $,
    out: (name) => $(`[data-out="${name}"]`),
    input: (name) => $(`[data-input="${name}"]`),
    opt: () => ({ name: pg.s.optimiser, ...config.optimisers[pg.s.optimiser], lr: pg.s.lr }),
    compute: (p) => {
      const { xs, s: st } = pg;
      return { ...nn.evaluate(p, xs, st.ys), xs, ys: [...st.ys], lr: st.lr, memory: st.memory };
    },
    draw: () => {}, // ui.js hands each view its frame
    rebuild: () => {}, // … and rebuilds the fields when the width changes
  };
  let frame = 0;
  pg.requestDraw = () => {
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      pg.draw();
    });
  };
  pg.note = (...sentences) => setText(pg.out("note"), sentences.filter(Boolean).join(" "));
  pg.share = () => {
    const url = toQuery(pg.s, config) + location.hash;
    history.replaceState(history.state, "", url);
    pg.out("share").setAttribute("href", url);
  };
  pg.changed = () => {
    Object.assign(pg.s, { phase: 0, walk: null });
    pg.requestDraw();
    if (!pg.s.running) pg.share();
  };
  Object.assign(pg, trainer(pg), starts(pg));
  Object.assign(pg, settings(pg));
  const { width, start, optimiser, seed, scale, lr, ys } = pg.s;
  const kept = { h: width, start, opt: optimiser, seed, scale, lr, y: ys.map(given).join(", ") };
  const weight = /^[wb][12]$/;
  const keptOf = (k) =>
    k in kept ? `${k}=${kept[k]}` : weight.test(k) ? "the start's weights" : "the default";
  const ignored = notes.map((n) => say("ignored", { ...n, kept: keptOf(n.key) }));
  pg.note(...ignored, pg.s.start === "linked" && pg.linkedSentence());
  return pg;
}

const capital = (t) => t[0].toUpperCase() + t.slice(1);
const listed = (ys) => ys.map(given).join(", ");

/** Runs and starts: a new run, a new start, Reset, the Start menu, the stuck start. */
function starts(pg) {
  const { config } = pg;
  const edited = () => pg.s.ys.some((y, k) => y !== config.y[k]);
  const keptData = () => edited() && say("kept-data", { ys: listed(pg.s.ys) });
  const hasMemory = () => Object.keys(nn.memory(pg.opt(), 1)).length > 0;
  const startName = () => {
    const { start, seed, scale, width, label } = pg.s;
    const option = pg.input("start").querySelector(`[value="${start}"]`).textContent;
    const detail = {
      random: ` (seed ${seed}, scale ${scale}, ${width} hidden)`,
      linked: ` (${label})`,
    };
    return option.toLowerCase() + (detail[start] ?? "");
  };
  const named = (key, vars) => say(key, { start: startName(), lr: String(pg.s.lr), ...vars });
  /** A new run from the weights as they are: epoch 0, a fresh memory, no history. */
  function newRun() {
    const s = pg.s;
    pg.stop();
    if (s.epoch > 0) pg.note(say("over"));
    Object.assign(s, { epoch: 0, history: [], path: [], stride: 1, phase: 0, walk: null });
    const memory = nn.memory(pg.opt(), nn.flat(s.params).length);
    Object.assign(s, { readout: null, message: "", memory });
    pg.changed();
  }
  /** A new start; `choice` changes start, width, seed, scale, optimiser, data or η. */
  function restart(choice = {}) {
    pg.stop();
    const old = pg.s;
    const { speed, stopAt, parts, log, point, more } = old;
    const c = { ...old, ...choice };
    if (c.start === "linked") Object.assign(c, { params: structuredClone(old.origin.params) });
    if (c.start === "linked") c.lr = choice.lr ?? old.origin.lr;
    else if (!("lr" in choice)) delete c.lr; // a named start's own η
    pg.s = Object.assign(initial(config, c), { speed, stopAt, parts, log, point, more });
    if (pg.s.width === old.width) pg.s.axes = old.axes;
    else pg.rebuild();
    pg.changed();
  }
  return {
    newRun,
    restart,
    /** Reset: the start's weights and η, epoch 0, a fresh memory; the data are kept. */
    reset() {
      restart();
      pg.note(named("reset", { memory: hasMemory() ? say("memory") : "" }), keptData());
    },
    /** A start from the Start menu, the seed or scale fields, or the width menu. */
    begin(choice, key = "start") {
      restart(choice);
      const { width: h, seed, scale } = pg.s;
      pg.note(key === "width" ? say("width", { h, seed, scale }) : capital(named(key)), keptData());
    },
    /** 09-starts.md's stuck start: it restores the lesson's data, as its name promises. */
    stuck() {
      const back = edited() && say("data-back", { ys: listed(pg.s.ys) });
      restart({ start: "random", ...config.stuck, ys: config.y });
      pg.note(capital(named("start")), back);
    },
    linkedSentence: () => say("linked", { from: pg.s.label, lr: String(pg.s.origin.lr) }),
  };
}

/** Settings: the optimiser and its η, the data by dragging, Stop at epoch. */
function settings(pg) {
  const { config } = pg;
  let clamped = null; // the value a drag was held at, within the limits
  return {
    /** Another optimiser: the weights stay, η stays, the run starts over with a fresh memory. */
    setOptimiser(name) {
      pg.s.optimiser = name;
      pg.newRun();
      const { label, lr: own } = config.optimisers[name];
      const vars = { name: label, lr: String(pg.s.lr), own: String(own) };
      pg.note(say(own === pg.s.lr ? "own-lr" : "optimiser", vars));
    },
    ownLr() {
      pg.s.lr = config.optimisers[pg.s.optimiser].lr;
      pg.changed();
    },
    /** A data point dragged to y (null: the drag ended). */
    drag(k, y, done) {
      const [lo, hi] = LIMITS.y;
      if (y !== null) {
        const held = Math.round(Math.max(lo, Math.min(hi, y)) * 100) / 100;
        if (held !== Math.round(y * 100) / 100) clamped = { k, held };
        pg.s.ys[k] = held;
        pg.newRun();
      }
      if (done && clamped) {
        const [name, value] = [`y at x = ${given(pg.xs[clamped.k])}`, given(clamped.held)];
        pg.note(say("clamped", { name, lo: fmt(lo, 0), hi: fmt(hi, 0), value }));
        clamped = null;
      }
      if (done) pg.share();
    },
    /** "Stop at epoch" edited: a run already past it stops now, and says so. */
    stopAtChanged() {
      const s = pg.s;
      if (s.running && s.toEpoch && s.epoch >= s.stopAt) {
        pg.stop();
        pg.note(say("passed", { stop: count(s.stopAt), epoch: count(s.epoch) }));
      }
      pg.share();
    },
  };
}
