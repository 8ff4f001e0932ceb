#!/usr/bin/env python3
"""Import structure of the workspace's library crates: no cycle between files, arrows one way.

For every `.rs` file of a crate, the files it refers to through `crate::…`, `super::…` and
`self::…` paths (in `use` items and in expressions; comments and strings are ignored) are edges
of a graph. Two rules are checked:

* no cycle: a strongly connected component of more than one file is an error, listed with its
  files;
* layers (for `common`): its folders may only refer downwards, cli -> jobs -> config -> store ->
  engine -> the files at the top of `src/` (error, fs), which refer to no folder.

Exit status 1 when a rule is broken, with one line per problem; 0 and a one-line summary
otherwise. `--graph` prints every edge.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = {
    "dump": "common/dump/src",
    "mask": "common/mask/src",
    "remote": "common/remote/src",
    "seal": "common/seal/src",
    "common": "common/src",
}
# Allowed order of common's folders: a file may refer to its own layer or a lower one.
LAYERS = {"engine": 1, "store": 2, "config": 3, "jobs": 4, "cli": 5}


def strip_comments_and_strings(text):
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0)))
            i = n if j < 0 else j + len(end)
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
            m = re.match(r"'(\\.|[^\\'])'", text[i:])
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def module_files(src):
    """Maps module paths (tuples) to files."""
    mods = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, src)[:-3].split(os.sep)
            if rel == ["lib"] or rel == ["main"]:
                path = ()
            elif rel[-1] == "mod":
                path = tuple(rel[:-1])
            else:
                path = tuple(rel)
            mods[path] = full
    return mods


def resolve(mods, path, aliases=None):
    """The file `path` leads to: the longest prefix that is a module file, followed through the
    `pub use` re-exports of that module to the file that defines the item."""
    for k in range(len(path), -1, -1):
        prefix = tuple(path[:k])
        if prefix in mods:
            if aliases and k < len(path):
                target = aliases.get((prefix, path[k]))
                if target is not None and target != prefix:
                    return resolve(mods, list(target) + list(path[k + 1:]), aliases)
            return prefix
    return ()


def reexports(mods):
    """`(module, name) -> module` for every `pub use a::b::{C, D}` of a module file."""
    aliases = {}
    for path, file in mods.items():
        code = strip_comments_and_strings(open(file, encoding="utf-8").read())
        for m in re.finditer(r"\bpub\s+use\s+([^;]+);", code):
            for p in expand_use(re.sub(r"\s+", "", m.group(1))):
                p = re.sub(r"as\w+$", "", p)
                segs = [x for x in p.split("::") if x]
                if not segs or segs[-1] == "*":
                    continue
                base = list(path)
                i = 0
                if segs[0] == "crate":
                    base, i = [], 1
                elif segs[0] in ("super", "self"):
                    while i < len(segs) and segs[i] in ("super", "self"):
                        if segs[i] == "super":
                            base = base[:-1]
                        i += 1
                elif tuple(base + [segs[0]]) not in mods:
                    continue
                full = tuple(base + segs[i:-1])
                target = resolve(mods, list(full) + [segs[-1]])
                aliases[(path, segs[-1])] = target
    return aliases


def expand_use(body):
    """Expands `a::{b, c::{d}}` into paths."""
    body = body.strip()
    m = re.match(r"^([\w:]*?)\{(.*)\}$", body, re.S)
    if not m:
        return [body]
    prefix, inner = m.group(1), m.group(2)
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        p = p.strip()
        if p:
            out.extend(prefix + q for q in expand_use(p))
    return out


def refs(text, modpath, is_mod_file):
    """Module paths referred to by a file at `modpath`."""
    found = []
    code = strip_comments_and_strings(text)
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        paths.extend(expand_use(re.sub(r"\s+", "", m.group(1))))
    rest = re.sub(r"\buse\s+[^;]+;", "", code)
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", rest):
        paths.append(m.group(1))
    # `super` of a module file `a/b.rs` is `a`; of `a/b/mod.rs` also `a` (its parent).
    for p in paths:
        p = re.sub(r"\s+as\s+\w+$", "", p)
        segs = [s for s in p.split("::") if s]
        if not segs or segs[0] not in ("crate", "super", "self"):
            continue
        base = list(modpath)
        i = 0
        if segs[0] == "crate":
            base, i = [], 1
        else:
            while i < len(segs) and segs[i] in ("super", "self"):
                if segs[i] == "super":
                    base = base[:-1]
                i += 1
        found.append(tuple(base + [s for s in segs[i:] if s != "*"]))
    return found


def sccs(nodes, edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main():
    show = "--graph" in sys.argv
    problems = []
    total_edges = 0
    for crate, src in CRATES.items():
        src = os.path.join(ROOT, src)
        mods = module_files(src)
        aliases = reexports(mods)
        edges = {}
        for path, file in mods.items():
            text = open(file, encoding="utf-8").read()
            targets = set()
            for r in refs(text, path, file.endswith("mod.rs")):
                t = resolve(mods, r, aliases)
                # A file's own submodules and the crate root (re-exports) are not dependencies.
                if t == path or t == () or t[: len(path)] == path:
                    continue
                targets.add(t)
            edges[path] = targets
            total_edges += len(targets)
            for t in sorted(targets):
                if show:
                    print(f"{crate}: {'/'.join(path)} -> {'/'.join(t)}")
                if crate == "common":
                    a = LAYERS.get(path[0], 0) if path else 0
                    b = LAYERS.get(t[0], 0) if t else 0
                    if b > a:
                        problems.append(
                            f"{crate}: {'/'.join(path)} refers upwards to {'/'.join(t)}"
                        )
        for comp in sccs(list(mods), edges):
            if len(comp) > 1:
                names = ", ".join(sorted("/".join(p) or "lib" for p in comp))
                problems.append(f"{crate}: import cycle between {names}")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"imports: {len(CRATES)} crates, {total_edges} file-to-file edges, no cycle, layers respected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
