// Views: the fit chart and the cost chart, in SVG; their ranges hold all they draw.
import { el, inside, put, setText } from "./fields.js";
import { cost, count, fmt, sup } from "./format.js";
import { sigmoid } from "./nn.js";

// a colour per neuron, 3 : 1 or more on light and dark
export const PALETTE = "#e4572e #4f7cff #1f9e89 #b05cc6 #c27c0e #3c9a3c #d6457a #808080".split(" ");
const [W, H] = [320, 220];
const CHAR = 6.4; // width of a tick label's character at 11 px

/** Round ticks over [lo, hi], each with its label: [[t, "0.5"], …]. */
export function niceTicks(lo, hi, most = 6, integer = false, label = tickLabel) {
	const raw = Math.max((hi - lo) / (most - 1), integer ? 1 : 0);
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = power * [1, 2, integer && power < 10 ? 5 : 2.5, 5, 10].find((m) => m * power >= raw);
	const ticks = [];
	for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
		ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
	return ticks.map((t) => [t, label(t, step)]);
}

/** A tick's label with the decimals its step needs. */
function tickLabel(t, step) {
	const quarter = Math.round((step / 10 ** Math.floor(Math.log10(step))) * 10) === 25;
	const digits = Math.ceil(-Math.log10(step) - 1e-9) + quarter;
	return Math.abs(t) >= 1e6 ? fmt(t) : fmt(t, Math.max(0, Math.min(6, digits)));
}

/** An epoch tick: 500, 5,000, 50k, 1.5M. */
const epochLabel = (e) =>
	e >= 1e6
		? `${+(e / 1e6).toPrecision(3)}M`
		: e >= 1e4
			? `${+(e / 1e3).toPrecision(3)}k`
			: count(e);
const least = (vs) => vs.reduce((a, b) => (b < a ? b : a), Infinity);
const most = (vs) => vs.reduce((a, b) => (b > a ? b : a), -Infinity);
const line = (xs, ys, X, Y) =>
	xs.map((x, k) => `${X(x).toFixed(1)},${Y(ys[k]).toFixed(1)}`).join(" ");

/** Axes and ticks: the scales and box. */
function frame(group, xs, ys, xLabel) {
	const box = {
		l: 8 + CHAR * most(ys.ticks.map(([, s]) => s.length)),
		r: W - 10,
		t: 10,
		b: H - 34,
	};
	const X = (x) => box.l + ((x - xs.lo) / (xs.hi - xs.lo)) * (box.r - box.l);
	const Y = (y) => box.b - ((y - ys.lo) / (ys.hi - ys.lo)) * (box.b - box.t);
	group.replaceChildren();
	for (const [t, s] of ys.ticks) {
		el("svg:line", { x1: box.l, x2: box.r, y1: Y(t), y2: Y(t), class: "pg-grid" }, group);
		el("svg:text", { x: box.l - 4, y: Y(t) + 4, "text-anchor": "end" }, group, s);
	}
	for (const [t, s] of xs.ticks) {
		const anchor = X(t) > box.r - 12 ? "end" : "middle"; // the last stays inside
		el("svg:text", { x: X(t), y: box.b + 15, "text-anchor": anchor }, group, s);
	}
	el("svg:path", { d: `M${box.l},${box.t}V${box.b}H${box.r}` }, group);
	const label = { x: (box.l + box.r) / 2, y: H - 4, "text-anchor": "middle" };
	el("svg:text", { ...label, class: "pg-axis-label" }, group, xLabel);
	return { X, Y, box };
}

/** A data point to drag (its transparent stroke makes it a target of 24 px or more). */
function point(svg, onDrag) {
	const c = el("svg:circle", { class: "pg-point", r: 7 }, svg);
	c.addEventListener("pointerdown", (e) => {
		e.preventDefault();
		const move = (ev) => onDrag(inside(svg, ev.clientX, ev.clientY).y, false);
		const up = () => {
			removeEventListener("pointermove", move);
			removeEventListener("pointerup", up);
			onDrag(null, true);
		};
		addEventListener("pointermove", move);
		addEventListener("pointerup", up);
	});
	return c;
}

/** The fit chart: data (draggable), ŷ and each neuron's part. */
export function fitChart(svg, xs, onDrag) {
	const [axes, partsGroup] = [el("svg:g", { class: "pg-axes" }, svg), el("svg:g", {}, svg)];
	const bias = el("svg:line", { class: "pg-bias" }, svg);
	const curve = el("svg:polyline", { class: "pg-curve" }, svg);
	const grid = Array.from({ length: 81 }, (_, k) => 0.5 + k / 20);
	let [parts, scale, key] = [[], null, ""];
	const dots = xs.map((_, k) =>
		point(svg, (y, done) => onDrag(k, y === null ? null : scale.inverse(y), done)),
	);
	function draw(p, ys, showParts) {
		if (parts.length !== p.w1.length) {
			partsGroup.replaceChildren();
			const style = (c) => ({ class: "pg-part", style: `stroke: ${c}` });
			parts = PALETTE.slice(0, p.w1.length).map((c) => el("svg:polyline", style(c), partsGroup));
		}
		const curves = p.w1.map((w, j) => grid.map((x) => sigmoid(x * w + p.b1[j]) * p.w2[j]));
		const sum = grid.map((_, k) => curves.reduce((s, c) => s + c[k], 0) + p.b2);
		const all = [...ys, ...sum, ...(showParts ? [...curves.flat(), p.b2] : [])];
		const finite = all.filter(Number.isFinite);
		const [a, b] = [Math.min(-0.25, least(finite)), Math.max(1.25, most(finite))];
		const [lo, hi] = [a - 0.05 * (b - a), b + 0.05 * (b - a)];
		if (`${lo}|${hi}` !== key) {
			key = `${lo}|${hi}`;
			const across = { lo: 0.5, hi: 4.5, ticks: xs.map((x) => [x, String(x)]) };
			const f = frame(axes, across, { lo, hi, ticks: niceTicks(lo, hi) }, "x");
			scale = { ...f, inverse: (y) => lo + ((f.box.b - y) / (f.box.b - f.box.t)) * (hi - lo) };
		}
		const { X, Y, box } = scale;
		curve.setAttribute("points", line(grid, sum, X, Y));
		parts.forEach((part, j) => put(part, { points: showParts ? line(grid, curves[j], X, Y) : "" }));
		const display = showParts ? "inline" : "none";
		put(bias, { x1: box.l, x2: box.r, y1: Y(p.b2), y2: Y(p.b2), display });
		dots.forEach((c, k) => put(c, { cx: X(xs[k]), cy: Y(ys[k]) }));
		svg.dataset.range = `${lo},${hi}`;
	}
	return { draw };
}

/** Ticks on a log or a linear scale: [lo, hi, ticks]. */
function yAxis(low, high, log) {
	if (!log) {
		const top = (high || 1) * 1.05; // all costs 0, no levels: still an axis
		const ticks = niceTicks(0, top);
		return [0, Math.max(top, ticks.at(-1)[0]), ticks];
	}
	const every = Math.max(1, Math.ceil((Math.ceil(high) - Math.floor(low)) / 5));
	const [lo, hi] = [Math.floor(low / every) * every, Math.ceil(high / every) * every];
	const ticks = Array.from({ length: (hi - lo) / every + 1 }, (_, k) => lo + k * every);
	return [lo, hi, ticks.map((t) => [t, t ? `10${sup(t)}` : "1"])];
}

/** The cost chart: C per epoch, reference levels, a readout. */
export function costChart(svg, readout) {
	const [axes, marks] = ["pg-axes", "pg-refs"].map((c) => el("svg:g", { class: c }, svg));
	const curve = el("svg:polyline", { class: "pg-curve" }, svg);
	const guide = el("svg:line", { class: "pg-guide" }, svg);
	const dot = el("svg:circle", { class: "pg-guide-dot", r: 4 }, svg);
	let [scale, key, shown] = [null, "", []];
	/** pts: [epoch, cost]s; at: the readout's index or null; refs: [[cost, label]]. */
	function draw(pts, log, at, refs) {
		shown = pts;
		const f = log ? (v) => Math.log10(Math.max(v, 1e-300)) : (v) => v;
		const vs = pts.map(([, v]) => f(v));
		const all = [...vs, ...refs.map(([v]) => f(v))];
		const [lo, hi, ticks] = yAxis(least(all), most(all), log);
		const x = niceTicks(0, Math.max(pts.at(-1)[0], 10), 5, true, epochLabel);
		const end = Math.max(pts.at(-1)[0], x.at(-1)[0]);
		if (`${log}|${lo}|${hi}|${end}|${refs}` !== key) {
			key = `${log}|${lo}|${hi}|${end}|${refs}`;
			scale = frame(axes, { lo: 0, hi: end, ticks: x }, { lo, hi, ticks }, "epoch");
			marks.replaceChildren();
			const { Y, box } = scale;
			refs.forEach(([v, label], k) => {
				const y = Y(f(v));
				el("svg:line", { x1: box.l, x2: box.r, y1: y, y2: y, class: "pg-ref" }, marks);
				const below = k && Math.abs(Y(f(refs[0][0])) - y) < 14; // keep the labels apart
				el(
					"svg:text",
					{ x: box.r - 2, y: below ? y + 12 : y - 3, "text-anchor": "end" },
					marks,
					label,
				);
			});
		}
		const { X, Y, box } = scale;
		const epochs = pts.map(([e]) => e);
		curve.setAttribute("points", line(epochs, vs, X, Y));
		const [e, v] = pts[at ?? pts.length - 1];
		const display = at === null ? "none" : "inline";
		put(guide, { x1: X(e), x2: X(e), y1: box.t, y2: box.b, display });
		put(dot, { cx: X(e), cy: Y(f(v)), display });
		setText(readout, `Epoch ${count(e)}: C = ${cost(v)}`);
		svg.dataset.scale = log ? "log" : "linear";
	}
	function nearest(clientX) {
		const x = inside(svg, clientX, 0).x;
		const gap = (k) => Math.abs(scale.X(shown[k][0]) - x);
		return shown.reduce((best, _, k) => (gap(k) < gap(best) ? k : best), 0);
	}
	return { draw, nearest };
}
