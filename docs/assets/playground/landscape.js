// View: the cost landscape, C over two weights (the others held where they are now), on a
// colour scale shown beside it; training's path as dots, each coloured by its own cost then.
// The grid is computed a few rows at a time within a frame's budget (work).
import { niceTicks, tickLabel } from "./chart.js";
import { el, put, say, setText } from "./fields.js";
import { fmt, sup, weightName } from "./format.js";
import { costOf, flat, keys } from "./nn.js";

export const N = 100; // grid cells per side
const [W, H] = [320, 350]; // the picture
const MAP_MS = 3; // the grid's share of a frame
const BINS = 32; // the path's dots are drawn in this many colours
// viridis: dark blue (low) … yellow (high); readable with every common colour-vision deficiency
const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
const LUT = Array.from({ length: 256 }, (_, i) => {
  const t = (i / 255) * 4;
  const k = Math.min(Math.floor(t), 3);
  return STOPS[k].map((c, m) => Math.round(c + (STOPS[k + 1][m] - c) * (t - k)));
});
const rgb = (c) => `rgb(${c.join(",")})`;

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

/** Axes with ticks that fit: returns the map's box and its scales. */
function axes(group, [ra, rb], [a, b]) {
  const [tx, ty] = [ra, rb].map(([lo, hi]) => {
    const { ticks, step } = niceTicks(lo, hi, 5);
    return ticks.map((t) => [t, tickLabel(t, step)]);
  });
  const l = 22 + 6.4 * Math.max(...ty.map(([, s]) => s.length)); // room for the widest label
  const box = { l, r: W - 8, t: 8, b: 262 };
  const X = (v) => box.l + ((v - ra[0]) / (ra[1] - ra[0])) * (box.r - box.l);
  const Y = (v) => box.b - ((v - rb[0]) / (rb[1] - rb[0])) * (box.b - box.t);
  group.replaceChildren();
  for (const [t, s] of tx)
    el("svg:text", { x: X(t), y: box.b + 14, "text-anchor": "middle" }, group, s);
  for (const [t, s] of ty)
    el("svg:text", { x: l - 4, y: Y(t) + 4, "text-anchor": "end" }, group, s);
  const frame = { x: l, y: box.t, width: box.r - l, height: box.b - box.t, class: "pg-map-frame" };
  el("svg:rect", frame, group);
  const label = { "text-anchor": "middle", class: "pg-axis-label" };
  el("svg:text", { ...label, x: (l + box.r) / 2, y: box.b + 30 }, group, `${a} →`);
  const mid = (box.t + box.b) / 2;
  el("svg:text", { ...label, x: 12, y: mid, transform: `rotate(-90 12 ${mid})` }, group, `${b} →`);
  return { box, X, Y };
}

/** The colour scale from 10^lo to 10^hi, under the map, with the values of its ends. */
function legend(group, box, lo, hi) {
  group.replaceChildren();
  const y = 302;
  const X = (v) => box.l + ((v - lo) / (hi - lo || 1)) * (box.r - box.l);
  el(
    "svg:rect",
    { x: box.l, y, width: box.r - box.l, height: 10, fill: "url(#pg-viridis)" },
    group,
  );
  const powers = [];
  for (let p = Math.ceil(lo); p <= hi; p++)
    if (X(p) - X(lo) > 30 && X(hi) - X(p) > 30) powers.push(p);
  const ticks = [
    [lo, fmt(10 ** lo)],
    ...powers.map((p) => [p, p ? `10${sup(p)}` : "1"]),
    [hi, fmt(10 ** hi)],
  ];
  ticks.forEach(([v, text], k) => {
    const anchor = k === 0 ? "start" : k === ticks.length - 1 ? "end" : "middle";
    el("svg:line", { x1: X(v), x2: X(v), y1: y + 10, y2: y + 14, class: "pg-tick" }, group);
    el("svg:text", { x: X(v), y: y + 25, "text-anchor": anchor }, group, text);
  });
  el(
    "svg:text",
    { x: (box.l + box.r) / 2, y: y + 41, "text-anchor": "middle", class: "pg-axis-label" },
    group,
    say("scale"),
  );
}

/** The path: a thin line in order, a dot per recorded epoch in its cost's colour, start, now. */
function pathView(svg) {
  const line = el("svg:polyline", { class: "pg-path" }, svg);
  const rings = el("svg:path", { class: "pg-dot-rings" }, svg);
  const bins = Array.from({ length: BINS }, (_, k) => {
    const c = LUT[Math.round((k / (BINS - 1)) * 255)];
    return el("svg:path", { class: "pg-dots", stroke: rgb(c) }, svg);
  });
  const [begin, now] = ["pg-path-start", "pg-path-now"].map((c) =>
    el("svg:circle", { class: c, r: 6 }, svg),
  );
  /** points: flat weights; costs: each one's cost; colour(c): its bin, or -1 (no scale yet). */
  return (points, costs, [a, b], X, Y, colour) => {
    const step = Math.ceil(points.length / 400);
    const xy = points.map((v) => `${X(v[a]).toFixed(1)} ${Y(v[b]).toFixed(1)}`);
    line.setAttribute(
      "points",
      xy.filter((_, k) => k % step === 0 || k === xy.length - 1).join(","),
    );
    const ds = bins.map(() => []);
    xy.forEach((p, k) => k % step === 0 && ds[Math.max(0, colour(costs[k]))].push(`M${p}h0`));
    bins.forEach((path, k) => path.setAttribute("d", ds[k].join("")));
    rings.setAttribute("d", ds.flat().join(""));
    for (const [c, k] of [
      [begin, 0],
      [now, points.length - 1],
    ]) {
      const bin = colour(costs[k]);
      put(c, {
        cx: X(points[k][a]),
        cy: Y(points[k][b]),
        fill: bin < 0 ? "none" : bins[bin].getAttribute("stroke"),
      });
    }
  };
}

/** Each axis's range: points with room around; `old` is kept while they stay inside it. */
const fit = (old, points, slots) =>
  slots.map((i, k) => {
    const [lo, hi] = [Math.min(...points.map((v) => v[i])), Math.max(...points.map((v) => v[i]))];
    const margin = old ? 0.05 * (old[k][1] - old[k][0]) : 0;
    if (old && lo >= old[k][0] + margin && hi <= old[k][1] - margin) return old[k];
    const half = Math.max(1, 0.65 * (hi - lo));
    return [(lo + hi) / 2 - half, (lo + hi) / 2 + half];
  });

/** The grid's costs as colours on a log scale (the lowest 12 powers of ten below the highest);
 * returns the scale's ends, as powers of ten. */
function colours(grid, image) {
  const logs = grid.map((c) => Math.log10(Math.max(c, 1e-300)));
  const hi = logs.reduce((a, v) => (v > a ? v : a), -Infinity); // NaN is left out
  const lo = Math.max(
    hi - 12,
    logs.reduce((a, v) => (v < a ? v : a), Infinity),
  );
  logs.forEach((v, i) => {
    const t = hi > lo ? (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo) : 0.5;
    image.data.set(LUT[Number.isNaN(v) ? 255 : Math.round(t * 255)], 4 * i);
    image.data[4 * i + 3] = 255;
  });
  return [lo, hi];
}

/** Lay the canvas over the map's box in the picture. */
function cover(canvas, box) {
  const pc = (v, total) => `${((100 * v) / total).toFixed(3)}%`;
  const [left, top] = [pc(box.l, W), pc(box.t, H)];
  Object.assign(canvas.style, {
    left,
    top,
    width: pc(box.r - box.l, W),
    height: pc(box.b - box.t, H),
  });
}

/** The menus of weights to map, for width h. */
function fillMenus(selects, h) {
  for (const select of selects) {
    select.replaceChildren();
    for (const key of names(h)) el("option", { value: key }, select, nameOf(key, h));
  }
}

/** The bin of cost c on a scale from 10^lo to 10^hi. */
const bin = (c, lo, hi) => {
  const t = (Math.log10(Math.max(c, 1e-300)) - lo) / (hi - lo || 1);
  return Math.round(Math.min(Math.max(t, 0), 1) * (BINS - 1));
};

export function landscape(root, xs, onAxes) {
  const [canvas, svg] = ["canvas", "svg"].map((q) => root.querySelector(q));
  const selects = ["x", "y"].map((a) => root.querySelector(`[data-input='axis-${a}']`));
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(N, N);
  const gradient = el("svg:linearGradient", { id: "pg-viridis" }, el("svg:defs", {}, svg));
  STOPS.forEach((c, k) => el("svg:stop", { offset: k / 4, "stop-color": rgb(c) }, gradient));
  const [frameG, legendG] = [
    el("svg:g", { class: "pg-axes" }, svg),
    el("svg:g", { class: "pg-axes" }, svg),
  ];
  const drawPath = pathView(svg);
  const grid = new Float64Array(N * N);
  setText(root.querySelector("[data-out='map-words']"), say("map-words"));
  let [width, ranges, axesKey, drawn, scale] = [0, null, "", "", null];
  let [job, want, last, frame] = [null, null, null, 0]; // the grid in progress, the one wanted next

  selects.forEach((select, k) =>
    select.addEventListener("change", () => {
      const pair = selects.map((s) => s.value);
      if (pair[0] === pair[1]) pair[1 - k] = names(width).find((key) => key !== pair[k]);
      onAxes(pair);
    }),
  );

  /** The bin of cost c on the colour scale shown (-1 before there is one). */
  const colour = (c) => (scale ? bin(c, scale.lo, scale.hi) : -1);

  function redrawPath() {
    const { points, costs, slots } = last;
    const [X, Y] = scale ? [scale.X, scale.Y] : [() => -9, () => -9];
    drawPath(points, costs, slots, X, Y, colour);
  }

  /** Note what the map should show for state s. */
  function update(s) {
    if (s.width !== width) fillMenus(selects, (width = s.width));
    selects.forEach((select, k) => (select.value = s.axes[k]));
    if (s.axes.join() !== axesKey) ranges = null;
    axesKey = s.axes.join();
    const w = flat(s.params);
    const slots = s.axes.map((key) => names(width).indexOf(key));
    const p = s.path;
    ranges = fit(
      ranges,
      p.length ? [w, ...p.filter((_, k) => k % 16 === 0), p.at(-1)] : [w],
      slots,
    );
    const held = w.map((v, i) => (slots.includes(i) ? "" : v));
    want = { key: `${axesKey}|${ranges}|${held}|${s.ys}`, w, ys: [...s.ys], slots, ranges, row: 0 };
    last = { points: [...p, w], costs: [...s.history, costOf(w, width, xs, s.ys)], slots };
    redrawPath();
  }

  /** Compute rows for a few ms, painting finished grids; until done, again next frame. */
  function work() {
    cancelAnimationFrame(frame);
    const deadline = performance.now() + MAP_MS;
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
    if (job) frame = requestAnimationFrame(work);
  }

  function paint(j) {
    const [lo, hi] = colours(grid, image);
    ctx.putImageData(image, 0, 0);
    const [a, b] = selects.map((s) => s.selectedOptions[0]?.textContent);
    const { box, X, Y } = axes(frameG, j.ranges, [a, b]);
    cover(canvas, box);
    legend(legendG, box, lo, hi);
    scale = { lo, hi, X, Y };
    redrawPath();
    const [[x0, x1], [y0, y1]] = j.ranges.map((r) => r.map((v) => fmt(v, 2)));
    const words = { a, b, x0, x1, y0, y1, lo: fmt(10 ** lo), hi: fmt(10 ** hi) };
    svg.setAttribute("aria-label", say("map", words));
  }

  /** Forget the ranges: the next update fits the map around the weights afresh. */
  const reset = () => (ranges = null);
  return { update, work, reset };
}
