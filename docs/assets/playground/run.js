// Training: epochs at the chosen speed, at most one drawing per display frame; Step and Step
// phase; when a run has diverged, stop and say what to do. Every epoch counted is one applied.
import { count, cost as costText } from "./format.js";
import { say } from "./fields.js";
import * as nn from "./nn.js";
import { SPEEDS } from "./state.js";

const DIVERGED = 1e6; // a cost this large, and …
const FACTOR = 1e3; // … this many times the cost where the run began, has diverged; so has …
const GROWTH = 500; // … one that rose this many epochs in a row (healthy runs: < 130)
const HISTORY = 2000; // costs kept for the chart
const FRAME_MS = 12; // flat out: a frame's training and drawing
const CHUNK_MS = 500; // reduced motion: at most one drawing this often

/** Epochs for pg's state: train(n, until), commit(walked epoch), each recorded for the charts;
 * `stop(message)` ends a run. */
function epochs(pg, stop) {
  function record(cost, params) {
    const s = pg.s;
    if (s.epoch % s.stride) return;
    s.history.push(cost);
    s.path.push(nn.flat(params));
    if (s.history.length > HISTORY) {
      s.history = s.history.filter((_, k) => k % 2 === 0);
      s.path = s.path.filter((_, k) => k % 2 === 0);
      s.stride *= 2;
    }
  }
  /** Why this cost, reached by this run's steps, means the run diverged (or null). */
  function judge(cost) {
    const s = pg.s;
    s.rising = cost > s.last ? s.rising + 1 : 0;
    s.last = cost;
    if (!Number.isFinite(cost)) return "nan";
    if (cost >= DIVERGED && cost >= FACTOR * s.base) return "reached";
    return s.rising >= GROWTH ? "risen" : null;
  }
  function diverged(why, cost) {
    const s = pg.s;
    const [from, lr, start] = [costText(s.base), String(s.lr), String(s.origin.lr)];
    const vars = { epoch: count(s.epoch), from, cost: costText(cost), n: count(GROWTH), lr, start };
    stop(`${say(why, vars)} ${say(s.origin.lr < s.lr ? "advice" : "advice-same", vars)}`);
    return false;
  }
  const finite = (p) => nn.flat(p).every(Number.isFinite);
  return {
    /** Up to n epochs, or until the clock passes `until`; false once the run stopped. */
    train(n, until = Infinity) {
      const s = pg.s;
      const o = pg.opt();
      for (let k = 0; k < n; k++) {
        if (s.toEpoch && s.epoch >= s.stopAt) return (stop(), false);
        if ((k & 63) === 0 && performance.now() > until) break;
        const e = nn.epoch(s.params, pg.xs, s.ys, o, s.memory);
        const why = s.epoch > s.began ? judge(e.cost) : null; // once this run has stepped
        if (why || !finite(e.params)) return diverged(why ?? "nan", e.cost);
        record(e.cost, s.params);
        Object.assign(s, { params: e.params, memory: e.memory, epoch: s.epoch + 1 });
      }
      if (s.toEpoch && s.epoch >= s.stopAt) return (stop(), false);
      return true;
    },
    /** Apply a walked epoch's step, unless it leaves the numbers a computer holds. */
    commit(v) {
      const s = pg.s;
      if (!finite(v.next.params)) return diverged("nan", v.cost);
      record(v.cost, v.params);
      Object.assign(s, { params: v.next.params, memory: v.next.memory, epoch: s.epoch + 1 });
      return true;
    },
  };
}

/** The clock of a run: display frames, or with reduced motion a jump every half second. */
function clock(pg, train) {
  const reduced = matchMedia("(prefers-reduced-motion: reduce)");
  const every = () => Math.max(CHUNK_MS, 1000 / SPEEDS[pg.s.speed]); // 1 epoch/s: one a second
  let timer = 0;
  /** As many epochs as the speed allows in the time since the last frame. */
  function frames() {
    let [last, due, drawing] = [performance.now(), 0, 4]; // drawing: ms a draw takes, averaged
    const tick = (now) => {
      const rate = SPEEDS[pg.s.speed];
      if (rate === Infinity) train(Infinity, performance.now() + Math.max(2, FRAME_MS - drawing));
      else {
        due += (rate * Math.min(now - last, 100)) / 1000;
        const n = Math.floor(due);
        due -= n;
        train(n);
      }
      last = now;
      const t = performance.now();
      pg.draw();
      drawing = 0.8 * drawing + 0.2 * (performance.now() - t);
      if (pg.s.running) timer = requestAnimationFrame(tick);
    };
    timer = requestAnimationFrame(tick);
  }
  function chunks() {
    const chunk = () => {
      const rate = SPEEDS[pg.s.speed];
      if (rate === Infinity) train(Infinity, performance.now() + 50);
      else train(Math.max(1, (rate * CHUNK_MS) / 1000));
      pg.draw();
      if (pg.s.running) timer = setTimeout(chunk, every());
    };
    timer = setTimeout(chunk, every());
  }
  return {
    go: () => (reduced.matches ? chunks : frames)(),
    halt: () => (cancelAnimationFrame(timer), clearTimeout(timer)),
  };
}

/** pg's training: start, stop, step, phase, runTo. */
export function trainer(pg) {
  let finished = null; // runTo's promise, resolved when the run stops
  const { train, commit } = epochs(pg, stop);
  const { go, halt } = clock(pg, train);
  function start(toEpoch) {
    const s = pg.s;
    stop();
    if (toEpoch && s.epoch >= s.stopAt) return stop(say("already", { epoch: count(s.epoch) }));
    const base = nn.cost(s.params, pg.xs, s.ys);
    Object.assign(s, { running: true, toEpoch, phase: 0, walk: null, message: "" });
    Object.assign(s, { base, last: base, rising: 0, began: s.epoch });
    pg.out("status").ariaLive = "off"; // no announcement per frame
    go();
  }
  /** Stop training; `message` becomes the alert. */
  function stop(message = "") {
    const s = pg.s;
    if (s.running) {
      s.running = false;
      halt();
      pg.out("status").ariaLive = "polite";
      pg.share();
    }
    s.message = message;
    pg.requestDraw();
    finished?.();
    finished = null;
  }
  /** The current epoch's values and the step it would take. */
  function walk() {
    const v = pg.compute(pg.s.params);
    v.next = nn.step(pg.s.params, v.avg, pg.opt(), pg.s.memory);
    return v;
  }
  function phase() {
    const s = pg.s;
    stop();
    if (s.phase % 5 === 0) s.walk = walk();
    s.phase = (s.phase % 5) + 1;
    if (s.phase === 5 && !commit(s.walk)) return pg.changed();
    pg.requestDraw();
    if (s.phase === 5) pg.share();
  }
  /** Run to epoch n at the fastest speed; resolves when the run stops (there, or earlier). */
  function runTo(n) {
    Object.assign(pg.s, { stopAt: n, speed: SPEEDS.length - 1 });
    return new Promise((resolve) => {
      start(true);
      if (pg.s.running) finished = resolve;
      else resolve();
    });
  }
  const step = () => (stop(), commit(walk()), pg.changed());
  return { start, stop, step, phase, runTo };
}
