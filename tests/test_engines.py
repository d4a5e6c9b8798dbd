"""The playground in the two other browser engines: WebKit (WebKitGTK, Safari's engine) and Gecko
(Firefox ESR). Each loads the page without errors and trains the very networks Chromium and the
Python train, to the last bit.

WebKitGTK is driven by Selenium through Debian's WebKitWebDriver (package webkit2gtk-driver; its
MiniBrowser needs a display, so a private Xvfb is started when there is none); Firefox by WebDriver
BiDi, its own protocol, over a WebSocket (no geckodriver: Debian has none). .ci/run installs both
browsers; with CI=true a missing one fails, elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from snippets.book import runs
from snippets.book.playground import as_json
from snippets.lesson import LR, STUCK_SEED, X, Y, small_random_start
from snippets.network import Params, to_vector, train

# Selenium's WebKitGTK driver sets its server address the old way (selenium 4.51)
pytestmark = [
    pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning"),
    pytest.mark.xdist_group("engines"),  # one process starts each engine once
]
MINIBROWSER = next(Path("/usr/lib").glob("*/webkit2gtk-4.*/MiniBrowser"), None)
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")


def missing(what: str) -> None:
    """In CI a missing engine is a failure; elsewhere the test says why it did not run."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must test this engine: {what} (.ci/run installs it)")
    pytest.skip(what)


@pytest.fixture(scope="module")
def display():
    """An X display for MiniBrowser: the one there is, or a private Xvfb."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    if not shutil.which("Xvfb"):
        missing("no X display and no Xvfb (Debian package xvfb)")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait()


class WebKit:
    """MiniBrowser through WebKitWebDriver and Selenium."""

    def __init__(self, display: str):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        options = Options()
        options.binary_location = str(MINIBROWSER)
        options.add_argument("--automation")  # MiniBrowser accepts a driver only in this mode
        service = Service(
            executable_path=shutil.which("WebKitWebDriver"), env={**os.environ, "DISPLAY": display}
        )
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_script_timeout(120)

    def open(self, url: str) -> None:
        self.driver.get(url)
        # WebDriver classic has no console here: errors from now on are collected by the page
        self.driver.execute_script(
            "window.problems = [];"
            "addEventListener('error', (e) => problems.push(String(e.message)));"
            "addEventListener('unhandledrejection', (e) => problems.push(String(e.reason)));"
        )

    def run(self, body: str):
        """The value of an async function's body, through JSON."""
        script = (
            "const done = arguments[arguments.length - 1];"
            f"(async () => {{ {body} }})().then((r) => done(JSON.stringify(r ?? null)),"
            " (e) => done(JSON.stringify({thrown: String(e)})));"
        )
        return json.loads(self.driver.execute_async_script(script))

    def forget(self) -> None:
        """(Errors are collected by each page opened, from its opening.)"""

    def problems(self) -> list[str]:
        return self.run("return window.problems;")

    def close(self) -> None:
        self.driver.quit()


class Firefox:
    """Firefox ESR through WebDriver BiDi: its remote agent, over a WebSocket."""

    def __init__(self):
        import websocket

        self.profile = tempfile.mkdtemp(prefix="firefox-profile-")
        Path(self.profile, "user.js").write_text(  # quiet: no updates, reports or first run
            'user_pref("app.update.disabledForTesting", true);\n'
            'user_pref("datareporting.policy.dataSubmissionEnabled", false);\n'
            'user_pref("browser.shell.checkDefaultBrowser", false);\n'
        )
        cmd = [FIREFOX, "--headless", "--no-remote", "--profile", self.profile]
        self.process = subprocess.Popen(
            [*cmd, "--remote-debugging-port", "0"], stderr=subprocess.PIPE, text=True
        )
        for line in self.process.stderr:
            if found := re.search(r"WebDriver BiDi listening on (ws://\S+)", line):
                break
        else:
            raise RuntimeError("Firefox did not start its remote agent")
        self.ws = websocket.create_connection(
            f"{found[1]}/session", timeout=120, suppress_origin=True
        )
        self.id, self.events = 0, []
        self.send("session.new", capabilities={})
        self.send("session.subscribe", events=["log.entryAdded"])
        self.context = self.send("browsingContext.getTree")["contexts"][0]["context"]

    def send(self, method: str, **params):
        self.id += 1
        self.ws.send(json.dumps({"id": self.id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.id:
                assert message["type"] == "success", message
                return message["result"]
            self.events.append(message)

    def open(self, url: str) -> None:
        """Navigate and wait for the load; once, under heavy load in a clean-clone run, the
        command returned with the tab on about:blank, so the page is checked, and asked for
        again once if it is not there."""
        page = url.split("?")[0]
        for _ in range(2):
            self.send("browsingContext.navigate", context=self.context, url=url, wait="complete")
            if (shown := self.run("return location.origin + location.pathname;")) == page:
                return
        raise AssertionError(f"Firefox shows {shown}, not {url}")

    def run(self, body: str):
        result = self.send(
            "script.evaluate",
            expression=f"(async () => JSON.stringify((await (async () => {{ {body} }})()) ?? null))"
            "()",
            target={"context": self.context},
            awaitPromise=True,
        )
        assert result["type"] == "success", result
        return json.loads(result["result"]["value"])

    def forget(self) -> None:
        self.events = []

    def problems(self) -> list[str]:
        return [
            e["params"].get("text", "")
            for e in self.events
            if e.get("method") == "log.entryAdded" and e["params"]["level"] == "error"
        ]

    def close(self) -> None:
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module", params=["webkit", "firefox"])
def started(request):
    """Each engine started once for the module's tests (a start takes seconds)."""
    if request.param == "webkit":
        if not (MINIBROWSER and shutil.which("WebKitWebDriver")):
            missing("WebKitGTK's MiniBrowser and WebKitWebDriver (Debian: webkit2gtk-driver)")
        browser = WebKit(request.getfixturevalue("display"))
    else:
        if not FIREFOX:
            missing("Firefox (Debian: firefox-esr)")
        browser = Firefox()
    yield browser
    browser.close()


@pytest.fixture
def engine(started):
    """The started engine, its log of errors begun afresh for this test."""
    started.forget()
    return started


def wait(browser, condition: str, seconds: float = 120) -> None:
    """Poll until the JavaScript expression `condition` holds."""
    end = time.monotonic() + seconds
    while not browser.run(f"return Boolean({condition});"):
        assert time.monotonic() < end, f"timed out waiting for {condition}"
        time.sleep(0.1)


ROOT_JS = "document.querySelector('#playground')"
LINK = "document.querySelector('[data-out=share]').getAttribute('href')"  # Link to this state
WEIGHTS = f"""const q = new URLSearchParams({LINK}.split('#')[0]);
return ["w1", "b1", "w2", "b2"].map((k) => q.get(k).split(",").map(Number));"""


def weights(browser) -> Params:
    w1, b1, w2, b2 = browser.run(WEIGHTS)
    return Params.of(w1, b1, w2, b2[0])


def same(a: Params, b: Params) -> None:
    assert to_vector(a).tolist() == to_vector(b).tolist()


def test_the_playground_trains_the_same_networks_in_every_engine(engine, server):
    engine.open(f"{server}/07-playground/?more=1&speed=max&stop=2000")
    wait(engine, f"{ROOT_JS}.dataset.ready == '1' && Number({ROOT_JS}.dataset.frames) > 0")
    assert engine.run("return document.querySelector('[data-out=status]').textContent;") == (
        "Cost C = 0.126712"
    )
    engine.run("document.querySelector('[data-action=run-to]').click();")
    wait(engine, f"{ROOT_JS}.dataset.epoch == '2000' && {ROOT_JS}.dataset.running == 'false'")
    same(weights(engine), runs.one_neuron().final)  # as Python, so as Chromium
    # the stuck run of 09-starts.md, 20,000 epochs: every cost Python's, to the last bit
    longer = runs.stuck_longer()
    costs = engine.run(
        "const nn = await import('/assets/playground/nn.js');"
        "const config = JSON.parse(document.getElementById('playground-config').textContent);"
        "nn.useArithmetic(config.exp);"
        f"let p = {json.dumps(as_json(small_random_start(STUCK_SEED)))};"
        "const opt = {name: 'gd', ...config.optimisers.gd}; const costs = [];"
        f"for (let k = 0; k < {longer.epochs}; k++) {{"
        " const e = nn.epoch(p, config.x, config.y, opt, {}); costs.push(e.cost); p = e.params; }"
        "costs.push(nn.cost(p, config.x, config.y)); return costs;"
    )
    assert costs == longer.costs.tolist()
    # a divergence: stopped where Chromium stops, the same weights
    engine.open(f"{server}/07-playground/?lr=5&speed=max")
    wait(engine, f"{ROOT_JS}.dataset.ready == '1'")
    engine.run("document.querySelector('[data-action=train]').click();")
    wait(engine, f"{ROOT_JS}.dataset.running == 'false' && {ROOT_JS}.dataset.epoch != '0'")
    at = int(engine.run(f"return {ROOT_JS}.dataset.epoch;"))
    same(weights(engine), train(runs.one_neuron().start, X, Y, 5.0, at).final)
    assert "diverged" in engine.run("return document.querySelector('[role=alert]').textContent;")
    assert engine.problems() == []


def test_links_into_the_playground_are_read_the_same_way(engine, server):
    """A hostile link: the same fallbacks, said the same way, in every engine."""
    engine.open(f"{server}/07-playground/?h=5&y=0,1,1,abc&lr=0,5")
    wait(engine, f"{ROOT_JS}.dataset.ready == '1'")
    note = engine.run("return document.querySelector('[data-out=note]').textContent;")
    assert "h=5 was not used" in note and "y=0,1,1,abc was not used" in note
    q = parse_qs(engine.run("return location.search;")[1:])
    assert q["lr"] == ["0.5"] and q["y"] == ["0,1,1,0"]  # a decimal comma is a decimal point
    assert engine.problems() == []


def test_quick_edits_keep_the_address_and_raise_nothing(engine, server):
    """Browsers limit how often a page may change its address (Firefox: 200 times in 10 s,
    Safari: 100 in 30 s) and then throw: 300 quick steps must neither throw nor leave the
    address behind, which follows the state within a second."""
    engine.open(f"{server}/07-playground/")
    wait(engine, f"{ROOT_JS}.dataset.ready == '1'")
    engine.run(
        "const step = document.querySelector('[data-action=step]');"
        "for (let k = 0; k < 300; k++) step.click();"
    )
    assert engine.problems() == []
    wait(engine, f"{ROOT_JS}.dataset.epoch == '300'", seconds=10)
    wait(engine, "new URLSearchParams(location.search).get('w1') != '0.5'", seconds=10)
    same(weights(engine), train(runs.one_neuron().start, X, Y, LR, 300).final)
    assert engine.run(f"return {LINK};") == engine.run("return location.search;")
