// Number fields (an exact box that says why it refuses, a slider) and every view's helpers.
import { count, fmt } from "./format.js";
import { parseNumber } from "./state.js";

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
export const fill = (text, vars = {}) => text.replace(/\{(\w+)\}/g, (_, k) => vars[k]);
/** The page's sentence `key`, {name}s filled in. */
export const say = (key, vars) => fill((words[key] ??= sentence(key)), vars);

export function setText(node, text) {
	if (node.textContent !== text) node.textContent = text;
}

/** A text box for [get, set] (0,05 is fine), with `slider` a range too; `changed` follows each
 * accepted edit; leaving a refused text fires "refused". Returns show(), which copies the value
 * in (not while the reader types). */
export function field(parent, id, label, [get, set], limits, changed, { slider, integer } = {}) {
	const row = el("div", { class: "pg-field" }, parent);
	el("label", { for: `${id}-n` }, row, label);
	const [lo, hi] = slider ?? [];
	const range =
		slider && el("input", { type: "range", id: `${id}-r`, min: lo, max: hi, step: 0.01 }, row);
	if (range) put(range, { "aria-label": `${label} slider` });
	const inputmode = integer ? "numeric" : "decimal";
	const attrs = {
		type: "text",
		inputmode,
		id: `${id}-n`,
		autocomplete: "off",
		spellcheck: "false",
	};
	const box = el("input", { ...attrs, "aria-describedby": `${id}-e` }, row);
	const err = el("span", { class: "pg-error", id: `${id}-e` }, row);
	let shown = null;
	const show = () => {
		const v = get();
		if (v === shown) return;
		shown = v;
		if (range) range.value = v;
		if (document.activeElement !== box) box.value = integer ? v : Math.round(v * 1e6) / 1e6;
	};
	const take = (v) => {
		set(v);
		err.textContent = "";
		box.removeAttribute("aria-invalid");
		changed();
	};
	range?.addEventListener("input", () => take(Number(range.value)));
	box.addEventListener("input", () => {
		const r = parseNumber(box.value, limits, integer);
		if ("value" in r) return take(r.value);
		err.textContent = `${r.error} Keeping ${integer ? count(get()) : fmt(get(), 4)}.`;
		box.setAttribute("aria-invalid", "true");
	});
	box.addEventListener("change", () => {
		if (!box.hasAttribute("aria-invalid")) return ((shown = null), show());
		const detail = `${label}: ${err.textContent}`;
		box.dispatchEvent(new CustomEvent("refused", { bubbles: true, detail }));
	});
	show();
	return show;
}
