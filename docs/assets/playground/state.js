// The playground's state, declared once, with its limits and URL form. Inputs come from the
// page's JSON (snippets/book/playground.py): no number is invented here.
import { readNumber } from "../questions.js";
import { flat, memory, unflat } from "./nn.js";

export const LIMITS = {
  weight: [-1000, 1000],
  y: [-5, 5],
  lr: [1e-4, 100],
  scale: [0.001, 10],
  epoch: [1, 1e7],
};
export const SLIDER = { weight: [-12, 12], lr: [0.01, 5] };
export const STARTS = ["lesson", "bump", "random", "linked"];
export const SPEEDS = [1, 10, 100, 1000, 10000, Infinity]; // epochs/s
const SPEED = 3; // 1,000 epochs/s, the first speed

/** A typed value: {value}, or {error}. A decimal comma is a decimal point; whole numbers may
 * group thousands with commas or spaces (20,000). */
export function parseNumber(text, [lo, hi], integer = false) {
  const t = String(text).trim();
  const grouped = integer && /^\d{1,3}([, ]\d{3})+$/.test(t);
  const value = grouped ? Number(t.replace(/[, ]/g, "")) : readNumber(t);
  if (Number.isNaN(value))
    return { error: t ? `“${t.slice(0, 40)}” is not a number.` : "Enter a number." };
  if (!Number.isFinite(value)) return { error: "That number is too large." };
  if (integer && !Number.isInteger(value)) return { error: "Enter a whole number." };
  if (value < lo || value > hi) return { error: `Enter a value from ${lo} to ${hi}.` };
  return { value };
}

/** A start's weights; "random" is lesson.small_random_start, from the JSON's normal draws. */
export function startWeights(config, start, width, seed, scale) {
  if (start !== "random") return structuredClone(config.starts[start]);
  return unflat(config.normals[seed].slice(0, 3 * width + 1).map((z) => scale * z));
}

/** A fresh state. Every field the playground uses is declared here. `choice` picks the start
 * (start, width, seed, scale, optimiser; for "linked" also params and label) and may set ys, lr. */
export function initial(config, choice = {}) {
  const { start = "lesson", seed = 0, scale = config.scale } = choice;
  const optimiser = choice.optimiser ?? Object.keys(config.optimisers)[0];
  const named = start === "lesson" || start === "bump";
  const linked = start === "linked";
  const width = named
    ? config.starts[start].w1.length
    : linked
      ? choice.params.w1.length
      : (choice.width ?? 2);
  const params = linked ? choice.params : startWeights(config, start, width, seed, scale);
  const lr = choice.lr ?? config.optimisers[optimiser].lr;
  return {
    start, // "lesson", "bump", "random" or "linked" (a link's weights)
    label: (choice.label ?? "").slice(0, 120), // a linked start's name, from the link
    width, // hidden neurons
    seed, // the random start's seed and …
    scale, // … standard deviation
    optimiser, // a key of config.optimisers (nn.js's OPTIMISERS)
    origin: { params: structuredClone(params), lr }, // what Reset returns to
    params, // the weights now
    memory: memory({ name: optimiser }, flat(params).length),
    ys: [...(choice.ys ?? config.y)], // the targets
    lr,
    epoch: 0, // epochs since weights, data, width or optimiser changed
    history: [], // the cost at every stride-th epoch …
    path: [], // … and the weights (flat)
    stride: 1,
    base: Infinity, // the cost where the current run began: divergence is judged against it
    last: Infinity, // the previous epoch's cost …
    rising: 0, // … and epochs in a row it rose
    phase: 0, // 0: live; 1 … 5: Step phase
    walk: null, // the walked epoch's values
    running: false,
    toEpoch: false, // is the run "Run to epoch" (it stops at stopAt)?
    speed: SPEED, // index into SPEEDS
    stopAt: config.epochs, // "Run to epoch" stops here
    message: "", // an alert (divergence)
    point: 0, // the point whose formulas are shown
    parts: true, // each neuron's part in the fit chart
    log: false, // cost chart on a log scale
    axes: ["w1:0", width > 1 ? "w1:1" : "w2:0"], // the cost landscape's two weights
    readout: null, // the cost chart readout's index
    more: false, // are the further controls shown?
  };
}

/** The state as a query string: opening it gives these weights, data and settings. */
export function toQuery(s, config) {
  const { params: p, origin } = s;
  const q = { start: s.start, ...(s.start === "linked" && { from: s.label }), h: s.width };
  if (s.start === "random") Object.assign(q, { seed: s.seed, scale: s.scale });
  Object.assign(q, { opt: s.optimiser, w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2, y: s.ys, lr: s.lr });
  if (s.start === "linked" && String(flat(origin.params)) !== String(flat(p))) {
    q.reset = flat(origin.params); // Reset's weights, where training has moved on
  }
  if (s.more) q.more = 1;
  if (s.speed !== SPEED) q.speed = s.speed;
  if (s.stopAt !== config.epochs) q.stop = s.stopAt;
  return `?${new URLSearchParams(q)}`;
}

/** Read a query string: {s, notes}. A value that is missing keeps its default; one that cannot
 * be used keeps it too, and a note {key, value, why} says so. */
export function fromQuery(search, config) {
  const q = new URLSearchParams(search);
  const notes = [];
  const ignore = (key, why) => void notes.push({ key, value: q.get(key).slice(0, 60), why });
  const list = (key, n, limits, integer) => {
    if (!q.has(key)) return undefined;
    const parts = q
      .get(key)
      .split(",")
      .map((t) => parseNumber(t, limits, integer));
    const bad = parts.find((r) => "error" in r);
    if (parts.length !== n) return ignore(key, `it needs ${n} number${n > 1 ? "s" : ""}.`);
    return bad ? ignore(key, bad.error) : parts.map((r) => r.value);
  };
  const one = (key, limits, integer) => list(key, 1, limits, integer)?.[0];
  const known = (key, values, what) => {
    const v = q.get(key) === "article" ? "lesson" : q.get(key); // older links: start=article
    if (v === null || values.includes(v)) return v ?? undefined;
    ignore(key, `the ${what} are ${values.join(", ")}.`);
  };
  const width =
    config.widths[
      config.widths.map(String).indexOf(known("h", config.widths.map(String), "widths"))
    ];
  // older links without a start: ?h=2 meant the bump
  const start =
    known("start", STARTS, "starts") ?? (width === 2 ? "bump" : width > 1 ? "random" : "lesson");
  const choice = {
    start,
    width,
    optimiser: known("opt", Object.keys(config.optimisers), "optimisers"),
  };
  for (const key of ["seed", "scale"])
    if (start !== "random" && q.has(key)) ignore(key, "only a random start has one.");
  if (start === "random") {
    choice.seed = one("seed", [0, config.normals.length - 1], true);
    choice.scale = one("scale", LIMITS.scale);
  }
  const n = config.starts[start]?.w1.length ?? width ?? q.get("w1")?.split(",").length;
  const weights = [
    ...["w1", "b1", "w2"].map((k) => list(k, n, LIMITS.weight)),
    one("b2", LIMITS.weight),
  ];
  if (start === "linked" && weights.includes(undefined)) {
    notes.push({ key: "start", value: start, why: "its weights are missing or cannot be used." });
    Object.assign(choice, { start: "lesson", width: 1 });
  } else if (start === "linked")
    Object.assign(choice, { params: unflat(weights.flat()), label: q.get("from") ?? "" });
  choice.ys = list("y", config.x.length, LIMITS.y);
  choice.lr = one("lr", LIMITS.lr);
  const s = initial(config, choice);
  if (s.start !== "linked" && s.width === n) {
    weights.forEach((v, k) => v !== undefined && (s.params[["w1", "b1", "w2", "b2"][k]] = v));
  }
  const reset = s.start === "linked" && list("reset", 3 * s.width + 1, LIMITS.weight);
  if (reset) s.origin.params = unflat(reset);
  s.more = q.get("more") === "1";
  s.speed = one("speed", [0, SPEEDS.length - 1], true) ?? s.speed;
  s.stopAt = one("stop", LIMITS.epoch, true) ?? s.stopAt;
  return { s, notes };
}
