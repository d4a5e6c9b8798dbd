// View: the network, each hidden neuron with its curve σ(w₁x + b₁); edge colour = sign, width =
// size; a button over each weight reads it out; mapped weights get a halo drawn in the SVG.
import { PALETTE } from "./chart.js";
import { el, put, say, setText } from "./fields.js";
import { fmt, given, weightName } from "./format.js";
import { sigmoid } from "./nn.js";

const [W, R] = [400, 17]; // the picture's width; x's and ŷ's radius
const LABELLED = 2; // up to this many hidden neurons, values are on the picture
const NEAR = 24; // a weight's button: this far before (w₁) or after (w₂) its neuron
const thickness = (w) => Math.min(1.2 + 2.4 * Math.sqrt(Math.abs(w)), 12);
const pct = (v, total) => `${((100 * v) / total).toFixed(3)}%`;

/** The shapes for h hidden neurons, far enough apart for a 24-px button each, in `layers`:
 * each weight's {shape, halo, label, handle}, and the picture's height. */
function build(h, [halos, edges, flows, nodes, labels], place) {
	const gap = h === 1 ? 134 : h === 2 ? 102 : 52; // between neurons' centres
	const [H, box, items] = [16 + gap * h, h <= LABELLED ? 96 : 76, {}];
	const boxH = Math.min(64, gap - 12);
	const [IN, OUT] = [30, W - 30].map((x) => ({ x, y: H / 2 }));
	const node = (p, name) => {
		el("svg:text", { x: p.x, y: p.y + 5, class: "pg-node-name" }, labels, name);
		return el("svg:circle", { cx: p.x, cy: p.y, r: R, class: "pg-node" }, nodes);
	};
	node(IN, "x");
	const value = (x, y) => h <= LABELLED && el("svg:text", { x, y, class: "pg-value" }, labels);
	const halo = (tag, attrs) => el(`svg:${tag}`, { ...attrs, class: "pg-halo" }, halos);
	const [left, right] = [W / 2 - box / 2, W / 2 + box / 2];
	for (let j = 0; j < h; j++) {
		const y = 8 + gap * (j + 0.5);
		const ends = {
			w1: [IN.x + R, IN.y, left, y, left - NEAR],
			w2: [right, y, OUT.x - R, OUT.y, right + NEAR],
		};
		for (const [k, [x1, y1, x2, y2, hx]] of Object.entries(ends)) {
			const [d, key] = [`M${x1},${y1}L${x2},${y2}`, `${k}:${j}`];
			const hy = y1 + ((y2 - y1) * (hx - x1)) / (x2 - x1); // the button's place on the edge
			const shape = el("svg:path", { d, class: "pg-edge", "data-key": key }, edges);
			el("svg:path", { d, class: "pg-flow" }, flows);
			const handle = place(key, hx, hy, H);
			items[key] = { shape, halo: halo("path", { d }), label: value(hx, hy - 14), handle };
		}
		const rect = { x: left, y: y - boxH / 2, width: box, height: boxH, rx: 6 };
		const style = `stroke: ${PALETTE[j]}`;
		const shape = el("svg:rect", { ...rect, class: "pg-node pg-hidden", style }, nodes);
		const thumb = el("svg:polyline", { class: "pg-thumb" }, nodes);
		const area = { l: left + 5, r: right - 5, t: rect.y + 4, b: rect.y + boxH - 4 };
		const handle = place(`b1:${j}`, W / 2, y, H, `width: ${pct(box, W)}; height: ${pct(boxH, H)};`);
		items[`b1:${j}`] = {
			shape,
			halo: halo("rect", rect),
			thumb,
			area,
			label: value(W / 2, rect.y + boxH + 13),
			handle,
		};
	}
	const b2 = { shape: node(OUT, "ŷ"), halo: halo("circle", { cx: OUT.x, cy: OUT.y, r: R }) };
	items.b2 = { ...b2, handle: place("b2", OUT.x, OUT.y, H), label: value(W - 48, OUT.y + R + 14) };
	items.x = el("svg:text", { x: IN.x, y: IN.y + R + 14, class: "pg-value" }, labels);
	return { items, H };
}

/** A weight's label in phase v.phase, for the point v.point. */
function label(k, j, v, value) {
	const i = v.point;
	if (v.phase === 3) {
		if (k === "b1") return `∂L/∂z₁ ${fmt(v.back.dL_dz1[i][j])}`;
		return k === "b2" ? `∂L/∂ŷ ${fmt(v.back.dL_dyhat[i])}` : fmt(v.back.grads[k][i][j]);
	}
	if (v.phase === 4) return fmt(k === "b2" ? v.avg.b2 : v.avg[k][j]);
	if (k === "b1" && (v.phase === 1 || v.phase === 2)) return `a₁ ${fmt(v.fwd.a1[i][j])}`;
	if (k === "b2" && v.phase === 1) return `ŷ ${fmt(v.fwd.yHat[i])}`;
	if (k === "b2" && v.phase === 2) return `L ${fmt(v.losses[i])}`;
	return (k[0] === "b" ? `${weightName(k, 0, 1)} ` : "") + fmt(value);
}

/** Weight `key`'s shape, halo, label and button, for view v and weights p. */
function paintItem(key, item, v, p, width) {
	const [k, j] = key.split(":");
	const value = k === "b2" ? p.b2 : p[k][j];
	if (k[0] === "w") {
		item.shape.setAttribute("stroke-width", thickness(value).toFixed(2));
		item.shape.classList.toggle("pg-neg", value < 0);
		item.halo.setAttribute("stroke-width", (thickness(value) + 7).toFixed(2));
	}
	if (item.thumb) {
		const { l, r, t, b } = item.area;
		const y = (n) => b - sigmoid(p.w1[j] * (0.5 + n / 6) + p.b1[j]) * (b - t); // x = 0.5 … 4.5
		const at = (n) => `${(l + (n / 24) * (r - l)).toFixed(1)},${y(n).toFixed(1)}`;
		item.thumb.setAttribute("points", Array.from({ length: 25 }, (_, n) => at(n)).join(" "));
	}
	if (item.label) setText(item.label, label(k, j, v, value));
	const text = `${weightName(k, Number(j), width)} = ${fmt(value)}`;
	if (item.handle.getAttribute("aria-label") !== text) item.handle.setAttribute("aria-label", text);
	const mapped = v.axes.includes(key);
	item.handle.setAttribute("aria-pressed", String(mapped));
	item.halo.classList.toggle("pg-on", mapped);
}

export function diagram(root, onSelect) {
	const [svg, handles] = [root.querySelector("svg"), root.querySelector(".pg-handles")];
	const [caption, readout] = ["net-caption", "net-readout"].map((n) =>
		root.querySelector(`[data-out='${n}']`),
	);
	const layers = ["pg-halos", "edges", "pg-flows", "nodes", "labels"].map((c) =>
		el("svg:g", { class: c }, svg),
	);
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
			if (item.handle) paintItem(key, item, v, p, width);
		const x = given(v.xs[v.point]);
		setText(items.x, v.phase >= 1 && v.phase <= 3 ? `x = ${x}` : "");
		svg.dataset.flow = ["", "forward", "", "backward"][v.phase] ?? "";
		setText(caption, say(`${width <= LABELLED ? "caption" : "wide"}${v.phase}`, { x, h: width }));
		if (!hot) return setText(readout, say(v.axes.length ? "hint-map" : "hint"));
		const [k, j] = hot.split(":");
		const [name, of] = [weightName(k, Number(j), width), (w) => fmt(k === "b2" ? w.b2 : w[k][j])];
		const what = say(k, { j: Number(j) + 1 });
		setText(readout, say("read", { name, value: of(p), what, grad: of(v.avg) }));
	}
	function draw(v) {
		if (v.params.w1.length !== width) {
			width = v.params.w1.length;
			layers.forEach((g) => g.replaceChildren());
			handles.replaceChildren();
			let H;
			({ items, H } = build(width, layers, place));
			put(svg, { viewBox: `0 0 ${W} ${H}`, "aria-label": say("net", { h: width }) });
		}
		last = v;
		paint();
	}
	return { draw };
}
