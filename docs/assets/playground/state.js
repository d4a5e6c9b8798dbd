// The playground's whole state, declared once, with its limits and its URL form.
// Inputs (data, starts, learning rate) come from the page's JSON, written by snippets/playground.py.

export const LIMITS = {
  weight: [-1000, 1000], // typed values; the sliders cover SLIDER
  y: [-5, 5],
  lr: [1e-4, 100],
};
export const SLIDER = { weight: [-12, 12], lr: [0.01, 5] };
const WIDTHS = [1, 2];

/** Check one typed value: {value} if valid, else {error: what is wrong}. */
export function parseNumber(text, [lo, hi]) {
  const t = String(text).trim().replace("\u2212", "-");
  if (t === "") return { error: "Enter a number." };
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return { error: `“${t}” is not a number.` };
  const value = Number(t);
  if (!Number.isFinite(value)) return { error: "That number is too large." };
  if (value < lo || value > hi) return { error: `Enter a value from ${lo} to ${hi}.` };
  return { value };
}

const copy = (p) => ({ w1: [...p.w1], b1: [...p.b1], w2: [...p.w2], b2: p.b2 });

/** A fresh state: the article's start (or the bump start for 2 neurons), the lesson's data. */
export function initial(config, width = 1) {
  return {
    width,
    params: copy(config.starts[width]),
    ys: [...config.y],
    lr: config.lr,
    epoch: 0,
    history: [], // mean loss before each recorded epoch
    stride: 1, // history keeps every stride-th epoch
    phase: 0, // 0: idle; 1…5: the step-phase walk
    running: false,
    message: "",
  };
}

/** The shareable part of the state as a query string. */
export function toQuery(s) {
  const q = new URLSearchParams({ h: s.width });
  for (const k of ["w1", "b1", "w2"]) q.set(k, s.params[k].join(","));
  q.set("b2", s.params.b2);
  q.set("y", s.ys.join(","));
  q.set("lr", s.lr);
  return `?${q}`;
}

/** Read a query string; every missing, malformed or out-of-range field falls back to its default. */
export function fromQuery(search, config) {
  const q = new URLSearchParams(search);
  const width = WIDTHS.includes(Number(q.get("h"))) ? Number(q.get("h")) : 1;
  const s = initial(config, width);
  const list = (key, n, limits) => {
    const parts = (q.get(key) ?? "").split(",").map((t) => parseNumber(t, limits));
    return parts.length === n && parts.every((r) => "value" in r) ? parts.map((r) => r.value) : null;
  };
  for (const k of ["w1", "b1", "w2"]) s.params[k] = list(k, width, LIMITS.weight) ?? s.params[k];
  s.params.b2 = list("b2", 1, LIMITS.weight)?.[0] ?? s.params.b2;
  s.ys = list("y", config.x.length, LIMITS.y) ?? s.ys;
  s.lr = list("lr", 1, LIMITS.lr)?.[0] ?? s.lr;
  return s;
}
