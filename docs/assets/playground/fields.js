// View: number fields (an exact box, which says why it refuses, and a slider); helpers for all views.
import { fmt } from "./format.js";
import { parseNumber } from "./state.js";


/** Set attributes; returns the node. */
export function put(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** A new element; "svg:…" tags are SVG. */
export function el(tag, attrs = {}, parent = null, text = null) {
  const e = put(tag.startsWith("svg:") ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4)) : document.createElement(tag), attrs);
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
/** The page's sentence `key`, {name}s filled in. */
export const say = (key, vars = {}) => (words[key] ??= document.querySelector(`[data-out="words"] [data-key="${key}"]`).textContent).replace(/\{(\w+)\}/g, (_, k) => vars[k]);

/** Set a text only when it changed. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** A field for holder()[key]; `changed` runs after each accepted edit. Returns show(), which
 * copies the value in (not while the reader types). */
export function field(parent, id, label, holder, key, limits, changed, { slider, integer } = {}) {
  const get = () => holder()[key];
  const set = (v) => (holder()[key] = v);
  const row = el("div", { class: "pg-field" }, parent);
  el("label", { for: `${id}-n` }, row, label);
  const range = slider && el("input", { type: "range", id: `${id}-r`, min: slider[0], max: slider[1], step: 0.01, "aria-label": `${label} slider` }, row);
  const box = el("input", { type: "number", id: `${id}-n`, step: integer ? 1 : "any", inputmode: integer ? "numeric" : "decimal", "aria-describedby": `${id}-e` }, row);
  const err = el("span", { class: "pg-error", id: `${id}-e` }, row);
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
    const r = box.validity.badInput ? { error: "That is not a number." } : parseNumber(box.value, limits, integer);
    if ("error" in r) {
      err.textContent = `${r.error} Keeping ${integer ? get() : fmt(get(), 4)}.`;
      box.setAttribute("aria-invalid", "true");
      return;
    }
    set(r.value);
    clear();
    changed();
  });
  box.addEventListener("change", () => {
    if (!box.hasAttribute("aria-invalid")) {
      shown = null;
      show();
    }
  });
  show();
  return show;
}
