// View: the network: x, each hidden neuron with its curve σ(w₁x + b₁), ŷ; edge colour = sign,
// thickness = size. One image for screen readers; a button over each weight reads it out. The
// mapped weights and the one pointed at are marked in the SVG itself (a halo under the shape).
import { PALETTE } from "./chart.js";
import { el, say, setText } from "./fields.js";
import { fmt, given, weightName } from "./format.js";
import { sigmoid } from "./nn.js";

const W = 400;
const R = 17; // radius of the input and output nodes
const MID = W / 2;
const LABELLED = 2; // up to this many hidden neurons, values are written on the picture
const NEAR = 24; // a weight's button sits this far before (w₁) or after (w₂) its neuron
const thickness = (w) => Math.min(1.2 + 2.4 * Math.sqrt(Math.abs(w)), 12);
const pct = (v, total) => `${((100 * v) / total).toFixed(3)}%`;

/** Where everything goes for h hidden neurons: far enough apart for a 24-px button each. */
function layout(h) {
  const gap = h === 1 ? 134 : h === 2 ? 102 : 52; // between neurons' centres
  const H = 16 + gap * h;
  const box = h <= LABELLED ? 96 : 76; // hidden nodes' width …
  return {
    H,
    gap,
    box,
    boxH: Math.min(64, gap - 12),
    IN: { x: 30, y: H / 2 },
    OUT: { x: W - 30, y: H / 2 },
  };
}

/** The shapes for h hidden neurons, in `layers`; each weight's {shape, halo, label, handle}. */
function build(h, [halos, edges, flows, nodes, labels], place) {
  const L = layout(h);
  const items = {};
  const { IN, OUT, box, boxH, H } = L;
  el("svg:circle", { cx: IN.x, cy: IN.y, r: R, class: "pg-node" }, nodes);
  const out = el("svg:circle", { cx: OUT.x, cy: OUT.y, r: R, class: "pg-node" }, nodes);
  el("svg:text", { x: IN.x, y: IN.y + 5, class: "pg-node-name" }, nodes, "x");
  el("svg:text", { x: OUT.x, y: OUT.y + 5, class: "pg-node-name" }, nodes, "ŷ");
  const value = (x, y) => h <= LABELLED && el("svg:text", { x, y, class: "pg-value" }, labels);
  const halo = (tag, attrs) => el(`svg:${tag}`, { ...attrs, class: "pg-halo" }, halos);
  for (let j = 0; j < h; j++) {
    const y = 8 + L.gap * (j + 0.5);
    const [left, right] = [MID - box / 2, MID + box / 2];
    const ends = {
      w1: [IN.x + R, IN.y, left, y, left - NEAR],
      w2: [right, y, OUT.x - R, OUT.y, right + NEAR],
    };
    for (const [k, [x1, y1, x2, y2, hx]] of Object.entries(ends)) {
      const d = `M${x1},${y1}L${x2},${y2}`;
      const hy = y1 + ((y2 - y1) * (hx - x1)) / (x2 - x1); // the button's place on the edge
      const key = `${k}:${j}`;
      const shape = el("svg:path", { d, class: "pg-edge", "data-key": key }, edges);
      items[key] = {
        shape,
        halo: halo("path", { d }),
        label: value(hx, hy - 14),
        handle: place(key, hx, hy, H),
      };
      el("svg:path", { d, class: "pg-flow" }, flows);
    }
    const rect = { x: left, y: y - boxH / 2, width: box, height: boxH, rx: 6 };
    const shape = el(
      "svg:rect",
      { ...rect, class: "pg-node pg-hidden", style: `stroke: ${PALETTE[j]}` },
      nodes,
    );
    const thumb = el("svg:polyline", { class: "pg-thumb" }, nodes);
    const area = { l: left + 5, r: right - 5, t: y - boxH / 2 + 4, b: y + boxH / 2 - 4 };
    const size = `width: ${pct(box, W)}; height: ${pct(boxH, H)};`;
    const handle = place(`b1:${j}`, MID, y, H, size);
    items[`b1:${j}`] = {
      shape,
      halo: halo("rect", rect),
      thumb,
      area,
      label: value(MID, y + boxH / 2 + 13),
      handle,
    };
  }
  const b2 = {
    shape: out,
    halo: halo("circle", { cx: OUT.x, cy: OUT.y, r: R }),
    handle: place("b2", OUT.x, OUT.y, H),
  };
  items.b2 = { ...b2, label: value(W - 48, OUT.y + R + 14) };
  items.x = el("svg:text", { x: IN.x, y: IN.y + R + 14, class: "pg-value" }, labels);
  return { items, H };
}

/** A weight's label in phase v.phase, for the point v.point. */
function label(k, j, v, value) {
  const i = v.point;
  const bias = k[0] === "b";
  if (v.phase === 3) {
    if (k === "b1") return `∂L/∂z₁ ${fmt(v.back.dL_dz1[i][j])}`;
    return k === "b2" ? `∂L/∂ŷ ${fmt(v.back.dL_dyhat[i])}` : fmt(v.back.grads[k][i][j]);
  }
  if (v.phase === 4) return fmt(k === "b2" ? v.avg.b2 : v.avg[k][j]);
  if ((v.phase === 1 || v.phase === 2) && bias) {
    if (k === "b1") return `a₁ ${fmt(v.fwd.a1[i][j])}`;
    return v.phase === 1 ? `ŷ ${fmt(v.fwd.yHat[i])}` : `L ${fmt(v.losses[i])}`;
  }
  return (bias ? `${weightName(k, 0, 1)} ` : "") + fmt(value);
}

/** Weight `key`'s edge or node, halo, label and button, for the view v with weights p. */
function paintItem(key, item, v, p, width, hot) {
  const [k, j] = key.split(":");
  const value = k === "b2" ? p.b2 : p[k][j];
  if (k[0] === "w") {
    item.shape.setAttribute("stroke-width", thickness(value).toFixed(2));
    item.shape.classList.toggle("pg-neg", value < 0);
    item.halo.setAttribute("stroke-width", (thickness(value) + 7).toFixed(2));
  }
  if (item.thumb) {
    const { l, r, t, b } = item.area;
    const at = (n) => b - sigmoid(p.w1[j] * (0.5 + n / 6) + p.b1[j]) * (b - t);
    const pts = Array.from(
      { length: 25 },
      (_, n) => `${(l + (n / 24) * (r - l)).toFixed(1)},${at(n).toFixed(1)}`,
    );
    item.thumb.setAttribute("points", pts.join(" "));
  }
  if (item.label) setText(item.label, label(k, j, v, value));
  const text = `${weightName(k, Number(j), width)} = ${fmt(value)}`;
  if (item.handle.getAttribute("aria-label") !== text) item.handle.setAttribute("aria-label", text);
  const mapped = v.axes.includes(key);
  item.handle.setAttribute("aria-pressed", String(mapped));
  item.halo.classList.toggle("pg-on", mapped);
  item.halo.classList.toggle("pg-hot", hot === key);
}

export function diagram(root, onSelect) {
  const svg = root.querySelector("svg");
  const handles = root.querySelector(".pg-handles");
  const caption = root.querySelector("[data-out='net-caption']");
  const readout = root.querySelector("[data-out='net-readout']");
  const classes = ["pg-halos", "edges", "pg-flows", "nodes", "labels"];
  const layers = classes.map((c) => el("svg:g", { class: c }, svg));
  let [items, width, hot, last] = [{}, 0, null, null];

  /** A button over weight `key`, at (x, y) of an H-high picture. */
  function place(key, x, y, H, size = "") {
    const style = `left: ${pct(x, W)}; top: ${pct(y, H)}; ${size}`;
    const attrs = { type: "button", class: "pg-handle", "aria-pressed": "false", style };
    const b = el("button", { ...attrs, "aria-describedby": readout.id }, handles);
    b.addEventListener("click", () => onSelect(key));
    const heat = (on) => () => {
      hot = on ? key : hot === key ? null : hot;
      paint();
    };
    for (const e of ["pointerenter", "focus"]) b.addEventListener(e, heat(true));
    for (const e of ["pointerleave", "blur"]) b.addEventListener(e, heat(false));
    return b;
  }

  function paint() {
    const v = last;
    const p = v.phase === 5 ? v.next.params : v.params;
    for (const [key, item] of Object.entries(items))
      if (item.handle) paintItem(key, item, v, p, width, hot);
    const x = given(v.xs[v.point]);
    setText(items.x, v.phase >= 1 && v.phase <= 3 ? `x = ${x}` : "");
    svg.dataset.flow = ["", "forward", "", "backward"][v.phase] ?? "";
    const words = width <= LABELLED ? "caption" : "wide";
    setText(caption, say(`${words}${v.phase}`, { x, h: width }));
    const [k, j] = hot?.split(":") ?? [];
    const name = weightName(k, Number(j), width);
    const of = (w) => fmt(k === "b2" ? w.b2 : w[k]?.[j]);
    const read = () => ({
      name,
      value: of(p),
      what: say(k, { j: Number(j) + 1 }),
      grad: of(v.avg),
    });
    setText(readout, hot ? say("read", read()) : say("hint"));
  }

  /** Redraw for the view v. */
  function draw(v) {
    if (v.params.w1.length !== width) {
      width = v.params.w1.length;
      layers.forEach((g) => g.replaceChildren());
      handles.replaceChildren();
      let H;
      ({ items, H } = build(width, layers, place));
      svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
      svg.setAttribute("aria-label", say("net", { h: width }));
    }
    last = v;
    paint();
  }
  return { draw };
}
