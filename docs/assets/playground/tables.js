// Views: the epoch table and one point's formulas, numbers put in; in Step phase a value
// appears when it is computed.
import { cost, fmt, given, neuron, put, shown, weightName } from "./format.js";
import { el, say, setText } from "./fields.js";
import { flat, keys, optimiser } from "./nn.js";

const mean = (g, k, j) => (k === "b2" ? g.b2 : g[k][j]); // of averaged gradients
const perPoint = (g, k, j) => (k === "b2" ? g.b2 : g[k].map((row) => row[j])); // of a point's

/** Rows: [section, label, (view, point) → value, view → mean]. */
function rows(h) {
	const n = (j) => neuron(j, h);
	const each = (f) => Array.from({ length: h }, (_, j) => f(j));
	return [
		...each((j) => [1, `z₁${n(j)}`, (v, i) => v.fwd.z1[i][j]]),
		...each((j) => [1, `a₁${n(j)} = σ(z₁${n(j)})`, (v, i) => v.fwd.a1[i][j]]),
		[1, "ŷ", (v, i) => v.fwd.yHat[i]],
		[2, "y", (v, i) => v.ys[i]],
		[2, "L = ½(ŷ − y)²", (v, i) => v.losses[i], (v) => v.cost, cost], // the mean: the cost C
		...keys(h).map(([k, j]) => {
			const [value, average] = [
				(v, i) => perPoint(v.back.grads, k, j)[i],
				(v) => mean(v.avg, k, j),
			];
			return [3, `∂L/∂${weightName(k, j, h)}`, value, average];
		}),
	];
}

export function epochTable(table, xs) {
	let [cells, bodies, width] = [[], [], 0];
	function build(h) {
		width = h;
		table.replaceChildren();
		el("caption", {}, table, say("table"));
		const head = el("tr", {}, el("thead", {}, table));
		for (const text of ["", ...xs.map((x) => `x = ${x}`), "mean"])
			el("th", { scope: "col" }, head, text);
		bodies = [1, 2, 3].map((k) => {
			const body = el("tbody", { "data-section": k }, table);
			const row = el("tr", { class: "pg-section" }, body);
			el("th", { colspan: xs.length + 2, scope: "rowgroup" }, row, say(`section${k}`));
			return body;
		});
		cells = rows(h).map(([section, label, value, average, written = shown]) => {
			const tr = el("tr", {}, bodies[section - 1]);
			el("th", { scope: "row" }, tr, label);
			const [tds, meanTd] = [xs.map(() => el("td", {}, tr)), el("td", {}, tr)];
			return { section, value, average, written, tds, meanTd };
		});
	}

	/** Fill in view v; in Step phase only what is computed so far. */
	function draw(v) {
		if (v.params.w1.length !== width) build(v.params.w1.length);
		const known = (phase) => v.phase === 0 || v.phase >= phase;
		for (const { section, value, average, written, tds, meanTd } of cells) {
			tds.forEach((td, i) => {
				const text = average || section === 1 ? shown(value(v, i)) : given(value(v, i));
				setText(td, known(section) ? text : "·");
				td.classList.toggle("pg-col", i === v.point);
			});
			const meanText = average && known(section === 3 ? 4 : 2) ? written(average(v)) : "·";
			setText(meanTd, average ? meanText : "");
			meanTd.classList.toggle("pg-active", v.phase === 4 && section === 3);
		}
		bodies.forEach((body, k) => body.classList.toggle("pg-active", v.phase === k + 1));
	}
	return { draw };
}

/** The current phase's formulas for the point v.point. */
export function formulaLines(v, opt) {
	const { point: i, params: p, fwd, back: b } = v;
	const h = p.w1.length;
	const [x, y] = [given(v.xs[i]), v.ys[i] < 0 ? `(${given(v.ys[i])})` : given(v.ys[i])];
	const [yhat, d] = [fmt(fwd.yHat[i]), b.dL_dyhat[i]];
	const lines = [];
	const line = (key, vars) => lines.push(say(key, { x, y, yhat, ...vars }));
	const each = (f) => p.w1.forEach((_, j) => f(j, neuron(j, h), fwd.a1[i][j]));
	if (v.phase <= 1) {
		each((j, n, a) => {
			line("f-z", { n, w: put(p.w1[j]), b: put(p.b1[j]), z: fmt(fwd.z1[i][j]) });
			line("f-a", { n, a: fmt(a) });
		});
		const terms = p.w2.map((w, j) => [
			`w₂${neuron(j, h)}·a₁${neuron(j, h)}`,
			`${put(w)}·${fmt(fwd.a1[i][j])}`,
		]);
		const [names, values] = [0, 1].map((m) => terms.map((t) => t[m]).join(" + "));
		line("f-y", { names, values, b: put(p.b2) });
	}
	if (v.phase === 0 || v.phase === 2) {
		line("f-L", { L: fmt(v.losses[i]) });
		line("f-C", { sum: v.losses.map((l) => fmt(l)).join(" + "), C: cost(v.cost) });
	}
	if (v.phase === 3) {
		line("f-d", { d: fmt(d), b: shown(d) });
		each((j, n, a) => {
			const [da, s, dz] = [b.dL_da1[i][j], b.da1_dz1[i][j], b.dL_dz1[i][j]];
			const [g1, g2] = [shown(b.grads.w1[i][j]), shown(b.grads.w2[i][j])];
			line("f-w2", { n, d: put(d), a: fmt(a), g: g2, w: put(p.w2[j]), da: shown(da) });
			line("f-s", { n, a: fmt(a), c: fmt(1 - a), s: shown(s) });
			line("f-z1", { n, da: put(da), s: fmt(s), dz: shown(dz), pz: put(dz), g: g1 });
		});
	}
	const names = keys(h).map(([k, j]) => weightName(k, j, h));
	if (v.phase === 4) {
		keys(h).forEach(([k, j], m) => {
			const terms = perPoint(b.grads, k, j)
				.map((g) => put(g))
				.join(" + ");
			line("f-mean", { w: names[m], terms, g: shown(mean(v.avg, k, j)) });
		});
	}
	if (v.phase === 5) {
		const [old, g, now] = [p, v.avg, v.next.params].map(flat);
		const at = (mem, m) =>
			Object.fromEntries(Object.entries(mem).map(([k, a]) => [k, Array.isArray(a) ? a[m] : a]));
		const f = { fmt, given, put };
		names.forEach((w, m) => {
			const [before, after] = [at(v.memory, m), at(v.next.memory, m)];
			const values = { w, g: g[m], old: old[m], now: now[m], lr: v.lr, o: opt, before, after };
			lines.push(optimiser(opt.name).explain(values, f).join("; "));
		});
	}
	return lines;
}
