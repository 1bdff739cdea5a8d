"""Differential testing of condition evaluation and pruning against both
reference SDKs: random conditions, attributes and saved groups, answered by
the GrowthBook Python SDK 4.0.0 and, for evalCondition, kept only where the
JS SDK 1.8.0 gives the same answer. The result is a corpus for the spec
runner, so every failure is a case where both reference SDKs agree and we
do not.

    python3 -m venv /tmp/pyv && /tmp/pyv/bin/pip install growthbook==4.0.0
    mkdir -p /tmp/gb-js && (cd /tmp/gb-js && npm install @growthbook/growthbook@1.8.0)
    /tmp/pyv/bin/python tests/spec/differential.py --seed 1 --count 5000 > /tmp/differential.json
    GROWTHBOOK_SPEC_CASES=/tmp/differential.json cargo test --test spec

Two inputs are left out on purpose, as their answers are settled
differently: a number `$inGroup` id (JS reads the group named "1", Python
fails; we follow JS), and `$notRegex` with an invalid or non-string pattern
(JS 1.8.0 lacks the operator; Python passes everyone, we fail: a broken
exclusion should not include everyone).
"""
import argparse
import json
import os
import random
import subprocess
import sys

from growthbook.core import evalCondition, pruneCondition

STRINGS = ["", "a", "A", "abc", "ABC", "1", "01", "1.0", "10", "2", "-1", "1e3", "true", "null",
           "1.2.3", "1.2.3-beta", "v1.2.3", "1.2.10", "1.2", "1.2.3+build", "\u00e9", "\u00c9", "\u00df",
           "\U0001F600", "x y", "US", "us", " 1", "0", "-0", "length", "0x10",
           "1.2.3-rc.1", "1.2.3-rc.10", "1.0.0.0", "1..2", "v", "1.2.3-", "2.0", "10.0.0", "-1.2"]
NUMBERS = [0, 1, -1, 2, 10, 1.5, -0.0, 0.1, 3, 1e21, 1e-7, 100, 2**53, 123456789012]
KEYS = ["a", "b", "c", "tags", "n", "s", "o"]
GROUPS = {
    "g1": ["a", 1, "1", True],
    "g2": [],
    "g3": {"type": "list", "attributeKey": "a", "values": ["abc", 2]},
    "sg1": ["US"],
    "sgl": {"type": "list", "attributeKey": "a", "values": ["a", "abc"]},
    "sgc": {"type": "condition", "condition": {"n": {"$gt": 1}}},
    "bad": None,
    "unkeyed": {"type": "list", "values": ["a", 1]},
    "future": {"type": "somethingNew"},
}
SCALAR_OPS = ["$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$veq", "$vne", "$vlt", "$vlte", "$vgt", "$vgte"]
OTHER_OPS = ["$regex", "$regexi", "$notRegex", "$in", "$nin", "$ini", "$nini", "$all", "$alli",
             "$elemMatch", "$size", "$exists", "$type", "$not", "$inGroup", "$notInGroup", "$unknownOp"]


class Generator:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def scalar(self):
        x = self.r.random()
        if x < 0.45:
            return self.r.choice(STRINGS)
        if x < 0.8:
            return self.r.choice(NUMBERS)
        if x < 0.93:
            return self.r.choice([True, False])
        return None

    def value(self, depth=0):
        x = self.r.random()
        if depth < 2 and x < 0.15:
            return [self.value(depth + 1) for _ in range(self.r.randint(0, 3))]
        if depth < 2 and x < 0.25:
            return {self.r.choice(KEYS + ["0", "1"]): self.value(depth + 1) for _ in range(self.r.randint(0, 3))}
        return self.scalar()

    def attributes(self):
        return {k: self.value() for k in self.r.sample(KEYS, self.r.randint(0, len(KEYS)))}

    def path(self):
        key = self.r.choice(KEYS)
        x = self.r.random()
        if x < 0.15:
            return key + "." + self.r.choice(["length", "0", "1", "a", "b", "01"])
        if x < 0.2:
            return key + "." + self.r.choice(KEYS) + "." + self.r.choice(["0", "a", "length"])
        if x < 0.22:
            return self.r.choice(["", ".", key + ".", "." + key, key + ".." + key, "$" + key, key + ".$size"])
        return key

    def operators(self, depth):
        ops = {}
        for _ in range(self.r.randint(1, 2)):
            op = self.r.choice(SCALAR_OPS * 2 + OTHER_OPS)
            if op in SCALAR_OPS:
                v = self.scalar() if self.r.random() < 0.9 else self.value()
            elif op == "$notRegex":
                v = self.r.choice(["^a", "A", "^1", "\\d+", "\u00e9", "", "b$"])
            elif "egex" in op:
                v = self.r.choice(["^a", "A", "[", "^1", "\\d+", "\u00e9", "", "b$", 1])
            elif op in ("$in", "$nin", "$ini", "$nini", "$all", "$alli"):
                v = [self.value(1) for _ in range(self.r.randint(0, 3))] if self.r.random() < 0.93 else self.scalar()
                if op in ("$all", "$alli") and isinstance(v, list) and self.r.random() < 0.3:
                    v.append(self.operators(depth + 1))
            elif op == "$elemMatch":
                v = self.operators(depth + 1) if self.r.random() < 0.5 else self.condition(depth + 1)
            elif op == "$size":
                v = self.r.choice([0, 1, 2, 3]) if self.r.random() < 0.6 else self.operators(depth + 1)
            elif op == "$exists":
                v = self.r.choice([True, False, 0, 1, "", "x", None])
            elif op == "$type":
                v = self.r.choice(["string", "number", "boolean", "array", "object", "null", "undefined", 1])
            elif op == "$not":
                v = self.operators(depth + 1) if self.r.random() < 0.7 else self.scalar()
            elif op in ("$inGroup", "$notInGroup"):
                v = self.r.choice(list(GROUPS) + ["missing"])
            else:
                v = 1
            ops[op] = v
        return ops

    def condition(self, depth=0):
        c = {}
        for _ in range(self.r.randint(1, 3)):
            x = self.r.random()
            if depth < 2 and x < 0.08:
                c["$or"] = [self.condition(depth + 1) for _ in range(self.r.randint(0, 2))]
            elif depth < 2 and x < 0.14:
                c["$and"] = [self.condition(depth + 1) for _ in range(self.r.randint(0, 2))]
            elif depth < 2 and x < 0.18:
                c["$nor"] = [self.condition(depth + 1) for _ in range(self.r.randint(0, 2))]
            elif depth < 2 and x < 0.22:
                c["$not"] = self.condition(depth + 1)
            elif x < 0.3:
                c[self.path()] = self.value()
            elif x < 0.34:
                c["$savedGroup"] = self.r.choice(
                    ["sg1", "missing", {"id": "sg1"}, {"id": "sgl", "attributeKey": "s"}, {"id": "sgc"},
                     {"id": "sgl"}, {"id": "bad"}, {"id": "unkeyed"}, {"id": "future"}, {"id": 1}])
            else:
                c[self.path()] = self.operators(depth)
        return c


# Evaluates every case with the JS SDK and prints the indices it agrees on.
JS_AGREE = r"""
const { evalCondition } = require("@growthbook/growthbook");
console.error = () => {};
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const agree = [];
cases.forEach(([name, condition, attributes, expected, groups], i) => {
  let answer;
  try { answer = evalCondition(attributes, condition, groups); } catch (e) { answer = "threw"; }
  if (answer === expected) agree.push(i);
});
console.log(JSON.stringify(agree));
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--node-path", default=os.environ.get("NODE_PATH", "/tmp/gb-js/node_modules"))
    args = parser.parse_args()
    gen = Generator(args.seed)
    evals, prunes = [], []
    for i in range(args.count):
        condition, attributes = gen.condition(), gen.attributes()
        evals.append([f"random {args.seed}.{i}", condition, attributes,
                      evalCondition(attributes, condition, GROUPS), GROUPS])
        prunes.append([f"random {args.seed}.{i}", condition, attributes,
                       pruneCondition(attributes, condition, GROUPS), GROUPS])
    node = subprocess.run(["node", "-e", JS_AGREE], input=json.dumps(evals), capture_output=True,
                          text=True, check=True, env={**os.environ, "NODE_PATH": args.node_path})
    agree = set(json.loads(node.stdout))
    kept = [case for i, case in enumerate(evals) if i in agree]
    print(f"evalCondition: {len(kept)} of {len(evals)} cases where JS agrees with Python", file=sys.stderr)
    json.dump({"specVersion": "differential", "evalCondition": kept, "pruneCondition": prunes}, sys.stdout)


main()
