#!/usr/bin/env python3
"""Writes target/THIRD-PARTY-LICENSES.txt: every Rust crate the app is built from
(`cargo metadata` for this machine's platform, normal and build dependencies of the
receipt-vault package only) and every npm
package bundled into ui/dist (the UI's runtime dependencies and what they pull in), each
with its version, its licence expression and the licence texts it ships. The .deb
installs it as /usr/share/doc/receipt-vault/THIRD-PARTY-LICENSES.txt.

Run by `make package`; needs only cargo (offline: the dependencies are already fetched).
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "THIRD-PARTY-LICENSES.txt")
LICENSE_PREFIXES = ("license", "licence", "copying", "notice", "copyright")
# Compiled into ui/dist although npm counts them as build tools (devDependencies).
BUNDLED_DEV = ("svelte",)


def licence_texts(folder):
    texts = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return texts
    for name in names:
        path = os.path.join(folder, name)
        if name.lower().startswith(LICENSE_PREFIXES) and os.path.isfile(path):
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    texts.append((name, f.read().strip()))
            except OSError:
                pass
    return texts


def rust_crates():
    host = next(
        line.split(":", 1)[1].strip()
        for line in subprocess.check_output(["rustc", "-vV"], text=True).splitlines()
        if line.startswith("host:")
    )
    meta = json.loads(
        subprocess.check_output(
            ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", host],
            cwd=ROOT,
        )
    )
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = next(p["id"] for p in meta["packages"] if p["name"] == "receipt-vault")
    seen, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            # Normal (None) and build dependencies end up in or make the binary.
            if kinds & {None, "build"}:
                todo.append(dep["pkg"])
    crates = []
    for pid in seen:
        p = packages[pid]
        if p["source"] is None:  # our own workspace crates
            continue
        folder = os.path.dirname(p["manifest_path"])
        crates.append((p["name"], p["version"], p.get("license") or "see its texts", licence_texts(folder)))
    return sorted(crates, key=lambda c: (c[0], c[1]))


def npm_packages():
    lock_path = os.path.join(ROOT, "ui", "package-lock.json")
    with open(lock_path, encoding="utf-8") as f:
        lock = json.load(f)
    out = []
    for key, info in sorted(lock.get("packages", {}).items()):
        # Dev tools and optional (Node-only) extras are not in the window.
        if not key.startswith("node_modules/") or info.get("optional"):
            continue
        name = key[len("node_modules/"):]
        if info.get("dev") and name not in BUNDLED_DEV:
            continue
        folder = os.path.join(ROOT, "ui", key)
        out.append((name, info.get("version", "?"), info.get("license", "see its texts"), licence_texts(folder)))
    return out


def main():
    crates = rust_crates()
    npm = npm_packages()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("Receipt Vault is MIT-licensed (see /usr/share/doc/receipt-vault/LICENSE).\n")
        f.write("It is built from the open-source components below, under their own licences.\n")
        f.write("At run time it also uses Tesseract OCR (Apache-2.0) and poppler-utils (GPL-2.0),\n")
        f.write("installed as separate Debian packages, and the system's WebKitGTK (LGPL-2.1).\n\n")
        for title, items in (("Rust crates", crates), ("JavaScript packages (in the window)", npm)):
            f.write(f"== {title}: {len(items)} ==\n")
            for name, version, lic, _ in items:
                f.write(f"{name} {version}: {lic}\n")
            f.write("\n")
        for name, version, lic, texts in crates + npm:
            for file_name, text in texts:
                f.write(f"---------- {name} {version} ({lic}): {file_name} ----------\n{text}\n\n")
    print(f"third-party-licenses: {len(crates)} crates, {len(npm)} npm packages -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
