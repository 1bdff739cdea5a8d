"""Differential testing against both reference SDKs: random inputs answered
by the GrowthBook Python SDK 4.0.0 and the JS SDK 1.8.0, written as a corpus
for the spec runner, so every failure is a case the reference SDKs answer
and we do not.

    python3 -m venv /tmp/pyv && /tmp/pyv/bin/pip install growthbook==4.0.0
    mkdir -p /tmp/gb-js && (cd /tmp/gb-js && npm install @growthbook/growthbook@1.8.0)
    /tmp/pyv/bin/python tests/spec/differential.py --kind conditions --seed 1 > /tmp/differential.json
    GROWTHBOOK_SPEC_CASES=/tmp/differential.json cargo test --test spec

Kinds (each case keeps the answer of the SDK named; "both" means only cases
where the two agree are kept):
- conditions: evalCondition (both) and pruneCondition (Python; JS 1.8.0 has
  none);
- features: feature rules, experiments, prerequisites, saved groups and
  context options (forced variations, QA mode, URL overrides) (both);
- bandits: contextual bandit rules (both);
- runs: inline experiments (`run`), legacy `url` and `groups` included (both);
- sticky: sticky bucketing (both);
- reduce: reducePayload with attributes and filters (Python; JS has none);
- urls: URL targeting of auto experiments (JS; Python has none);
- redirects: URL-redirect experiments (JS);
- numeric: hash (any text, every version), getBucketRange (odd coverage
  and weights), chooseVariation, inNamespace, getEqualWeights (both).

Where the SDKs agree only by coincidence (JS 1.8.0 coerces types the
corpus says it must not, and reaches the same answer another way), a
failure is worth reading rather than fixing blindly. Two inputs are left
out on purpose, as their answers are settled differently: a number
`$inGroup` id (JS reads the group named "1", Python fails; we follow JS),
and `$notRegex` with an invalid or non-string pattern (JS 1.8.0 lacks the
operator; Python passes everyone, we fail: a broken exclusion should not
include everyone).
"""
import argparse
import json
import os
import random
import subprocess
import sys

import copy
import logging

from growthbook import GrowthBook, InMemoryStickyBucketService
from growthbook.core import (chooseVariation, evalCondition, gbhash, getBucketRanges, getEqualWeights, inNamespace,
                             pruneCondition, reduce_payload)

logging.disable(logging.CRITICAL)

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


# -- features, bandits, sticky buckets, reductions ---------------------------

IDS = ["123", "456", "u_1", "", "abc-def", 1, 0, 12.5, None, "\u00e9", "\U0001F600x", "a" * 40]
VALUES = [True, False, 0, 1, "", "a", "b", None, [1], {"x": 1}, 2.5]
RULE_CONDITIONS = [{"country": "US"}, {"country": {"$in": ["US", "FR"]}}, {"id": {"$exists": True}},
                   {"tags": {"$elemMatch": {"$eq": "a"}}}, {"$not": {"country": "FR"}},
                   {"company": {"$type": "string"}}, {}, {"$savedGroup": {"id": "sg"}},
                   {"id": {"$inGroup": "ids"}}]
FEATURE_GROUPS = {"sg": {"type": "list", "attributeKey": "id", "values": ["123", "u_1"]}, "ids": ["456", 1],
                  "sgc": {"type": "condition", "condition": {"country": "US"}},
                  "sgc2": {"type": "condition", "condition": {"$savedGroup": {"id": "sgc"}, "a": 1}},
                  "cyc1": {"type": "condition", "condition": {"$savedGroup": {"id": "cyc2"}}},
                  "cyc2": {"type": "condition", "condition": {"$or": [{"$savedGroup": {"id": "cyc1"}}, {"country": "FR"}]}}}


class FeatureGenerator(Generator):
    def user(self):
        a = {k: self.r.choice(IDS) for k in ("id", "deviceId", "company", "anon") if self.r.random() < 0.75}
        if self.r.random() < 0.5:
            a["country"] = self.r.choice(["US", "FR", "", None, 1])
        if self.r.random() < 0.3:
            a["tags"] = self.r.choice([[], ["a"], ["a", "b"], "a"])
        return a

    def weights(self, n):
        x = self.r.random()
        if x < 0.5:
            return None
        if x < 0.7:
            return [1.0 / n] * n
        if x < 0.8:
            return [0] * (n - 1) + [1]
        if x < 0.9:
            return [self.r.random() for _ in range(n)]
        return [0.5] * (n + self.r.choice([-1, 1]))

    def rule(self):
        r, rnd, pick = {}, self.r.random, self.r.choice
        if rnd() < 0.4:
            r["condition"] = pick(RULE_CONDITIONS)
        if rnd() < 0.2:
            r["id"] = pick(["r1", "", "rule-x"])
        if rnd() < 0.35:
            r["force"] = pick(VALUES)
            if rnd() < 0.5:
                r["coverage"] = pick([0, 0.1, 0.5, 0.99, 1, 1.5, -1])
            if rnd() < 0.2:
                r["range"] = pick([[0, 0.5], [0.5, 1], [0, 0]])
        else:
            n = self.r.randint(1, 3)
            r["variations"] = [pick(VALUES) for _ in range(n)]
            w = self.weights(n)
            if w is not None:
                r["weights"] = w
            for key, values, p in (("coverage", [0, 0.1, 0.5, 0.99, 1, 1.5, -0.5], 0.4),
                                   ("key", ["exp", "k1", "", "my-exp"], 0.5),
                                   ("namespace", [["ns", 0, 0.5], ["ns", 0.5, 1], ["ns", 0, 0]], 0.2),
                                   ("ranges", [[[0, 0.5], [0.5, 1]], [[0, 0.3]], [[0, 1], [0, 1], [0, 1]]], 0.1),
                                   ("name", ["nm"], 0.1), ("phase", ["1"], 0.1),
                                   ("bucketVersion", [0, 1, 2], 0.1), ("minBucketVersion", [0, 1], 0.1),
                                   ("persistQueryString", [True], 0.05), ("unknownField", ["x"], 0.05),
                                   ("tracks", [[{"experiment": {"key": "t"}, "result": {}}]], 0.05)):
                if rnd() < p:
                    r[key] = pick(values)
            if rnd() < 0.1:
                r["meta"] = [{"key": str(i), "passthrough": rnd() < 0.3} for i in range(n)]
        for key, values, p in (("hashAttribute", ["id", "deviceId", "company", "missing"], 0.3),
                               ("fallbackAttribute", ["deviceId", "anon", "missing"], 0.2),
                               ("hashVersion", [1, 2, 3], 0.3), ("seed", ["s", "", "seed-1"], 0.2)):
            if rnd() < p:
                r[key] = pick(values)
        if rnd() < 0.1:
            r["filters"] = [{"seed": "f", "ranges": [[0, 0.5]], "attribute": pick(["id", "deviceId"])}]
        if rnd() < 0.1:
            r["disableStickyBucketing"] = True
        return r

    def features(self):
        features = {"f": {"defaultValue": self.r.choice(VALUES), "rules": [self.rule() for _ in range(self.r.randint(0, 3))]}}
        if self.r.random() < 0.35:
            features["parent"] = {"defaultValue": self.r.choice(VALUES), "rules": [self.rule() for _ in range(self.r.randint(0, 2))]}
            condition = self.r.choice([{"value": {"$exists": True}}, {"value": True}, {"value": {"$ne": None}},
                                       {"value": 1}, {}, {"value.x": 1}, {"value": {"$exists": False}}])
            prerequisite = {"parentConditions": [{"id": self.r.choice(["parent", "parent", "nope", "f"]),
                                                  "condition": condition, "gate": self.r.random() < 0.5}]}
            if self.r.random() < 0.7:
                prerequisite["force"] = self.r.choice(VALUES)
            rules = features["f"]["rules"]
            rules.insert(self.r.randint(0, len(rules)), prerequisite)
        return features

    def feature_context(self):
        ctx = {"attributes": self.user(), "features": self.features(), "savedGroups": FEATURE_GROUPS}
        if self.r.random() < 0.15:
            ctx["forcedVariations"] = {self.r.choice(["exp", "k1", "my-exp", "f"]): self.r.choice([0, 1, 2, 5, -1])}
        if self.r.random() < 0.1:
            ctx["qaMode"] = True
        if self.r.random() < 0.08:
            ctx["enabled"] = False
        if self.r.random() < 0.1:
            ctx["url"] = self.r.choice(["http://a.com/?exp=1", "http://a.com/?k1=0", "http://a.com/?f=2&my-exp=1"])
        return ctx

    def bandit_context(self):
        n = self.r.randint(1, 3)
        rule = {"key": "bandit-exp", "contextualVariations": [f"v{j}" for j in range(n)],
                "contextualBanditRef": self.r.choice(["cb", "cb", "missing"])}
        if self.r.random() < 0.7:
            rule["weights"] = self.r.choice([[1.0 / n] * n, [self.r.random() for _ in range(n)], [0.5] * (n + 1)])
        if self.r.random() < 0.5:
            rule["meta"] = [{"key": str(j)} for j in range(n)]
        for key, values in (("seed", ["s", ""]), ("hashAttribute", ["id", "deviceId", "missing"]), ("hashVersion", [1, 2]),
                            ("coverage", [0, 0.5, 1]), ("condition", [{"country": "US"}, {}]), ("fallbackAttribute", ["deviceId"])):
            if self.r.random() < 0.3:
                rule[key] = self.r.choice(values)
        contexts = []
        for j in range(self.r.randint(0, 3)):
            c = {"leafId": self.r.choice([j + 1, 0, 17]),
                 "weights": self.r.choice([[1] + [0] * (n - 1), [1.0 / n] * n, [0] * (n - 1) + [1]])}
            if self.r.random() < 0.8:
                c["condition"] = self.r.choice([{"plan": "pro"}, {}, {"country": "US"}, {"plan": {"$in": ["pro", "free"]}},
                                                {"$savedGroup": {"id": "sg"}}])
            contexts.append(c)
        bandit = {"contexts": contexts}
        if self.r.random() < 0.7:
            bandit["banditVersion"] = self.r.choice([1, 7])
        if self.r.random() < 0.05:
            bandit = self.r.choice(["junk", None])
        user = self.user()
        if self.r.random() < 0.6:
            user["plan"] = self.r.choice(["pro", "free", "x"])
        rules = [rule] + ([{"force": "after"}] if self.r.random() < 0.3 else [])
        return {"attributes": user, "features": {"f": {"defaultValue": "d", "rules": rules}},
                "contextualBandits": {"cb": bandit}, "savedGroups": FEATURE_GROUPS}

    def sticky_case(self):
        def rule():
            n = self.r.randint(2, 3)
            r = {"key": "exp", "variations": [f"v{i}" for i in range(n)], "meta": [{"key": str(i)} for i in range(n)]}
            for key, values, p in (("hashAttribute", ["id", "deviceId", "anon"], 0.5), ("fallbackAttribute", ["deviceId", "anon", "id"], 0.5),
                                   ("bucketVersion", [0, 1, 2], 0.4), ("minBucketVersion", [0, 1, 2], 0.3),
                                   ("disableStickyBucketing", [True], 0.2), ("condition", [{"country": "US"}], 0.3),
                                   ("coverage", [0, 0.5, 1], 0.3), ("hashVersion", [2], 0.3), ("weights", [[0] * (n - 1) + [1]], 0.2)):
                if self.r.random() < p:
                    r[key] = self.r.choice(values)
            return r
        user = {k: self.r.choice(["123", "456", "u_1", "", "d1", 1, None]) for k in ("id", "deviceId", "anon") if self.r.random() < 0.7}
        if self.r.random() < 0.5:
            user["country"] = self.r.choice(["US", "FR"])
        docs = [{"attributeName": self.r.choice(["id", "deviceId", "anon"]),
                 "attributeValue": self.r.choice(["123", "456", "u_1", "d1", "1"]),
                 "assignments": {f"{self.r.choice(['exp', 'other'])}__{self.r.choice([0, 1, 2])}": self.r.choice(["0", "1", "2", "5", "x"])
                                 for _ in range(self.r.randint(1, 2))}}
                for _ in range(self.r.randint(0, 3))]
        ctx = {"attributes": user, "features": {"f": {"defaultValue": "d", "rules": [rule() for _ in range(self.r.randint(1, 2))]}}}
        return ctx, docs

    def run_case(self):
        experiment = self.rule()
        for key in ("force", "range", "id", "filters", "tracks", "persistQueryString"):
            experiment.pop(key, None)
        experiment.setdefault("variations", [0, 1])
        experiment["key"] = self.r.choice(["exp", "my-test", "k"])
        for key, values, p in (("active", [True, False], 0.2), ("force", [0, 1, 5], 0.1), ("url", ["^/x", "x$", "(", "^https://a\\.com/x"], 0.1),
                               ("groups", [["beta"], ["beta", "staff"], []], 0.1)):
            if self.r.random() < p:
                experiment[key] = self.r.choice(values)
        ctx = {"attributes": self.user(), "savedGroups": FEATURE_GROUPS}
        for key, values, p in (("forcedVariations", [{experiment["key"]: v} for v in (0, 1, 7)], 0.2), ("qaMode", [True], 0.1),
                               ("url", ["http://a.com/x?" + experiment["key"] + "=1", "http://a.com/y", "https://a.com/x"], 0.2),
                               ("groups", [{"beta": True}, {"beta": False, "staff": True}, {}], 0.2)):
            if self.r.random() < p:
                ctx[key] = self.r.choice(values)
        return ctx, experiment

    def metadata(self):
        m = {}
        if self.r.random() < 0.4:
            m["projects"] = self.r.sample(["p1", "p2", "p3"], self.r.randint(0, 2))
        if self.r.random() < 0.1:
            m["allProjects"] = True
        if self.r.random() < 0.4:
            m["tags"] = self.r.sample(["web", "server", "x"], self.r.randint(0, 2))
        if self.r.random() < 0.3:
            m["customFields"] = {"app": self.r.choice(["web", "mobile", ["web", "mobile"], 1])}
        return m

    def payload_filter(self):
        f = {}
        if self.r.random() < 0.5:
            f["projects"] = self.r.sample(["p1", "p2", "p3"], self.r.randint(1, 2))
        if self.r.random() < 0.3:
            f["tags"] = self.r.sample(["web", "server"], self.r.randint(1, 2))
        if self.r.random() < 0.2:
            f["customFields"] = {"app": [self.r.choice(["web", "mobile"])]}
        return f

    def reduce_input(self):
        def condition():
            if self.r.random() < 0.5:
                return self.condition()
            return self.r.choice([{"$savedGroup": {"id": "sgc"}}, {"id": {"$inGroup": "ids"}}, {"$savedGroup": {"id": "sgc2"}},
                                  {"country": "US"}, {"$savedGroup": {"id": "cyc1"}},
                                  {"tags": {"$elemMatch": {"$savedGroup": {"id": "sgc"}}}}])
        names = ["f", "g", "h"] + (["$holdout:h1"] if self.r.random() < 0.2 else [])
        features = {}
        for name in names:
            rules = [self.rule() for _ in range(self.r.randint(0, 3))]
            for r in rules:
                if self.r.random() < 0.5:
                    r["condition"] = condition()
                if self.r.random() < 0.2:
                    r["metadata"] = self.metadata()
                if self.r.random() < 0.1 and "variations" in r:
                    r["contextualBanditRef"] = self.r.choice(["cb1", "cb2"])
                if self.r.random() < 0.2:
                    r["parentConditions"] = [{"id": self.r.choice(names),
                                              "condition": self.r.choice([{"value": True}, {"value": {"$savedGroup": {"id": "sgc"}}}])}]
            features[name] = {"defaultValue": self.r.choice(VALUES), "rules": rules}
            if self.r.random() < 0.6:
                features[name]["metadata"] = self.metadata()
        experiments = []
        for j in range(self.r.randint(0, 2)):
            e = {"key": f"e{j}", "variations": [{}, {}]}
            if self.r.random() < 0.5:
                e["condition"] = condition()
            if self.r.random() < 0.5:
                e["metadata"] = self.metadata()
            if self.r.random() < 0.2:
                e["parentConditions"] = [{"id": self.r.choice(names), "condition": {"value": True}}]
            experiments.append(e)
        payload = {"features": features, "savedGroups": FEATURE_GROUPS, "experiments": experiments}
        if self.r.random() < 0.3:
            payload["contextualBandits"] = {
                "cb1": {"banditVersion": 1, "contexts": [{"leafId": 1, "condition": condition(), "weights": [0.5, 0.5]},
                                                         {"leafId": 2, "weights": [1, 0]}]},
                "cb2": {"contexts": [{"leafId": 1, "condition": {"$savedGroup": {"id": "sgc"}}}]}}
        options = {"attributes": self.attributes() if self.r.random() < 0.7 else {}}
        if self.r.random() < 0.5:
            options["attributes"]["id"] = self.r.choice(["123", "u_1", "9"])
        if self.r.random() < 0.4:
            options["attributes"]["country"] = self.r.choice(["US", "FR"])
        for key, p in (("include", 0.4), ("exclude", 0.3)):
            if self.r.random() < p:
                options[key] = self.payload_filter()
        if self.r.random() < 0.3:
            options["prerequisites"] = self.r.choice(["keep", "filter"])
        return payload, options


def python_feature(ctx):
    gb = GrowthBook(attributes=copy.deepcopy(ctx["attributes"]), features=copy.deepcopy(ctx["features"]),
                    saved_groups=ctx.get("savedGroups"), forced_variations=ctx.get("forcedVariations", {}),
                    qa_mode=ctx.get("qaMode", False), enabled=ctx.get("enabled", True), url=ctx.get("url", ""),
                    contextual_bandits=copy.deepcopy(ctx.get("contextualBandits")))
    return gb.eval_feature("f").to_dict()


def python_run(ctx, experiment):
    from growthbook import Experiment
    gb = GrowthBook(attributes=copy.deepcopy(ctx["attributes"]), saved_groups=ctx.get("savedGroups"),
                    forced_variations=ctx.get("forcedVariations", {}), qa_mode=ctx.get("qaMode", False),
                    url=ctx.get("url", ""), groups=ctx.get("groups", {}))
    result = gb.run(Experiment(**copy.deepcopy(experiment)))
    return [result.value, result.inExperiment, result.hashUsed]


def python_sticky(ctx, docs):
    service = InMemoryStickyBucketService()
    for doc in docs:
        service.save_assignments(copy.deepcopy(doc))
    gb = GrowthBook(attributes=copy.deepcopy(ctx["attributes"]), features=copy.deepcopy(ctx["features"]),
                    sticky_bucket_service=service)
    return [gb.eval_feature("f").to_dict().get("experimentResult"), gb._sticky_bucket_assignment_docs]


# The JS side of each kind: reads [cases], writes the cases to keep.
JS = {
    "conditions": r"""
const { evalCondition } = require("@growthbook/growthbook");
module.exports = async (cases) => cases.filter(([, condition, attributes, expected, groups]) => {
  let answer;
  try { answer = evalCondition(attributes, condition, groups); } catch (e) { answer = "threw"; }
  return answer === expected;
});""",
    "features": r"""
const { GrowthBook } = require("@growthbook/growthbook");
const project = (r) => JSON.stringify([r.value, r.on, r.source, r.ruleId || "", r.experimentResult ?
  ["variationId", "inExperiment", "hashAttribute", "hashValue", "key", "bucket"].map((k) => r.experimentResult[k]) : null]);
module.exports = async (cases) => cases.flatMap(([name, ctx, key, python]) => {
  const js = JSON.parse(JSON.stringify(new GrowthBook(JSON.parse(JSON.stringify(ctx))).evalFeature(key)));
  return project(js) === project(python) ? [[name, ctx, key, js]] : [];
});""",
    "sticky": r"""
const { GrowthBook, StickyBucketService } = require("@growthbook/growthbook");
class Memory extends StickyBucketService {
  constructor(docs) { super(); this.docs = {}; for (const d of docs) this.docs[`${d.attributeName}||${d.attributeValue}`] = d; }
  async getAssignments(n, v) { return this.docs[`${n}||${v}`] || null; }
  async saveAssignments(d) { this.docs[`${d.attributeName}||${d.attributeValue}`] = d; }
}
const project = (r) => r ? JSON.stringify(["value", "variationId", "inExperiment", "hashAttribute", "hashValue", "stickyBucketUsed", "key"].map((k) => r[k])) : "null";
const docs = (d) => JSON.stringify(Object.keys(d || {}).sort().map((k) => [k, d[k].attributeName, d[k].attributeValue, Object.entries(d[k].assignments).sort()]));
module.exports = async (cases) => {
  const kept = [];
  for (const [name, ctx, stored, key, python, pythonDocs] of cases) {
    const gb = new GrowthBook({ ...JSON.parse(JSON.stringify(ctx)), stickyBucketService: new Memory(JSON.parse(JSON.stringify(stored))) });
    await gb.refreshStickyBuckets();
    const result = gb.evalFeature(key).experimentResult || null;
    const out = gb.getStickyBucketAssignmentDocs();
    if (project(result) === project(python) && docs(out) === docs(pythonDocs)) kept.push([name, ctx, stored, key, JSON.parse(JSON.stringify(result)), out]);
  }
  return kept;
};""",
    "runs": r"""
const { GrowthBook } = require("@growthbook/growthbook");
module.exports = async (cases) => cases.filter(([name, ctx, exp, ...python]) => {
  let js;
  try { const r = new GrowthBook(JSON.parse(JSON.stringify(ctx))).run(JSON.parse(JSON.stringify(exp))); js = [r.value, r.inExperiment, r.hashUsed]; }
  catch (e) { js = "threw"; }
  return JSON.stringify(js) === JSON.stringify(python);
});""",
    "urls": r"""
const { GrowthBook } = require("@growthbook/growthbook");
module.exports = async (cases) => cases.map(([name, ctx, exp]) => {
  const r = new GrowthBook(JSON.parse(JSON.stringify(ctx))).run(JSON.parse(JSON.stringify(exp)));
  return [name, ctx, exp, r.value, r.inExperiment, r.hashUsed];
});""",
    "redirects": r"""
const { GrowthBook } = require("@growthbook/growthbook");
module.exports = async (cases) => cases.map(([name, ctx]) => {
  let decided = null;
  const gb = new GrowthBook({ ...JSON.parse(JSON.stringify(ctx)), navigate: () => {},
    trackingCallback: (e, r) => { if (r.inExperiment && r.value && r.value.urlRedirect) decided = r.value.urlRedirect; } });
  const url = gb.getRedirectUrl();
  return [name, ctx, url ? [{ inExperiment: true, urlRedirect: decided, urlWithParams: url }] : []];
});""",
}

JS["numeric"] = r"""
// util.js is not among the package's exports: reach it by its path.
const u = require(require.resolve("@growthbook/growthbook").replace(/index\.js$/, "util.js"));
const answer = (section, c) => {
  switch (section) {
    case "hash": return u.hash(c[0], c[1], c[2]);
    case "getBucketRange": return u.getBucketRanges(c[1][0], c[1][1], c[1][2] === null ? undefined : c[1][2]);
    case "chooseVariation": return u.chooseVariation(c[1], c[2]);
    case "inNamespace": return u.inNamespace(c[1], c[2]);
    case "getEqualWeights": return u.getEqualWeights(c[0]);
  }
};
module.exports = async (corpus) => Object.fromEntries(Object.entries(corpus).map(([section, cases]) =>
  [section, cases.filter((c) => {
    let js;
    try { js = answer(section, c); } catch (e) { js = "threw"; }
    return JSON.stringify(js === undefined ? null : js) === JSON.stringify(c[c.length - 1]);
  })]));"""

RUN_JS = r"""
console.error = () => {}; console.log = () => {};
const run = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
run(cases).then((kept) => process.stdout.write(JSON.stringify(kept)));
"""


def keep_with_js(kind, cases, node_path):
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False, dir=node_path) as f:
        f.write(JS[kind])
    try:
        out = subprocess.run(["node", "-e", RUN_JS, f.name], input=json.dumps(cases), capture_output=True,
                             text=True, check=True, env={**os.environ, "NODE_PATH": node_path})
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout)


URLS = ["https://www.example.com/", "https://www.example.com/checkout", "https://www.example.com/checkout/",
        "http://example.com/checkout?a=1&b=2", "https://www.example.com/checkout#step2", "https://www.example.com/Checkout",
        "https://shop.example.com/cart?x=y", "https://www.example.com/a/b/c", "https://www.example.com/checkout?utm=1#h",
        "/checkout", "", "https://www.example.com:8080/checkout", "https://www.example.com/search?q=a%20b", "https://example.com"]
URL_PATTERNS = ["/checkout", "https://www.example.com/checkout", "*.example.com/checkout", "example.com", "/checkout?a=1",
                "/checkout#step2", "https://www.example.com/*", "/a/*/c", "/*", "*", "checkout", "^https://www\\.example\\.com/checkout",
                "checkout$", "/check", "/Checkout", "?a=1", "/checkout?a=*", "www.example.com/checkout", "http://*", "[", "/search?q=a b"]
REDIRECT_URLS = ["http://www.example.com/home", "http://www.example.com/home?color=blue&food=sushi",
                 "https://www.example.com/home?a=1&a=2#frag", "/home", "http://www.example.com/home?q=a%20b+c"]
REDIRECT_PATTERNS = ["http://www.example.com/home", "/home", "/home*", "http://www.example.com/", "*", "/home-new"]
REDIRECT_TARGETS = ["http://www.example.com/home-new", "http://www.example.com/home-new?name=test&color=red", "/home-new", "",
                    "https://other.com/x?y=1#z", "http://www.example.com/home", "not a url", "http://www.example.com/home-new#top"]


def generate(kind, seed, count):
    gen = FeatureGenerator(seed)
    r = gen.r
    if kind == "conditions":
        evals, prunes = [], []
        for i in range(count):
            condition, attributes = gen.condition(), gen.attributes()
            evals.append([f"random {seed}.{i}", condition, attributes, evalCondition(attributes, condition, GROUPS), GROUPS])
            prunes.append([f"random {seed}.{i}", condition, attributes, pruneCondition(attributes, condition, GROUPS), GROUPS])
        return {"evalCondition": evals, "pruneCondition": prunes}
    if kind in ("features", "bandits"):
        cases = []
        for i in range(count):
            ctx = gen.feature_context() if kind == "features" else gen.bandit_context()
            try:
                cases.append([f"{kind} {seed}.{i}", ctx, "f", python_feature(ctx)])
            except Exception:  # a payload Python cannot read is no case
                continue
        return {"feature": cases}
    if kind == "runs":
        cases = []
        for i in range(count):
            ctx, experiment = gen.run_case()
            try:
                cases.append([f"run {seed}.{i}", ctx, experiment, *python_run(ctx, experiment)])
            except Exception:
                continue
        return {"run": cases}
    if kind == "sticky":
        cases = []
        for i in range(count):
            ctx, docs = gen.sticky_case()
            try:
                cases.append([f"sticky {seed}.{i}", ctx, docs, "f", *python_sticky(ctx, docs)])
            except Exception:
                continue
        return {"stickyBucket": cases}
    if kind == "reduce":
        cases = []
        for i in range(count):
            payload, options = gen.reduce_input()
            kwargs = {k: copy.deepcopy(v) for k, v in options.items() if k != "attributes"}
            try:
                reduced = reduce_payload(copy.deepcopy(payload), attributes=copy.deepcopy(options["attributes"]), **kwargs)
            except Exception:
                continue
            cases.append([f"reduce {seed}.{i}", {"payload": payload, **options}, reduced])
        return {"reducePayload": cases}
    if kind == "urls":
        cases = []
        for i in range(count):
            patterns = [{"type": r.choice(["simple", "regex", "simple", "other"]), "include": r.random() < 0.75,
                         "pattern": r.choice(URL_PATTERNS)} for _ in range(r.randint(1, 2))]
            cases.append([f"url {seed}.{i}", {"attributes": {"id": "1"}, "url": r.choice(URLS)},
                          {"key": "auto", "variations": [0, 1], "urlPatterns": patterns, "weights": [0, 1]}])
        return {"run": cases}
    if kind == "redirects":
        cases = []
        for i in range(count):
            experiments = []
            for j in range(r.randint(1, 3)):
                variations = [r.choice([{}, {"urlRedirect": r.choice(REDIRECT_TARGETS)}]), {"urlRedirect": r.choice(REDIRECT_TARGETS)}]
                if r.random() < 0.15:
                    variations[1] = {"domMutations": []}
                e = {"key": f"e{j}", "urlPatterns": [{"type": "simple", "include": True, "pattern": r.choice(REDIRECT_PATTERNS)}],
                     "weights": r.choice([[0, 1], [1, 0], [0.5, 0.5]]), "variations": variations}
                if r.random() < 0.4:
                    e["persistQueryString"] = True
                if r.random() < 0.1:
                    e["manual"] = True
                if r.random() < 0.1:
                    del e["urlPatterns"]
                experiments.append(e)
            cases.append([f"redirect {seed}.{i}", {"attributes": {"id": str(r.randint(1, 5))}, "url": r.choice(REDIRECT_URLS),
                                                   "experiments": experiments}])
        return {"urlRedirect": cases}
    if kind == "numeric":
        return numeric_cases(r, seed, count)
    raise SystemExit(f"unknown kind {kind!r}")


def numeric_cases(r, seed, count):
    """The corpus's numeric sections: hashes of any text (UTF-16 in JS),
    bucket ranges of odd coverage and weights, variations chosen at range
    edges, namespaces, equal weights."""
    texts = ["", "a", "123", "user-1", "ünï", "日本", "\U0001F600", " ", "a" * 40, "0x1", "null"]
    edges = [0, 0.0001, 0.25, 0.3, 0.5, 0.5001, 0.9999, 1, -0.1, 1.2]
    sections = {"hash": [], "getBucketRange": [], "chooseVariation": [], "inNamespace": [], "getEqualWeights": []}
    for i in range(count):
        name = f"numeric {seed}.{i}"
        seed_text = r.choice(texts + [str(r.randint(0, 10**6))])
        value = r.choice(texts + [str(r.randint(0, 10**6))])
        version = r.choice([1, 2, 3])
        sections["hash"].append([seed_text, value, version, gbhash(seed_text, value, version)])
        n = r.randint(0, 5)
        coverage = r.choice(edges + [round(r.random(), 3)])
        weights = r.choice([None, [round(r.random(), 2) for _ in range(n)], [1 / n] * n if n else [],
                            [round(r.random(), 2) for _ in range(r.randint(0, 5))], [0.5, 0.5], [0.7, 0.7], [-0.5, 1.5]])
        try:
            ranges = getBucketRanges(n, coverage, weights)
        except Exception:
            continue
        sections["getBucketRange"].append([name, [n, coverage, weights], ranges])
        target = r.choice(edges + [round(r.random(), 4)])
        ranges_to_test = r.choice([ranges, [[0, 0.5], [0.5, 1]], [[0.3, 0.6]], [], [[0, 0.2], [0.1, 0.5]]])
        sections["chooseVariation"].append([name, target, ranges_to_test, chooseVariation(target, ranges_to_test)])
        start = r.choice(edges)
        namespace = [r.choice(["ns", "namespace1", "", "日本"]), start, r.choice(edges)]
        user = r.choice(texts + [str(r.randint(0, 1000))])
        sections["inNamespace"].append([name, user, namespace, inNamespace(user, namespace)])
        k = r.randint(-1, 12)
        sections["getEqualWeights"].append([k, getEqualWeights(k)])
    return sections


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="conditions",
                        choices=["conditions", "features", "bandits", "runs", "sticky", "reduce", "urls", "redirects",
                                 "numeric"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--node-path", default=os.environ.get("NODE_PATH", "/tmp/gb-js/node_modules"))
    args = parser.parse_args()
    corpus = generate(args.kind, args.seed, args.count)
    js_kind = {"conditions": "conditions", "features": "features", "bandits": "features", "runs": "runs",
               "sticky": "sticky", "urls": "urls", "redirects": "redirects"}.get(args.kind)
    if args.kind == "numeric":
        before = sum(len(cases) for cases in corpus.values())
        corpus = keep_with_js("numeric", corpus, args.node_path)
        kept = sum(len(cases) for cases in corpus.values())
        print(f"numeric: {kept} of {before} cases kept", file=sys.stderr)
    if js_kind:
        section = {"conditions": "evalCondition", "features": "feature", "runs": "run", "sticky": "stickyBucket",
                   "urls": "run", "redirects": "urlRedirect"}[js_kind]
        before = len(corpus[section])
        corpus[section] = keep_with_js(js_kind, corpus[section], args.node_path)
        print(f"{section}: {len(corpus[section])} of {before} cases kept", file=sys.stderr)
    json.dump({"specVersion": f"differential {args.kind}", **corpus}, sys.stdout)


main()
