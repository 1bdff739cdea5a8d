#!/usr/bin/env python3
"""Prints the minimum Rust version each feature set of the `growthbook`
crate needs: the highest `rust-version` declared by the crate itself and by
every dependency that feature set compiles (from the lockfile's resolution,
through `cargo tree` and `cargo metadata`). No other toolchain can be
installed on the project's machines, so this is how the MSRV stated in the
README is checked: `python3 .ci/msrv.py`."""
import json
import subprocess

FEATURE_SETS = {
    "no default features": ["--no-default-features"],
    "default (macros)": [],
    "schema": ["--features", "schema"],
    "remote": ["--features", "remote"],
    "remote + blocking + redis": ["--features", "remote,blocking,redis"],
}


def versions():
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--locked"]))
    return {(p["name"], p["version"]): p.get("rust_version") for p in meta["packages"]}


def parse(version):
    return tuple(int(x) for x in version.split("."))


def main():
    known = versions()
    for name, flags in FEATURE_SETS.items():
        tree = subprocess.check_output(
            ["cargo", "tree", "-p", "growthbook", "-e", "normal,build", "--prefix", "none",
             "--format", "{p}", "--locked", *flags], text=True)
        highest = ("0.0", "")
        for line in tree.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            crate, version = parts[0], parts[1].lstrip("v")
            rust = known.get((crate, version))
            if rust and parse(rust) > parse(highest[0]):
                highest = (rust, f"{crate} {version}")
        print(f"{name:<28} Rust {highest[0]:<6} (set by {highest[1]})")


if __name__ == "__main__":
    main()
