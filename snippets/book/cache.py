"""Results kept between builds, each keyed by the code it reads.

A function decorated with :func:`cached` computes its result once per process and keeps it on
disk under ``.cache/results/`` (``SITE_CACHE`` names another folder, ``SITE_CACHE=off`` keeps
nothing on disk). Its key is a hash of the project code the result depends on, found by
reading the code (:func:`reads`): the function's own definition, every function and class of
``snippets`` it names, again and again down to the lesson, the top-level statements of each
module they live in, and the value of every constant they name, plus the Python, NumPy and
Matplotlib versions. Comments and docstrings are not part of it. So editing a figure's caption
redraws that figure only, and editing ``snippets/network.py`` recomputes everything that trains.

Results are stored as JSON (arrays as their exact bytes), written atomically. An entry that
cannot be read back (damaged, truncated, written for another key) is computed again, and the
build's log says so at INFO level: a damaged cache never fails a build or shows on a page.

>>> from snippets.book import runs
>>> runs.one_neuron() is runs.one_neuron()  # computed (or read from the disk) once
True
"""

from __future__ import annotations

import ast
import base64
import contextlib
import copy
import dataclasses
import functools
import hashlib
import importlib
import importlib.metadata
import inspect
import json
import logging
import math
import os
import sys
import tempfile
import time
import types
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import numpy as np

log = logging.getLogger(__name__)  # the build shows its messages (hooks/progress.py)

PROJECT = "snippets"
SNIPPETS = Path(__file__).resolve().parent.parent
LIBRARIES = ("numpy", "matplotlib")  # whose versions can change a result
FORMAT = "json-1"  # how entries are written: part of every key


def folder() -> Path | None:
    """Where results are kept, or None when ``SITE_CACHE=off``."""
    setting = os.environ.get("SITE_CACHE", "")
    if setting == "off":
        return None
    return (Path(setting) if setting else SNIPPETS.parent / ".cache") / "results"


# ------------------------------------------------------------------------ what a result reads


class Unkeyable(TypeError):
    """A cached function names a value whose printed form is not stable between processes."""


def ours(obj: object) -> bool:
    """Defined in this project's code (``snippets`` and below)."""
    name = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", "")
    return isinstance(name, str) and (name == PROJECT or name.startswith(PROJECT + "."))


class NoDocstrings(ast.NodeTransformer):
    """Drops docstrings: they explain the code, they do not change what it computes."""

    def generic_visit(self, node):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
        return super().generic_visit(node)


@functools.cache
def parsed(path: str) -> tuple[str, dict[str, ast.AST]]:
    """A module's top-level statements (as a dump) and its definitions by qualified name."""
    tree = NoDocstrings().visit(ast.parse(Path(path).read_text(encoding="utf-8")))
    top, definitions = [], {}

    def collect(nodes: list[ast.stmt], prefix: str) -> None:
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                definitions[prefix + node.name] = node
                if isinstance(node, ast.ClassDef):
                    collect(node.body, f"{prefix}{node.name}.")
            elif not prefix:
                top.append(node)

    collect(tree.body, "")
    return ast.dump(ast.Module(body=top, type_ignores=[])), definitions


def names_in(node: ast.AST) -> list[list[str]]:
    """Every name and dotted name (``runs.one_neuron``) that ``node`` mentions."""
    found = []
    for n in ast.walk(node):
        chain: list[str] = []
        while isinstance(n, ast.Attribute):
            chain.insert(0, n.attr)
            n = n.value
        if isinstance(n, ast.Name):
            found.append([n.id, *chain])
    return found


def is_lesson(module: types.ModuleType) -> bool:
    """The lesson's own modules (``snippets/*.py``): small, and read whole."""
    return module.__name__.count(".") == 1 and module.__name__.startswith(PROJECT + ".")


def text_of_value(v: object, label: str, follow: Callable[[object], None]) -> str:
    """A stable text for a constant a result reads; ``follow`` is handed the code it names.

    >>> text_of_value((1, 0.5, "gd"), "T", print)
    "tuple[1, 0.5, 'gd']"
    >>> text_of_value(object(), "O", print)
    Traceback (most recent call last):
    snippets.book.cache.Unkeyable: O = <object object> is written differently in each process
    """

    def text(v: object) -> str:
        if isinstance(v, types.ModuleType):
            follow(v)
            return f"<module {v.__name__}>"
        if isinstance(v, (types.FunctionType, type, types.MethodType)):
            follow(getattr(v, "__func__", v))
            return f"<{v.__module__}.{v.__qualname__}>"
        if isinstance(v, property):
            follow(v.fget)
            return "<property>"
        if isinstance(v, logging.Logger):  # its repr shows its level, which a build may set
            return f"<logger {v.name}>"
        if isinstance(v, np.ndarray):
            return f"array {v.dtype.str} {v.shape} {hashlib.sha256(v.tobytes()).hexdigest()}"
        if isinstance(v, (list, tuple, set, frozenset)):
            items = sorted(v, key=repr) if isinstance(v, (set, frozenset)) else v
            return f"{type(v).__name__}[{', '.join(text(x) for x in items)}]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k!r}: {text(x)}" for k, x in v.items()) + "}"
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            fields = (f"{f.name}={text(getattr(v, f.name))}" for f in dataclasses.fields(v))
            return f"{type(v).__qualname__}({', '.join(fields)})"
        if callable(v) and hasattr(v, "__qualname__"):  # a library's function (np.sum)
            return f"<{getattr(v, '__module__', '')}.{v.__qualname__}>"
        shown = repr(v)
        if " at 0x" in shown:
            shown = shown.split(" at 0x")[0] + ">"
            raise Unkeyable(f"{label} = {shown} is written differently in each process")
        return shown

    return text(v)


def reads(function: Callable) -> dict[str, str]:
    """What ``function``'s result depends on in this project, as a map from part to its text.

    A lesson module (``snippets/*.py``) counts whole; in the book and the study, a function or
    class counts with what it names, and the top-level statements of its module.

    >>> from snippets.book import runs
    >>> parts = reads(runs.one_neuron)
    >>> "module snippets.network" in parts, "def snippets.book.figures.intuition_figure" in parts
    (True, False)
    """
    parts: dict[str, str] = {}
    todo: list[object] = [function]
    seen: set[int] = set()
    while todo:
        obj = inspect.unwrap(todo.pop())
        if id(obj) in seen or not ours(obj):
            continue
        seen.add(id(obj))
        module = obj if isinstance(obj, types.ModuleType) else sys.modules[obj.__module__]
        if module is not obj and id(module) not in seen:
            todo.append(module)
        if isinstance(obj, types.ModuleType):
            if is_lesson(module):  # the whole file, and whatever it names at any level
                parts[f"module {module.__name__}"], chains = whole(module.__file__)
            else:
                parts[f"module {module.__name__}"] = parsed(module.__file__)[0]
                continue
        elif is_lesson(module):
            continue  # read with its module
        else:
            found = definition(module, obj.__qualname__)
            if found is None:  # made at run time (a lambda, a class from a factory): the file
                parts[f"file {module.__name__}"] = whole(module.__file__)[0]
                continue
            parts[f"def {module.__name__}.{obj.__qualname__}"], chains = found
        for chain in chains:
            target: object = module.__dict__.get(chain[0], None)
            if target is None:
                continue  # a local name, an argument, a builtin
            label = ".".join(chain)
            key = f"value {module.__name__}:{chain[0]}"
            if key not in parts:
                parts[key] = text_of_value(target, label, todo.append)
            for depth, attr in enumerate(chain[1:], start=2):  # runs.one_neuron, Params.of
                if not (isinstance(target, (types.ModuleType, type)) and ours(target)):
                    break
                inside_class = isinstance(target, type)
                target = getattr(target, attr, None)
                if target is None or (
                    inside_class
                    and not isinstance(target, (types.FunctionType, types.MethodType, property))
                ):
                    break  # a class's own constants are in its definition, already read
                key = f"value {module.__name__}:{'.'.join(chain[:depth])}"
                if key not in parts:
                    parts[key] = text_of_value(target, label, todo.append)
    return parts


@functools.cache
def whole(path: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """A file's code without comments and docstrings, and every name it mentions."""
    tree = NoDocstrings().visit(ast.parse(Path(path).read_text(encoding="utf-8")))
    return ast.dump(tree), tuple(tuple(c) for c in names_in(tree))


def definition(module: types.ModuleType, qualname: str):
    """A function's or class's code (``@cached`` left out) and the names it mentions."""
    key = (module.__file__, qualname)
    if key not in DEFINITIONS:
        node = parsed(module.__file__)[1].get(qualname)
        if node is None:
            DEFINITIONS[key] = None
        else:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):  # @cached is not code
                node = copy.copy(node)
                node.decorator_list = [d for d in node.decorator_list if not is_cached(d, module)]
            DEFINITIONS[key] = (ast.dump(node), tuple(tuple(c) for c in names_in(node)))
    return DEFINITIONS[key]


DEFINITIONS: dict[tuple[str, str], tuple[str, tuple[tuple[str, ...], ...]] | None] = {}


def is_cached(decorator: ast.expr, module: types.ModuleType) -> bool:
    chain = names_in(decorator)[0] if names_in(decorator) else []
    target: object = module.__dict__.get(chain[0]) if chain else None
    for attr in chain[1:]:
        target = getattr(target, attr, None)
    return target is cached


def versions() -> str:
    return " ".join(
        [*(f"{p}=={importlib.metadata.version(p)}" for p in LIBRARIES), sys.version, FORMAT]
    )


def key_of(function: Callable) -> str:
    """The hash of everything ``function`` reads (:func:`reads`) and the library versions."""
    h = hashlib.sha256(versions().encode())
    for part, text in sorted(reads(function).items()):
        h.update(f"\0{part}\0{text}".encode())
    return h.hexdigest()


@functools.cache
def fingerprint() -> str:
    """A hash of every file of the project's code, as bytes: cheap to take, and changed by any
    edit at all (a comment too). Only a shortcut to the keys, never a key itself."""
    h = hashlib.sha256(versions().encode())
    for path in sorted(SNIPPETS.rglob("*.py")):
        h.update(path.relative_to(SNIPPETS).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def known_key(function: Callable, name: str, where: Path) -> str:
    """``key_of(function)``, remembered beside the results for code that has not changed since:
    working a key out reads all the code it depends on, which is most of a warm build's time."""
    index = where / "keys.json"
    try:
        known = json.loads(index.read_text(encoding="utf-8"))
        if known.get("code") == fingerprint() and isinstance(known.get("keys", {}).get(name), str):
            return known["keys"][name]
    except (OSError, ValueError, AttributeError):
        known = {}
    key = key_of(function)
    keys = known.get("keys", {}) if known.get("code") == fingerprint() else {}
    write_atomically(index, json.dumps({"code": fingerprint(), "keys": {**keys, name: key}}))
    return key


# ------------------------------------------------------------------------ how results are stored


def encode(v: object) -> object:
    """``v`` as JSON: every object is tagged with what it was, arrays keep their exact bytes.

    >>> decode(json.loads(json.dumps(encode((1.5, np.array([0.1, -2.0]), Fraction(1, 12))))))
    (1.5, array([ 0.1, -2. ]), Fraction(1, 12))
    """
    if v is None or isinstance(v, (bool, str)) or type(v) is int:
        return v
    if type(v) is float:
        return v if math.isfinite(v) else {"$float": repr(v)}
    if isinstance(v, (np.ndarray, np.generic)):
        a = np.asarray(v)
        little = a.astype(a.dtype.newbyteorder("<"), copy=False)
        data = base64.b64encode(np.ascontiguousarray(little).tobytes()).decode()
        kind = "$array" if isinstance(v, np.ndarray) else "$scalar"
        return {kind: data, "dtype": little.dtype.str, "shape": list(a.shape)}
    if isinstance(v, Fraction):
        return {"$fraction": [v.numerator, v.denominator]}
    if (isinstance(v, tuple) and hasattr(v, "_fields")) or dataclasses.is_dataclass(v):
        names = v._fields if isinstance(v, tuple) else [f.name for f in dataclasses.fields(v)]
        cls = type(v)
        if not ours(cls):
            raise TypeError(f"cannot keep a {cls.__qualname__}: only this project's types")
        fields = {n: encode(getattr(v, n)) for n in names}
        return {"$object": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(v, tuple):
        return {"$tuple": [encode(x) for x in v]}
    if isinstance(v, list):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        return {"$dict": [[encode(k), encode(x)] for k, x in v.items()]}
    raise TypeError(f"cannot keep a {type(v).__qualname__} in the results cache")


def decode(v: object) -> object:
    """The inverse of :func:`encode`."""
    if isinstance(v, list):
        return [decode(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "$float" in v:
        return float(v["$float"])
    if "$array" in v or "$scalar" in v:
        raw = base64.b64decode(v.get("$array", v.get("$scalar")), validate=True)
        a = np.frombuffer(raw, dtype=np.dtype(v["dtype"])).reshape(v["shape"]).copy()
        return a if "$array" in v else a[()]
    if "$fraction" in v:
        return Fraction(*v["$fraction"])
    if "$tuple" in v:
        return tuple(decode(x) for x in v["$tuple"])
    if "$dict" in v:
        return {decode(k): decode(x) for k, x in v["$dict"]}
    if "$object" in v:
        module, _, qualname = v["$object"].partition(":")
        if not (module == PROJECT or module.startswith(PROJECT + ".")):
            raise ValueError(f"{module} is not this project's")
        cls: object = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        return cls(**{k: decode(x) for k, x in v["fields"].items()})
    raise ValueError(f"unknown entry {sorted(v)[:3]}")


def load(path: Path, name: str, key: str) -> tuple[bool, object]:
    """(True, result) from a good entry; (False, None) if there is none or it is unreadable."""
    if not path.exists():
        return False, None
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or (entry.get("name"), entry.get("key")) != (name, key):
            raise ValueError("written for another result or another version of the code")
        return True, decode(entry["result"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError) as error:
        log.info(f"results cache: {path.name} is unreadable ({error}); computing it again")
        return False, None


def write_atomically(path: Path, text: str, tries: int = 6) -> bool:
    """Readers see the old file or the new one, never half of one (two builds may share it).

    On Windows a file another process has open cannot be replaced (``PermissionError``): the
    write is tried again a few times, then given up, which costs only a later recomputation.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=".", suffix=".tmp", delete=False, encoding="utf-8"
    ) as f:
        f.write(text)
    for attempt in range(tries):
        try:
            os.replace(f.name, path)
            return True
        except PermissionError:
            if attempt < tries - 1:
                time.sleep(0.05 * (attempt + 1))
    Path(f.name).unlink(missing_ok=True)
    log.info(f"results cache: could not write {path.name} (in use); it will be computed again")
    return False


def store(path: Path, name: str, key: str, result: object) -> None:
    """Write atomically, and remove what earlier versions of the code left for this function."""
    text = json.dumps({"name": name, "key": key, "result": encode(result)}, allow_nan=False)
    write_atomically(path, text)
    for old in path.parent.glob(f"{name}-*.json"):
        if old != path:
            with contextlib.suppress(PermissionError):  # open elsewhere (Windows): next time
                old.unlink(missing_ok=True)


T = TypeVar("T")
REGISTRY: dict[str, Callable] = {}  # every cached function, by name


def cached(function: Callable[[], T]) -> Callable[[], T]:
    """Compute ``function()`` once per process, and once per version of the code it reads."""
    name = f"{function.__module__}.{function.__qualname__}"
    memory: list[T] = []

    @functools.wraps(function)
    def wrapper() -> T:
        if memory:
            return memory[0]
        where = folder()
        path = key = None
        if where is not None:
            key = known_key(function, name, where)
            path = where / f"{name}-{key[:32]}.json"
            found, result = load(path, name, key)
            if found:
                memory.append(result)
                return result
        start = time.perf_counter()
        result = function()
        log.info(f"computed {name} in {time.perf_counter() - start:.1f} s")
        if path is not None:
            store(path, name, key, result)
        memory.append(result)
        return result

    wrapper.cache_clear = memory.clear  # type: ignore[attr-defined]
    REGISTRY[name] = wrapper
    return wrapper
