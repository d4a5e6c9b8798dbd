// The playground's entry: the controller (control.js), its views, its fields, and what each
// control does; then the "Predict" challenges below it (challenges.js).
import { costChart, fitChart } from "./chart.js";
import { challenges } from "./challenges.js";
import { controller } from "./control.js";
import { diagram } from "./diagram.js";
import { drawer } from "./draw.js";
import { el, field, say, setText } from "./fields.js";
import { given, weightName } from "./format.js";
import { landscape } from "./landscape.js";
import * as nn from "./nn.js";
import { LIMITS, SLIDER } from "./state.js";
import { epochTable } from "./tables.js";

/** The weight and data fields, for the width now (again when it changes). */
function weightFields(pg) {
  let shows = [];
  const refused = (name, why) => pg.note(say("refused", { name, why }));
  const build = () => {
    const [weights, data] = [pg.out("weights"), pg.out("data")];
    weights.replaceChildren();
    data.replaceChildren();
    shows = nn.keys(pg.s.width).map(([k, j]) => {
      const holder = () => (k === "b2" ? pg.s.params : pg.s.params[k]);
      const key = k === "b2" ? k : j;
      const [get, set] = [() => holder()[key], (v) => (holder()[key] = v)];
      const [id, label, limits, slider] = [
        `pg-${k}-${j}`,
        weightName(k, j, pg.s.width),
        LIMITS.weight,
        SLIDER.weight,
      ];
      return field(weights, { id, label, get, set, limits, slider, refused, changed: pg.newRun });
    });
    pg.xs.forEach((x, k) => {
      const [get, set] = [() => pg.s.ys[k], (v) => (pg.s.ys[k] = v)];
      const label = `y at x = ${given(x)}`;
      shows.push(
        field(data, {
          id: `pg-y-${k}`,
          label,
          get,
          set,
          limits: LIMITS.y,
          refused,
          changed: pg.newRun,
        }),
      );
    });
  };
  build();
  return { build, show: () => shows.forEach((show) => show()) };
}

/** The settings' fields: η, the random start's seed and scale, Stop at epoch. */
function settingFields(pg) {
  const refused = (name, why) => pg.note(say("refused", { name, why }));
  const random = () => pg.begin({ start: "random" });
  const settings = [
    ["lr", "learning rate η", LIMITS.lr, pg.changed, { slider: SLIDER.lr }],
    ["seed", "Seed", [0, pg.config.normals.length - 1], random, { integer: true }],
    ["scale", "Scale", LIMITS.scale, random],
    ["stop", "Stop at epoch", LIMITS.epoch, pg.stopAtChanged, { integer: true }, "stopAt"],
  ];
  return settings.map(([name, label, limits, changed, kind, key = name]) => {
    const [get, set] = [() => pg.s[key], (v) => (pg.s[key] = v)];
    return field(pg.out(name), {
      id: `pg-${name}`,
      label,
      get,
      set,
      limits,
      changed,
      refused,
      ...kind,
    });
  });
}

/** Menus, checkboxes and buttons. */
function wire(pg, views) {
  const { config } = pg;
  const options = (name, pairs) =>
    pairs.forEach(([value, label]) => el("option", { value }, pg.input(name), label));
  options(
    "width",
    config.widths.map((w) => [w, String(w)]),
  );
  options(
    "optimiser",
    Object.entries(config.optimisers).map(([k, o]) => [
      k,
      o.label[0].toUpperCase() + o.label.slice(1),
    ]),
  );
  options(
    "point",
    pg.xs.map((x, k) => [k, `x = ${given(x)}`]),
  );
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
    train: () => (pg.s.running && !pg.s.toEpoch ? pg.stop() : pg.start(false)),
    "run-to": () => (pg.s.running && pg.s.toEpoch ? pg.stop() : pg.start(true)),
    step: pg.step,
    phase: pg.phase,
    reset: pg.reset,
    stuck: pg.stuck,
    "reset-data": () => ((pg.s.ys = [...config.y]), pg.newRun()),
    "default-lr": pg.ownLr,
    more: () => ((pg.s.more = !pg.s.more), pg.changed()),
    copy: () => copy(pg),
  };
  pg.root.addEventListener("click", (e) =>
    actions[e.target.closest("[data-action]")?.dataset.action]?.(),
  );
}

/** Copy the state's link; say whether it worked. */
async function copy(pg) {
  pg.share();
  try {
    await navigator.clipboard.writeText(pg.out("share").href);
    pg.note(say("copied"));
  } catch {
    pg.note(say("copy-failed"));
  }
}

/** Controls that show the state: menus, checkboxes, fields, More controls. */
function syncer(pg, weights, settings) {
  return () => {
    const s = pg.s;
    for (const k of ["start", "width", "optimiser", "speed", "point"]) pg.input(k).value = s[k];
    pg.input("start").querySelector("[value=linked]").hidden = s.start !== "linked";
    pg.input("parts").checked = s.parts;
    pg.input("log").checked = s.log;
    weights.show();
    for (const show of settings) show();
    const more = pg.$('[data-action="more"]');
    more.setAttribute("aria-expanded", String(s.more));
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
  const views = {
    net: diagram(pg.$(".pg-diagram"), (key) =>
      pg.requestDraw((pg.s.axes = key === pg.s.axes[0] ? pg.s.axes : [key, pg.s.axes[0]])),
    ),
    fit: fitChart(pg.$('[data-chart="fit"]'), pg.xs, pg.drag),
    cost: costChart(pg.$('[data-chart="cost"]'), pg.out("readout")),
    map: landscape(pg.$(".pg-landscape"), pg.xs, (pair) => pg.requestDraw((pg.s.axes = pair))),
    table: epochTable(pg.$(".pg-epoch"), pg.xs),
  };
  const weights = weightFields(pg);
  pg.rebuild = () => (weights.build(), views.map.reset());
  pg.sync = syncer(pg, weights, settingFields(pg));
  pg.draw = drawer(pg, views);
  wire(pg, views);
  pg.draw();
  pg.share();
  challenges(pg);
}

function boot() {
  const root = document.getElementById("playground");
  if (root && !root.dataset.ready) init(root);
}
// Material's instant navigation swaps pages without reloading scripts.
if (window.document$) window.document$.subscribe(boot);
else boot();
