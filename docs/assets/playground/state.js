// The playground's state, declared once, with its limits and URL form. Inputs come from the
// page's JSON (snippets/book/playground.py): no number is invented here.
import { flat, memory } from "./nn.js";

export const LIMITS = { weight: [-1000, 1000], y: [-5, 5], lr: [1e-4, 100], scale: [0.001, 10], epoch: [1, 1e7] };
export const SLIDER = { weight: [-12, 12], lr: [0.01, 5] };
export const STARTS = ["article", "bump", "random"];
export const SPEEDS = [1, 10, 100, 1000, 10000, Infinity]; // epochs/s

/** A typed value: {value}, or {error}. */
export function parseNumber(text, [lo, hi], integer = false) {
  const t = String(text).trim().replace("\u2212", "-");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return { error: t ? `“${t}” is not a number.` : "Enter a number." };
  const value = Number(t);
  if (!Number.isFinite(value)) return { error: "That number is too large." };
  if (integer && !Number.isInteger(value)) return { error: "Enter a whole number." };
  if (value < lo || value > hi) return { error: `Enter a value from ${lo} to ${hi}.` };
  return { value };
}

/** A start's weights; "random" is lesson.small_random_start, from the JSON's normal draws. */
export function startWeights(config, start, width, seed, scale) {
  if (start !== "random") return structuredClone(config.starts[start]);
  const v = config.normals[seed].slice(0, 3 * width + 1).map((z) => scale * z);
  return { w1: v.slice(0, width), b1: v.slice(width, 2 * width), w2: v.slice(2 * width, 3 * width), b2: v[3 * width] };
}

/** A fresh state. Every field the playground uses is declared here. */
export function initial(config, choice = {}) {
  const { start = "article", seed = 0, scale = config.scale, optimiser = "gd" } = choice;
  const width = start === "random" ? choice.width ?? 2 : config.starts[start].w1.length;
  const params = startWeights(config, start, width, seed, scale);
  return {
    start, // "article", "bump" or "random"
    width, // hidden neurons
    seed, // the random start's seed and …
    scale, // … standard deviation
    optimiser, // "gd", "momentum" or "adam"
    params, // the weights now
    memory: memory({ name: optimiser }, flat(params).length),
    ys: [...(choice.ys ?? config.y)], // the targets
    lr: choice.lr ?? config.optimisers[optimiser].lr,
    epoch: 0, // epochs since weights, data, width or optimiser changed
    history: [], // the cost at every stride-th epoch …
    path: [], // … and the weights (flat)
    stride: 1,
    last: Infinity, // the previous epoch's cost …
    rising: 0, // … and epochs in a row it rose
    phase: 0, // 0: live; 1 … 5: Step phase
    walk: null, // the walked epoch's values
    running: false,
    speed: 3, // index into SPEEDS: 1,000 epochs/s
    stopAt: config.epochs, // "Run to epoch" stops here
    target: null, // where the current run stops
    message: "", // an alert (divergence)
    point: 0, // the point whose formulas are shown
    parts: true, // each neuron's part in the fit chart
    log: false, // cost chart on a log scale
    axes: ["w1:0", width > 1 ? "w1:1" : "w2:0"], // the cost landscape's two weights
    readout: null, // the cost chart readout's index
  };
}

/** The shareable state as a query string. */
export function toQuery(s) {
  const { start, seed, scale, params: p } = s;
  const random = start === "random" ? { seed, scale } : {};
  return `?${new URLSearchParams({ start, h: s.width, ...random, opt: s.optimiser, w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2, y: s.ys, lr: s.lr })}`;
}

/** Read a query string; anything missing, malformed or out of range falls back to its default. */
export function fromQuery(search, config) {
  const q = new URLSearchParams(search);
  const list = (key, n, limits, integer) => {
    const parts = (q.get(key) ?? "").split(",").map((t) => parseNumber(t, limits, integer));
    return parts.length === n && parts.every((r) => "value" in r) ? parts.map((r) => r.value) : undefined;
  };
  const one = (key, limits, integer) => list(key, 1, limits, integer)?.[0];
  const width = config.widths.find((w) => String(w) === q.get("h"));
  // older links: ?h=2 meant the bump
  const start = STARTS.includes(q.get("start")) ? q.get("start") : width === 2 ? "bump" : width > 1 ? "random" : "article";
  const optimiser = Object.hasOwn(config.optimisers, q.get("opt")) ? q.get("opt") : undefined;
  const s = initial(config, { start, width, seed: one("seed", [0, config.normals.length - 1], true), scale: one("scale", LIMITS.scale), optimiser });
  for (const k of ["w1", "b1", "w2"]) s.params[k] = list(k, s.width, LIMITS.weight) ?? s.params[k];
  s.params.b2 = one("b2", LIMITS.weight) ?? s.params.b2;
  s.ys = list("y", config.x.length, LIMITS.y) ?? s.ys;
  s.lr = one("lr", LIMITS.lr) ?? s.lr;
  return s;
}
