// The playground's entry: the controller (control.js), its views, each drawn at most once per
// display frame, its fields and controls; then the "Predict" challenges (challenges.js).
import { costChart, fitChart } from "./chart.js";
import { challenges } from "./challenges.js";
import { controller } from "./control.js";
import { diagram } from "./diagram.js";
import { el, field, say, setText } from "./fields.js";
import { NEGLIGIBLE, capital, count, cost as costText, given, weightName } from "./format.js";
import { landscape } from "./landscape.js";
import { meanPrediction, monotoneFloor } from "./levels.js";
import * as nn from "./nn.js";
import { LIMITS, SLIDER } from "./state.js";
import { epochTable, formulaLines } from "./tables.js";

/** The reference levels that apply to the data: [[value, label]]. */
function levels(ys) {
	const plateau = meanPrediction(ys);
	const floor = monotoneFloor(ys);
	const level = (v, key) => [v, say(key, { cost: costText(v) })];
	const all = [level(plateau, "plateau"), level(floor, "floor")];
	return all.filter(([v], k) => v > NEGLIGIBLE && (k === 0 || plateau - v > NEGLIGIBLE));
}

/** draw(): every view, for pg's state now. */
function drawer(pg, views) {
	let [frames, refs, refsFor] = [0, [], ""];
	const lines = [];
	const formulas = (v) => {
		setText(pg.out("formulas-title"), say(`title${v.phase}`, { x: given(pg.xs[v.point]) }));
		const text = formulaLines(v, pg.opt());
		while (lines.length < text.length) lines.push(el("li", {}, pg.out("formulas")));
		while (lines.length > text.length) lines.pop().remove();
		lines.forEach((li, k) => setText(li, text[k]));
	};
	const drawCost = (s, live) => {
		if (String(s.ys) !== refsFor) [refs, refsFor] = [levels(s.ys), String(s.ys)];
		const pts = s.history.map((c, k) => [k * s.stride, c]);
		if (pts.at(-1)?.[0] !== s.epoch) pts.push([s.epoch, live.cost]);
		const readout = pg.input("readout");
		readout.max = pts.length - 1;
		if (s.readout === null) readout.value = pts.length - 1;
		const at = s.readout === null ? null : Math.min(s.readout, pts.length - 1);
		views.cost.draw(pts, s.log, at, refs);
		readout.ariaValueText = pg.out("readout").textContent;
	};
	return function draw() {
		const { s, root } = pg;
		root.dataset.frames = ++frames;
		const live = pg.compute(s.params);
		const axes = s.more ? s.axes : []; // marked in the diagram while the map is shown
		const v = { ...(s.walk ?? live), phase: s.phase, point: s.point, axes };
		Object.assign(root.dataset, { phase: s.phase, running: s.running, epoch: s.epoch });
		setText(pg.$('[data-action="train"]'), s.running && !s.toEpoch ? "Pause" : "Train");
		setText(pg.$('[data-action="run-to"]'), s.running && s.toEpoch ? "Pause" : "Run to epoch");
		setText(pg.out("epoch"), count(s.epoch));
		setText(pg.out("status"), `Cost C = ${costText(live.cost)}`);
		setText(pg.out("message"), s.message);
		setText(pg.out("from"), s.start === "linked" ? `Linked start: ${s.label}` : "");
		setText(pg.out("phase"), say(`phase${s.phase}`));
		views.table.draw(v);
		formulas(v);
		views.net.draw(v);
		views.fit.draw(s.phase === 5 ? v.next.params : s.params, s.ys, s.parts);
		drawCost(s, live);
		if (s.more) views.map.update(s);
		pg.sync();
		if (s.more) views.map.work();
	};
}

const access = (holder, key) => [() => holder()[key], (v) => (holder()[key] = v)];

/** The weight and data fields (built again when the width changes). */
function weightFields(pg) {
	let shows = [];
	const build = () => {
		const [weights, data] = [pg.out("weights"), pg.out("data")];
		weights.replaceChildren();
		data.replaceChildren();
		shows = nn.keys(pg.s.width).map(([k, j]) => {
			const at = k === "b2" ? access(() => pg.s.params, k) : access(() => pg.s.params[k], j);
			const slider = { slider: SLIDER.weight };
			const name = weightName(k, j, pg.s.width);
			return field(weights, `pg-${k}-${j}`, name, at, LIMITS.weight, pg.newRun, slider);
		});
		pg.xs.forEach((x, k) => {
			const at = access(() => pg.s.ys, k);
			shows.push(field(data, `pg-y-${k}`, `y at x = ${given(x)}`, at, LIMITS.y, pg.newRun));
		});
	};
	build();
	return { build, show: () => shows.forEach((show) => show()) };
}

/** η, the random start's seed and scale, Stop at epoch. */
function settingFields(pg) {
	const random = () => pg.begin({ start: "random" });
	const seeds = [0, pg.config.normals.length - 1];
	return [
		["lr", "learning rate η", LIMITS.lr, pg.changed, { slider: SLIDER.lr }],
		["seed", "Seed", seeds, random, { integer: true }],
		["scale", "Scale", LIMITS.scale, random],
		["stop", "Stop at epoch", LIMITS.epoch, pg.stopAtChanged, { integer: true }, "stopAt"],
	].map(([name, label, limits, changed, kind, key = name]) =>
		field(
			pg.out(name),
			`pg-${name}`,
			label,
			access(() => pg.s, key),
			limits,
			changed,
			kind,
		),
	);
}

function wire(pg, views) {
	const { config } = pg;
	const fill = (name, values, text) =>
		values.forEach((value, k) => el("option", { value }, pg.input(name), text(value, k)));
	fill("width", config.widths, String);
	fill("optimiser", Object.keys(config.optimisers), (k) => capital(config.optimisers[k].label));
	fill("point", Object.keys(pg.xs), (k) => `x = ${given(pg.xs[k])}`);
	const on = (name, event, f) => pg.input(name).addEventListener(event, (e) => f(e.target));
	on("start", "change", (t) => pg.begin({ start: t.value }));
	on("width", "change", (t) => pg.begin({ start: "random", width: Number(t.value) }, "width"));
	on("optimiser", "change", (t) => pg.setOptimiser(t.value));
	on("speed", "change", (t) => (pg.s.speed = Number(t.value)));
	const show = (key, value) => pg.requestDraw((pg.s[key] = value));
	for (const k of ["point", "readout"]) on(k, "input", (t) => show(k, Number(t.value)));
	for (const k of ["parts", "log"]) on(k, "change", (t) => show(k, t.checked));
	const chart = pg.$('[data-chart="cost"]');
	chart.addEventListener("pointermove", (e) => show("readout", views.cost.nearest(e.clientX)));
	chart.addEventListener("pointerleave", () => show("readout", null));
	const actions = {
		...{ step: pg.step, phase: pg.phase, reset: pg.reset, stuck: pg.stuck, "default-lr": pg.ownLr },
		train: () => (pg.s.running && !pg.s.toEpoch ? pg.stop() : pg.start(false)),
		"run-to": () => (pg.s.running && pg.s.toEpoch ? pg.stop() : pg.start(true)),
		"reset-data": () => ((pg.s.ys = [...config.y]), pg.newRun()),
		more: () => ((pg.s.more = !pg.s.more), pg.requestDraw(), pg.share()),
		async copy() {
			pg.share();
			pg.address(); // now: the page's address is what was copied
			try {
				await navigator.clipboard.writeText(pg.out("share").href);
				pg.note(say("copied"));
			} catch {
				pg.note(say("copy-failed"));
			}
		},
	};
	pg.root.addEventListener("click", (e) =>
		actions[e.target.closest("[data-action]")?.dataset.action]?.(),
	);
	pg.root.addEventListener("refused", (e) => pg.note(e.detail));
}

/** The controls that show the state. */
function syncer(pg, weights, settings) {
	return () => {
		const s = pg.s;
		for (const k of ["start", "width", "optimiser", "speed", "point"]) pg.input(k).value = s[k];
		pg.input("start").querySelector("[value=linked]").hidden = s.start !== "linked";
		pg.input("parts").checked = s.parts;
		pg.input("log").checked = s.log;
		weights.show();
		for (const show of settings) show();
		pg.$('[data-action="more"]').setAttribute("aria-expanded", String(s.more));
		pg.$("#pg-more").hidden = !s.more;
		const { label, lr } = pg.config.optimisers[s.optimiser];
		const own = pg.$('[data-action="default-lr"]');
		own.hidden = lr === s.lr;
		setText(own, say("default-lr", { name: label, lr: String(lr) }));
	};
}

function init(root) {
	root.dataset.ready = "1";
	const config = JSON.parse(document.getElementById("playground-config").textContent);
	nn.useArithmetic(config.exp);
	const pg = controller(root, config);
	const axes = (pair) => pg.requestDraw((pg.s.axes = pair));
	const views = {
		net: diagram(pg.$(".pg-diagram"), (key) =>
			axes(key === pg.s.axes[0] ? pg.s.axes : [key, pg.s.axes[0]]),
		),
		fit: fitChart(pg.$('[data-chart="fit"]'), pg.xs, pg.drag),
		cost: costChart(pg.$('[data-chart="cost"]'), pg.out("readout")),
		map: landscape(pg.$(".pg-landscape"), pg.xs, axes),
		table: epochTable(pg.$(".pg-epoch"), pg.xs),
	};
	const weights = weightFields(pg);
	pg.rebuild = () => (weights.build(), views.map.reset());
	pg.sync = syncer(pg, weights, settingFields(pg));
	pg.draw = drawer(pg, views);
	wire(pg, views);
	pg.draw();
	pg.share();
	pg.address(); // the link, completed, now
	challenges(pg);
}

function boot() {
	const root = document.getElementById("playground");
	if (root && !root.dataset.ready) init(root);
}
// Material's instant navigation swaps pages without reloading scripts.
if (window.document$) window.document$.subscribe(boot);
else boot();
