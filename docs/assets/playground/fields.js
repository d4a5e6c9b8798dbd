// View: number fields (a box for the exact value, which says why it refuses one, and a
// slider); and the helpers every view uses.
import { count, fmt } from "./format.js";
import { parseNumber } from "./state.js";

/** Set attributes; returns the node. */
export function put(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** A new element; "svg:…" tags are SVG. */
export function el(tag, attrs = {}, parent = null, text = null) {
  const e = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  put(e, attrs);
  if (text !== null) e.textContent = text;
  parent?.append(e);
  return e;
}

/** A pointer's position in an SVG's coordinates. */
export function inside(svg, clientX, clientY) {
  const pt = svg.createSVGPoint();
  Object.assign(pt, { x: clientX, y: clientY });
  return pt.matrixTransform(svg.getScreenCTM().inverse());
}

const words = {};
const sentence = (key) =>
  document.querySelector(`[data-out="words"] [data-key="${key}"]`).textContent;
/** The page's sentence `key`, {name}s filled in. */
export const say = (key, vars = {}) =>
  (words[key] ??= sentence(key)).replace(/\{(\w+)\}/g, (_, k) => vars[k]);

/** Set a text only when it changed. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * A field for get()/set(v): a text box (a decimal comma is fine) and, with `slider`, a range.
 * `changed` runs after each accepted edit; `refused(sentence)` once the reader leaves a box
 * whose text was refused. Returns show(), which copies the value in (not while the reader
 * types in the box).
 */
export function field(parent, { id, label, get, set, limits, changed, refused, slider, integer }) {
  const row = el("div", { class: "pg-field" }, parent);
  el("label", { for: `${id}-n` }, row, label);
  const [lo, hi] = slider ?? [];
  const range =
    slider && el("input", { type: "range", id: `${id}-r`, min: lo, max: hi, step: 0.01 }, row);
  if (range) put(range, { "aria-label": `${label} slider` });
  const box = el("input", {
    type: "text",
    inputmode: integer ? "numeric" : "decimal",
    id: `${id}-n`,
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": `${id}-e`,
  });
  row.append(box);
  const err = el("span", { class: "pg-error", id: `${id}-e` }, row);
  const written = (v) => (integer ? count(v) : fmt(v, 4));
  let shown = null;
  const show = () => {
    const v = get();
    if (v === shown) return;
    shown = v;
    if (range) range.value = v;
    if (document.activeElement !== box) box.value = integer ? v : Math.round(v * 1e6) / 1e6;
  };
  const clear = () => {
    err.textContent = "";
    box.removeAttribute("aria-invalid");
  };
  range?.addEventListener("input", () => {
    set(Number(range.value));
    clear();
    changed();
  });
  box.addEventListener("input", () => {
    const r = parseNumber(box.value, limits, integer);
    if ("value" in r) return (set(r.value), clear(), changed());
    err.textContent = `${r.error} Keeping ${written(get())}.`;
    box.setAttribute("aria-invalid", "true");
  });
  box.addEventListener("change", () => {
    if (box.hasAttribute("aria-invalid")) return refused?.(label, err.textContent);
    shown = null;
    show();
  });
  show();
  return show;
}
