// View: the cost over two weights (the others held), on a colour scale; training's path as
// dots coloured by their own cost. The grid is computed a few rows per frame (work).
import { niceTicks } from "./chart.js";
import { el, put, say, setText } from "./fields.js";
import { fmt, weightName } from "./format.js";
import { costOf, flat, keys } from "./nn.js";

const N = 100; // grid cells per side
const W = 320; // the picture's width; the map's box in it (playground.css lays the canvas on it)
const BOX = { l: 64, r: 312, t: 8, b: 262 }; // l: room for "−999.5", ranges being ≥ 2 wide
const MAP_MS = 3; // the grid's share of a frame
const BINS = 32; // the path's dots are drawn in this many colours
// viridis, dark blue (low) to yellow (high): readable with any common colour-vision deficiency
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
const log = (c) => Math.log10(Math.max(c, 1e-300));
const names = (h) => keys(h).map(([k, j]) => (k === "b2" ? k : `${k}:${j}`)); // "w1:0", …, "b2"
const nameOf = (key, h) => weightName(key.split(":")[0], Number(key.split(":")[1] ?? 0), h);

/** Rows [from, to) of the grid of costs over weights a (across) and b (up); row 0 on top. */
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

/** Axes for ranges [across, up], names [a, b]: the scales. */
function axes(group, [ra, rb], [a, b]) {
	const [tx, ty] = [ra, rb].map(([lo, hi]) => niceTicks(lo, hi, 5));
	const { l } = BOX;
	const box = BOX;
	const X = (v) => l + ((v - ra[0]) / (ra[1] - ra[0])) * (box.r - l);
	const Y = (v) => box.b - ((v - rb[0]) / (rb[1] - rb[0])) * (box.b - box.t);
	group.replaceChildren();
	const text = (attrs, s, anchor = "middle") =>
		el("svg:text", { ...attrs, "text-anchor": anchor }, group, s);
	for (const [t, s] of tx)
		text({ x: X(t), y: box.b + 14 }, s, X(t) + s.length * 3.2 > W ? "end" : "middle");
	for (const [t, s] of ty) text({ x: l - 4, y: Y(t) + 4 }, s, "end");
	el(
		"svg:rect",
		{ x: l, y: box.t, width: box.r - l, height: box.b - box.t, class: "pg-map-frame" },
		group,
	);
	const mid = (box.t + box.b) / 2;
	text({ x: (l + box.r) / 2, y: box.b + 30, class: "pg-axis-label" }, `${a} →`);
	text({ x: 12, y: mid, transform: `rotate(-90 12 ${mid})`, class: "pg-axis-label" }, `${b} →`);
	return { box, X, Y };
}

/** The colour scale from 10^lo to 10^hi under the map: its ends' values, and the middle's. */
function legend(group, { l, r }, lo, hi) {
	group.replaceChildren();
	el("svg:rect", { x: l, y: 300, width: r - l, height: 10, fill: "url(#pg-viridis)" }, group);
	const ticks = [
		[l, lo, "start"],
		[(l + r) / 2, (lo + hi) / 2, "middle"],
		[r, hi, "end"],
	];
	for (const [x, v, anchor] of ticks) {
		el("svg:line", { x1: x, x2: x, y1: 310, y2: 314, class: "pg-tick" }, group);
		el("svg:text", { x, y: 326, "text-anchor": anchor }, group, fmt(10 ** v));
	}
	const title = { x: (l + r) / 2, y: 344, "text-anchor": "middle", class: "pg-axis-label" };
	el("svg:text", title, group, say("scale"));
}

/** The path: a dot per recorded epoch in its cost's colour (a ring under each), start, now. */
function pathView(svg) {
	const rings = el("svg:path", { class: "pg-dot-rings" }, svg);
	const colours = Array.from({ length: BINS }, (_, k) =>
		rgb(LUT[Math.round((k / (BINS - 1)) * 255)]),
	);
	const bins = colours.map((stroke) => el("svg:path", { class: "pg-dots", stroke }, svg));
	const ends = ["pg-path-start", "pg-path-now"].map((c) =>
		el("svg:circle", { class: c, r: 6 }, svg),
	);
	let drawn = 0; // when the dots were last drawn: at most ten times a second while training
	return (points, costs, [a, b], X, Y, bin, now) => {
		ends.forEach((c, e) => {
			const [k, at] = [e ? points.length - 1 : 0, bin(costs[e ? points.length - 1 : 0])];
			put(c, { cx: X(points[k][a]), cy: Y(points[k][b]), fill: at < 0 ? "none" : colours[at] });
		});
		if (now - drawn < 100) return;
		drawn = now;
		const [step, ds] = [Math.ceil(points.length / 300), bins.map(() => [])];
		points.forEach((v, k) => {
			const xy = `M${X(v[a]).toFixed(1)} ${Y(v[b]).toFixed(1)}h0`;
			if (k % step === 0) ds[Math.max(0, bin(costs[k]))].push(xy);
		});
		bins.forEach((path, k) => path.setAttribute("d", ds[k].join("")));
		rings.setAttribute("d", ds.flat().join(""));
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

/** The grid's costs as colours, on a log scale of at most 12 powers of ten; its ends (logs). */
function colour(grid, image) {
	const logs = grid.map(log);
	const hi = logs.reduce((a, v) => (v > a ? v : a), -Infinity); // NaN is left out
	const lo = Math.max(
		hi - 12,
		logs.reduce((a, v) => (v < a ? v : a), Infinity),
	);
	logs.forEach((v, i) => {
		const t = hi > lo ? (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo) : 0.5;
		image.data.set([...LUT[Number.isNaN(v) ? 255 : Math.round(t * 255)], 255], 4 * i);
	});
	return [lo, hi];
}

export function landscape(root, xs, onAxes) {
	const [canvas, svg] = ["canvas", "svg"].map((q) => root.querySelector(q));
	const selects = ["x", "y"].map((a) => root.querySelector(`[data-input='axis-${a}']`));
	const ctx = canvas.getContext("2d");
	const image = ctx.createImageData(N, N);
	const gradient = el("svg:linearGradient", { id: "pg-viridis" }, el("svg:defs", {}, svg));
	STOPS.forEach((c, k) => el("svg:stop", { offset: k / 4, "stop-color": rgb(c) }, gradient));
	const [frameG, legendG] = [0, 1].map(() => el("svg:g", { class: "pg-axes" }, svg));
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
	/** The colour bin of cost c on the scale shown (-1 before there is one). */
	const bin = (c) => {
		if (!scale) return -1;
		const t = (log(c) - scale.lo) / (scale.hi - scale.lo || 1);
		return Math.round(Math.min(Math.max(t, 0), 1) * (BINS - 1));
	};
	const redrawPath = (now = Infinity) => {
		const [X, Y] = scale ? [scale.X, scale.Y] : [() => -9, () => -9];
		drawPath(last.points, last.costs, last.slots, X, Y, bin, now);
	};
	/** Note what the map should show for state s. */
	function update(s) {
		if (s.width !== width) {
			width = s.width;
			for (const select of selects) {
				select.replaceChildren();
				for (const key of names(width)) el("option", { value: key }, select, nameOf(key, width));
			}
		}
		selects.forEach((select, k) => (select.value = s.axes[k]));
		if (s.axes.join() !== axesKey) ranges = null;
		axesKey = s.axes.join();
		const [w, p] = [flat(s.params), s.path];
		const slots = s.axes.map((key) => names(width).indexOf(key));
		ranges = fit(ranges, [w, ...p.filter((_, k) => k % 16 === 0), ...p.slice(-1)], slots);
		const held = w.map((v, i) => (slots.includes(i) ? "" : v));
		want = { key: `${axesKey}|${ranges}|${held}|${s.ys}`, w, ys: [...s.ys], slots, ranges, row: 0 };
		last = { points: [...p, w], costs: [...s.history, costOf(w, width, xs, s.ys)], slots };
		redrawPath(s.running ? performance.now() : Infinity);
	}
	function paint(j) {
		const [lo, hi] = colour(grid, image);
		ctx.putImageData(image, 0, 0);
		const [a, b] = selects.map((s) => s.selectedOptions[0]?.textContent);
		const { box, X, Y } = axes(frameG, j.ranges, [a, b]);
		legend(legendG, box, lo, hi);
		scale = { lo, hi, X, Y };
		svg.dataset.scale = `${lo},${hi}`;
		redrawPath();
		const [[x0, x1], [y0, y1]] = j.ranges.map((r) => r.map((v) => fmt(v, 2)));
		const words = { a, b, x0, x1, y0, y1, lo: fmt(10 ** lo), hi: fmt(10 ** hi) };
		svg.setAttribute("aria-label", say("map", words));
	}
	/** A few ms of rows; again next frame until the grid is done. */
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
		svg.dataset.busy = !!job; // the tests wait for "false": the map shows the state
	}
	return { update, work, reset: () => (ranges = null) };
}
