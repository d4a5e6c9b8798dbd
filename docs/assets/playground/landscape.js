// View: the cost landscape, C over two weights (the others held), darker = lower, with training's
// path. The grid is computed a few rows at a time within a frame's budget (work).
import { fmt, weightName } from "./format.js";
import { niceTicks, tickLabel } from "./chart.js";
import { el, say, setText } from "./fields.js";
import { costOf, flat, keys } from "./nn.js";

export const N = 100; // grid cells per side
const BOX = { l: 46, r: 312, t: 8, b: 262 }; // in the 320 × 300 picture
// viridis: dark blue (low) … yellow (high)
const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const LUT = Array.from({ length: 256 }, (_, i) => {
  const t = (i / 255) * 4;
  const k = Math.min(Math.floor(t), 3);
  return STOPS[k].map((c, m) => Math.round(c + (STOPS[k + 1][m] - c) * (t - k)));
});

const names = (h) => keys(h).map(([k, j]) => (k === "b2" ? k : `${k}:${j}`)); // "w1:0", …, "b2"
const nameOf = (key, h) => weightName(key.split(":")[0], Number(key.split(":")[1] ?? 0), h);

/** Rows [from, to) of the n × n grid of costs over weights a (across) and b (up); row 0 on top. */
export function lossGrid(w, h, xs, ys, [a, b], [ra, rb], n, out, from = 0, to = n) {
  const v = Float64Array.from(w);
  for (let r = from; r < to; r++) {
    v[b] = rb[1] - ((r + 0.5) * (rb[1] - rb[0])) / n;
    for (let c = 0; c < n; c++) {
      v[a] = ra[0] + ((c + 0.5) * (ra[1] - ra[0])) / n;
      out[r * n + c] = costOf(v, h, xs, ys);
    }
  }
}

/** Picture coordinates for ranges [[lo, hi] across, [lo, hi] up]. */
const scales = ([ra, rb]) => [(v) => BOX.l + ((v - ra[0]) / (ra[1] - ra[0])) * (BOX.r - BOX.l), (v) => BOX.b - ((v - rb[0]) / (rb[1] - rb[0])) * (BOX.b - BOX.t)];

export function landscape(root, xs, onAxes) {
  const [canvas, svg, range] = ["canvas", "svg", "[data-out='map-range']"].map((q) => root.querySelector(q));
  const selects = ["x", "y"].map((a) => root.querySelector(`[data-input='axis-${a}']`));
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(N, N);
  const [axes, path, begin, now] = [["g", { class: "pg-axes" }], ["polyline", { class: "pg-path" }], ["circle", { class: "pg-path-start", r: 5 }], ["circle", { class: "pg-path-now", r: 5 }]].map(([t, a]) => el(`svg:${t}`, a, svg));
  const grid = new Float64Array(N * N);
  let width = 0;
  let [ranges, shown, axesKey, drawn] = [null, null, "", ""]; // the map's wanted and shown ranges, axes, key
  let [job, want, last] = [null, null, null]; // the grid being computed, the one wanted next, the path

  selects.forEach((select, k) =>
    select.addEventListener("change", () => {
      const pair = selects.map((s) => s.value);
      if (pair[0] === pair[1]) pair[1 - k] = names(width).find((key) => key !== pair[k]);
      onAxes(pair);
    }),
  );

  /** Each axis's range: path and weights with room around, kept while they stay inside. */
  const fit = (points, slots) =>
    slots.map((i, k) => {
      const lo = Math.min(...points.map((v) => v[i]));
      const hi = Math.max(...points.map((v) => v[i]));
      const old = ranges?.[k];
      const margin = old ? 0.05 * (old[1] - old[0]) : 0;
      if (old && lo >= old[0] + margin && hi <= old[1] - margin) return old;
      const half = Math.max(1, 0.65 * (hi - lo));
      return [(lo + hi) / 2 - half, (lo + hi) / 2 + half];
    });

  /** Note what the map should show for state s. */
  function update(s) {
    if (s.width !== width) {
      width = s.width;
      for (const select of selects) {
        select.replaceChildren();
        for (const key of names(width)) el("option", { value: key }, select, nameOf(key, width));
      }
    }
    selects.forEach((select, k) => (select.value = s.axes[k]));
    if (s.axes.join() !== axesKey) ranges = null;
    axesKey = s.axes.join();
    const w = flat(s.params);
    const slots = s.axes.map((key) => names(width).indexOf(key));
    const p = s.path;
    ranges = fit(p.length ? [w, ...p.filter((_, k) => k % 16 === 0), p.at(-1)] : [w], slots);
    const held = w.map((v, i) => (slots.includes(i) ? "" : v));
    want = { key: `${axesKey}|${ranges}|${held}|${s.ys}`, w, ys: [...s.ys], slots, ranges, row: 0 };
    last = [p, w, slots];
    drawPath();
    const [a, b] = s.axes.map((key) => nameOf(key, width));
    const [[x0, x1], [y0, y1]] = ranges.map((r) => r.map((v) => fmt(v, 2)));
    const label = say("map", { a, b, x0, x1, y0, y1 });
    if (svg.getAttribute("aria-label") !== label) svg.setAttribute("aria-label", label);
  }

  /** Compute rows until `deadline`, painting finished grids; true when up to date. */
  function work(deadline) {
    job ??= want?.key !== drawn ? want : null;
    while (job && performance.now() < deadline) {
      const from = job.row;
      job.row = Math.min(from + 10, N);
      lossGrid(job.w, width, xs, job.ys, job.slots, job.ranges, N, grid, from, job.row);
      if (job.row < N) continue;
      paint(job);
      drawn = job.key;
      job = want.key !== drawn ? { ...want, row: 0 } : null;
    }
    return !job;
  }

  function paint(j) {
    const logs = grid.map((c) => Math.log10(Math.max(c, 1e-300)));
    const hi = logs.reduce((a, v) => (v > a ? v : a), -Infinity); // NaN is left out
    const lo = Math.max(hi - 12, logs.reduce((a, v) => (v < a ? v : a), Infinity));
    logs.forEach((v, i) => {
      const c = LUT[Number.isNaN(v) ? 255 : Math.round(hi > lo ? ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * 255 : 128)];
      image.data.set(c, 4 * i);
      image.data[4 * i + 3] = 255;
    });
    ctx.putImageData(image, 0, 0);
    shown = j.ranges;
    const [X, Y] = scales(shown);
    axes.replaceChildren();
    shown.forEach(([a, b], k) => {
      const { ticks, step } = niceTicks(a, b, 5);
      for (const t of ticks) el("svg:text", k ? { x: BOX.l - 4, y: Y(t) + 4, "text-anchor": "end" } : { x: X(t), y: BOX.b + 14, "text-anchor": "middle" }, axes, tickLabel(t, step));
    });
    el("svg:rect", { x: BOX.l, y: BOX.t, width: BOX.r - BOX.l, height: BOX.b - BOX.t, class: "pg-map-frame" }, axes);
    const [a, b] = selects.map((s) => `${s.selectedOptions[0]?.textContent} →`);
    el("svg:text", { x: (BOX.l + BOX.r) / 2, y: 294, "text-anchor": "middle", class: "pg-axis-label" }, axes, a);
    el("svg:text", { x: 12, y: 135, "text-anchor": "middle", class: "pg-axis-label", transform: "rotate(-90 12 135)" }, axes, b);
    drawPath();
    setText(range, say("range", { lo: fmt(10 ** lo), hi: fmt(10 ** hi) }));
  }

  function drawPath() {
    const [points, w, [a, b]] = last;
    const [X, Y] = scales(shown ?? ranges);
    const all = [...points.filter((_, k) => k % Math.ceil(points.length / 400) === 0), w];
    path.setAttribute("points", all.map((v) => `${X(v[a]).toFixed(1)},${Y(v[b]).toFixed(1)}`).join(" "));
    [[begin, all[0]], [now, w]].forEach(([c, v]) => (c.setAttribute("cx", X(v[a])), c.setAttribute("cy", Y(v[b]))));
  }

  /** Forget the ranges: the next update fits the map around the weights afresh. */
  const reset = () => (ranges = null);
  return { update, work, reset };
}
