// View: the network: x, each hidden neuron with its curve σ(w₁x + b₁), ŷ; edge colour = sign,
// thickness = size. One image for screen readers; a button over each weight reads it out.
import { fmt, given, weightName } from "./format.js";
import { PALETTE } from "./chart.js";
import { el, say, setText } from "./fields.js";
import { sigmoid } from "./nn.js";

const W = 400;
const R = 17; // radius of the input and output nodes
const MID = W / 2;
const thickness = (w) => Math.min(1.2 + 2.4 * Math.sqrt(Math.abs(w)), 12);
const pct = (v, total) => `${((100 * v) / total).toFixed(3)}%`;

export function diagram(root, onSelect) {
  const svg = root.querySelector("svg");
  const handles = root.querySelector(".pg-handles");
  const caption = root.querySelector("[data-out='net-caption']");
  const readout = root.querySelector("[data-out='net-readout']");
  const layers = ["edges", "pg-flows", "nodes", "labels"].map((c) => el("svg:g", { class: c }, svg));
  let items = {};
  let width = 0;
  let hot = null;
  let last = null;

  function build(h) {
    width = h;
    items = {};
    layers.forEach((g) => g.replaceChildren());
    const [edges, flows, nodes, labels] = layers;
    handles.replaceChildren();
    const H = h === 1 ? 150 : h === 2 ? 220 : 280;
    const IN = { x: 30, y: H / 2 };
    const OUT = { x: W - 30, y: H / 2 };
    const box = h <= 2 ? 96 : 76; // hidden nodes' width
    const gap = (H - 16) / h;
    const boxH = Math.min(64, gap - 8);
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    el("svg:circle", { cx: IN.x, cy: IN.y, r: R, class: "pg-node" }, nodes);
    const out = el("svg:circle", { cx: OUT.x, cy: OUT.y, r: R, class: "pg-node" }, nodes);
    el("svg:text", { x: IN.x, y: IN.y + 5, class: "pg-node-name" }, nodes, "x");
    el("svg:text", { x: OUT.x, y: OUT.y + 5, class: "pg-node-name" }, nodes, "ŷ");
    const value = (x, y) => el("svg:text", { x, y, class: "pg-value" }, labels);
    const place = (key, x, y, size = "") => {
      const b = el("button", { type: "button", class: "pg-handle", "aria-pressed": "false", "aria-describedby": readout.id, style: `left: ${pct(x, W)}; top: ${pct(y, H)}; ${size}` }, handles);
      b.addEventListener("click", () => onSelect(key));
      const heat = (on) => () => {
        hot = on ? key : hot === key ? null : hot;
        paint();
      };
      for (const e of ["pointerenter", "focus"]) b.addEventListener(e, heat(true));
      for (const e of ["pointerleave", "blur"]) b.addEventListener(e, heat(false));
      return b;
    };
    for (let j = 0; j < h; j++) {
      const y = 8 + gap * (j + 0.5);
      const [left, right] = [MID - box / 2, MID + box / 2];
      for (const [k, a, b, t] of [["w1", { x: IN.x + R, y: IN.y }, { x: left, y }, h > 2 ? 0.72 : 0.55], ["w2", { x: right, y }, { x: OUT.x - R, y: OUT.y }, h > 2 ? 0.28 : 0.45]]) {
        const d = `M${a.x},${a.y}L${b.x},${b.y}`;
        const [lx, ly] = [a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t];
        items[`${k}:${j}`] = { shape: el("svg:path", { d, class: "pg-edge", "data-key": `${k}:${j}` }, edges), label: h <= 2 && value(lx, ly - 8), handle: place(`${k}:${j}`, lx, ly - (h <= 2 ? 5 : 0)) };
        el("svg:path", { d, class: "pg-flow" }, flows);
      }
      const shape = el("svg:rect", { x: left, y: y - boxH / 2, width: box, height: boxH, rx: 6, class: "pg-node pg-hidden", style: `stroke: ${PALETTE[j]}` }, nodes);
      const thumb = el("svg:polyline", { class: "pg-thumb" }, nodes);
      const area = { l: left + 5, r: right - 5, t: y - boxH / 2 + 4, b: y + boxH / 2 - 4 };
      items[`b1:${j}`] = { shape, thumb, area, label: h <= 2 && value(MID, y + boxH / 2 + 13), handle: place(`b1:${j}`, MID, y, `width: ${pct(box, W)}; height: ${pct(boxH, H)};`) };
    }
    items.b2 = { shape: out, label: value(W - 48, OUT.y + R + 14), handle: place("b2", OUT.x, OUT.y) };
    items.x = value(IN.x, IN.y + R + 14);
    svg.setAttribute("aria-label", say("net", { h }));
  }

  /** A weight's label in phase v.phase, for the point v.point. */
  function label(k, j, v, value) {
    const i = v.point;
    const bias = k[0] === "b";
    if (v.phase === 3) return k === "b1" ? `∂L/∂z₁ ${fmt(v.back.dL_dz1[i][j])}` : k === "b2" ? `∂L/∂ŷ ${fmt(v.back.dL_dyhat[i])}` : fmt(v.back.grads[k][i][j]);
    if (v.phase === 4) return fmt(k === "b2" ? v.avg.b2 : v.avg[k][j]);
    if ((v.phase === 1 || v.phase === 2) && bias) return k === "b1" ? `a₁ ${fmt(v.fwd.a1[i][j])}` : v.phase === 1 ? `ŷ ${fmt(v.fwd.yHat[i])}` : `L ${fmt(v.losses[i])}`;
    return (bias ? `${weightName(k, 0, 1)} ` : "") + fmt(value);
  }

  function paint() {
    const v = last;
    const p = v.phase === 5 ? v.next.params : v.params;
    for (const [key, item] of Object.entries(items)) {
      if (!item.handle) continue;
      const [k, j] = key.split(":");
      const value = k === "b2" ? p.b2 : p[k][j];
      if (k[0] === "w") {
        item.shape.setAttribute("stroke-width", thickness(value).toFixed(2));
        item.shape.classList.toggle("pg-neg", value < 0);
      }
      if (item.thumb) {
        const { l, r, t, b } = item.area;
        const pts = Array.from({ length: 25 }, (_, n) => `${(l + (n / 24) * (r - l)).toFixed(1)},${(b - sigmoid(p.w1[j] * (0.5 + n / 6) + p.b1[j]) * (b - t)).toFixed(1)}`);
        item.thumb.setAttribute("points", pts.join(" "));
      }
      if (item.label) setText(item.label, label(k, j, v, value));
      const text = `${weightName(k, Number(j), width)} = ${fmt(value)}`;
      if (item.handle.getAttribute("aria-label") !== text) item.handle.setAttribute("aria-label", text);
      item.handle.setAttribute("aria-pressed", String(v.axes.includes(key)));
      item.shape.classList.toggle("pg-axis", v.axes.includes(key));
      item.shape.classList.toggle("pg-hot", hot === key);
    }
    const x = given(v.xs[v.point]);
    setText(items.x, v.phase >= 1 && v.phase <= 3 ? `x = ${x}` : "");
    svg.dataset.flow = ["", "forward", "", "backward"][v.phase] ?? "";
    setText(caption, say(`caption${v.phase}`, { x }));
    const [k, j] = hot?.split(":") ?? [];
    const name = weightName(k, Number(j), width);
    const of = (w) => fmt(k === "b2" ? w.b2 : w[k]?.[j]);
    setText(readout, hot ? say("read", { name, value: of(p), what: say(k, { j: Number(j) + 1 }), grad: of(v.avg) }) : say("hint"));
  }

  /** Redraw for the view v. */
  function draw(v) {
    if (v.params.w1.length !== width) build(v.params.w1.length);
    last = v;
    paint();
  }
  return { draw };
}
