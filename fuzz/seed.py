#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from the spec corpus
(tests/spec/cases.json) and the repository's features.json:
`python3 fuzz/seed.py` then `cargo fuzz run <target>` from `fuzz/`."""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent
cases = json.loads((root.parent / "tests/spec/cases.json").read_text())


def write(target, name, text):
    folder = root / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


write("payload", "features-json", (root.parent / "features.json").read_text())
for i, case in enumerate(cases.get("feature", [])):
    write("payload", f"feature-{i}", json.dumps(case[1]))
for i, case in enumerate(cases.get("evalCondition", [])):
    groups = case[4] if len(case) > 4 else None
    write("condition", f"condition-{i}", "\n".join(json.dumps(x) for x in (case[1], case[2], groups)))
for i, case in enumerate(cases.get("decrypt", [])):
    write("decrypt", f"decrypt-{i}", f"{case[1]}\n{case[2]}")
for i, case in enumerate(cases.get("urlRedirect", [])):
    context = case[1]
    for j, experiment in enumerate(context.get("experiments", [])):
        targets = [v.get("urlRedirect", "") for v in experiment.get("variations", []) if isinstance(v, dict)]
        patterns = [p.get("pattern", "") for p in experiment.get("urlPatterns", [])]
        lines = [context.get("url", ""), (targets[-1] if targets else "")] + patterns
        write("url", f"redirect-{i}-{j}", "\n".join(lines))
print("seeded", sum(1 for _ in (root / "corpus").rglob("*") if _.is_file()), "files")
