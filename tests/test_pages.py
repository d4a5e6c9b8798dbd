"""Every built page in Chromium: desktop and phone, light and dark; clean, accessible, offline."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT, Watch

PAGES = ["/", *(f"/{p.stem}/" for p in sorted((ROOT / "docs").glob("*.md")) if p.stem != "index")]
PAGES.append("/nn_from_scratch/")
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
AXE = Axe()
# axe's rules that read colours; the others read the document and its layout, which a scheme
# does not change. So every rule runs once per layout and scheme that can change its verdict:
# all on the desktop in light, the colour rules in dark, the others on the phone (whose colours
# are the desktop's). The colour rules skip KaTeX's drawn maths (a span per symbol: a quarter
# to a half of their time on a page of formulas); MATHS_COLOURS checks it instead, in both schemes.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
COLOUR = ({"exclude": [[".katex-html"]]}, {"runOnly": {"type": "rule", "values": COLOUR_RULES}})
LAYOUT = (None, {"rules": {rule: {"enabled": False} for rule in COLOUR_RULES}})
AXE_RUNS = {  # (context, options) of each axe run
    ("desktop", "light"): [LAYOUT, COLOUR],
    ("desktop", "dark"): [COLOUR],
    ("phone", "light"): [LAYOUT],
    ("phone", "dark"): [],  # layout: phone, light; colours: desktop, dark
}
# The drawn maths: every part in the colour of the text around it, on no background of its own,
# and that colour against the background behind it at WCAG's 4.5:1 (the ratio color-contrast
# asks of normal text). Returns what is not.
MATHS_COLOURS = """() => {
  const rgba = (c) => [...c.match(/[\\d.]+/g).map(Number), 1].slice(0, 4);
  const clear = (e) => rgba(getComputedStyle(e).backgroundColor)[3] === 0;
  const lum = (c) => rgba(c).slice(0, 3).map((v) => (v /= 255) <= 0.04045 ? v / 12.92
    : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bad = [];
  for (const maths of document.querySelectorAll(".katex-html")) {
    const around = maths.closest(".katex").parentElement;
    const colour = getComputedStyle(around).color;
    for (const e of [maths, ...maths.querySelectorAll("*")])
      if (getComputedStyle(e).color !== colour || !clear(e)) bad.push(["own colour", e.className]);
    let back = around;
    while (back.parentElement && clear(back)) back = back.parentElement;
    const [f, b] = [lum(colour), clear(back) ? 1 : lum(getComputedStyle(back).backgroundColor)];
    const ratio = (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05);
    if (ratio < 4.5) bad.push(["contrast", maths.textContent.slice(0, 30), colour, ratio]);
  }
  return bad.slice(0, 5);
}"""


def axe(page, runs) -> list[str]:
    """The serious and critical violations of these axe runs (axe put into the page once)."""
    page.evaluate(AXE.axe_script)
    found = []
    for context, options in runs:
        results = page.evaluate(
            "([context, options]) => axe.run(context ?? document, options)",
            [context, {"resultTypes": ["violations"], **options}],  # no passes
        )
        found += [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    return found


# What a phone cuts off (the function in tests/cut_off.js, without its opening comment).
CUT_OFF = "\n".join(
    line
    for line in (ROOT / "tests" / "cut_off.js").read_text(encoding="utf-8").splitlines()
    if not line.startswith("//")
)
# The size at which each text of a figure is drawn on the screen, in CSS pixels.
FIGURE_TEXT = """() => [...document.querySelectorAll(".figure svg text, .jp-RenderedSVG svg text")]
  .map((t) => { const m = t.getScreenCTM();
                return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("path", PAGES)
def test_page(open_page, path, device, scheme):
    page = open_page(path, color_scheme=scheme, **DEVICES[device])  # loaded, fonts included
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    if device == "phone":
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
        # what does not fit scrolls in a box that takes the keyboard and fades where it goes on
        assert page.evaluate(CUT_OFF)[:5] == []
        sizes = page.evaluate(FIGURE_TEXT)
        assert min(sizes, default=9) >= 9, f"{path}: figure text as small as {min(sizes):.1f}px"
    if device == "desktop":
        assert page.evaluate(MATHS_COLOURS) == []
    assert axe(page, AXE_RUNS[device, scheme]) == []


def test_the_dark_run_checks_colours(open_page):
    """The colour rules do run in dark: dark grey text on the slate background is caught, and
    so is a link told from its sentence by colour alone."""
    page = open_page("/03-loss/", color_scheme="dark", **DEVICES["desktop"])
    page.evaluate(
        """() => document.querySelector('article').insertAdjacentHTML('afterbegin',
          '<p style="color:#303030">Hard to read.</p>'
          + '<p style="color:#ddd">A sentence with <a href="#" style="color:#e0e0e0;'
          + 'text-decoration:none">a link</a> in it.</p>')"""
    )
    assert {v.split()[0] for v in axe(page, AXE_RUNS["desktop", "dark"])} == set(COLOUR_RULES)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_maths_check_catches_a_colour_of_its_own_and_poor_contrast(open_page, scheme):
    page = open_page("/04-backprop/", color_scheme=scheme, **DEVICES["desktop"])
    assert page.evaluate(MATHS_COLOURS) == []
    page.evaluate("document.querySelector('.katex-html .mord').style.color = 'rgb(1, 2, 3)'")
    assert page.evaluate(MATHS_COLOURS)[0][0] == "own colour"
    page.evaluate("document.querySelector('.katex-html .mord').style.color = ''")
    faint = "rgb(140, 140, 140)" if scheme == "light" else "rgb(70, 70, 80)"  # under 4.5:1
    page.evaluate("(c) => (document.querySelector('.katex').parentElement.style.color = c)", faint)
    assert [problem[0] for problem in page.evaluate(MATHS_COLOURS)][:1] == ["contrast"]


def test_search_finds_pages(open_page):
    """Material's search (a web worker reading search_index.json) works on the served site."""
    page = open_page("/", viewport={"width": 1280, "height": 900})
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("sigmoid", delay=20)  # typed, as Material listens for key events
    page.locator(".md-search-result__meta").filter(has_text="matching").wait_for()
    titles = page.locator(".md-search-result__article h1").all_inner_texts()
    assert any("forward pass" in t.lower() for t in titles) and len(titles) >= 3
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert "sigmoid" in page.locator("article").inner_text().lower()


@pytest.mark.parametrize("width", [320])  # 390 px: test_page, on the phone, in both schemes
def test_nothing_is_cut_off_on_a_phone(browser, server, width):
    """Every page at 320 px: no sideways page, and what does not fit scrolls visibly. (A scheme
    changes colours only: test_page checks 390 px in both.)"""
    context = browser.new_context(
        base_url=server,
        viewport={"width": width, "height": 800},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    problems = {}
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("load")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        cut = page.evaluate(CUT_OFF)
        if overflow > 0 or cut:
            problems[path] = (overflow, cut[:5])
    context.close()
    assert problems == {}


def test_a_request_to_another_host_is_caught_and_never_leaves(tabs, server):
    """The tests' watch sees every request (without routing them, which would switch the HTTP
    cache off), and the test browser resolves no name but loopback's."""
    options = DEVICES["desktop"]
    watch = tabs.watch = Watch()
    page = tabs.tab(options)
    watch.attach(page)
    page.goto("/")
    # served here, so only the browser's resolving rules stop it (else it would load)
    url = server.replace("127.0.0.1", "localhost") + "/assets/playground/nn.js"
    got = page.evaluate(
        "(url) => fetch(url, { mode: 'no-cors' }).then(() => 'loaded', () => 'refused')",
        url,
    )
    watch.detach(page)
    tabs.give_back(page, options)
    assert got == "refused"
    assert watch.problems[0] == f"request to another host: {url}"
    assert f"failed: {url} net::ERR_NAME_NOT_RESOLVED" in watch.problems
