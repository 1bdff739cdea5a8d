"""Generates tests/spec/python_cases.json: our cases for what neither the
GrowthBook corpus (cases.json) nor the JS SDK 1.8.0 (extra_cases.js) can pin,
because JS 1.8.0 lacks the function (pruneCondition, reducePayload) or the
input form. Every expected answer is computed here by the GrowthBook Python
SDK 4.0.0, never by this crate.

    python3 -m venv /tmp/pyv && /tmp/pyv/bin/pip install growthbook==4.0.0
    /tmp/pyv/bin/python tests/spec/python_cases.py > tests/spec/python_cases.json
"""
import json

import logging

from growthbook import Experiment, GrowthBook
from growthbook.core import pruneCondition, reduce_payload

logging.disable(logging.CRITICAL)

GROUPS = {
    "list": {"type": "list", "attributeKey": "id", "values": ["u1"]},
    "legacy": ["u1"],
    "broken": None,
    "unkeyed": {"type": "list", "values": ["u1"]},
    "valueless": {"type": "list", "attributeKey": "id"},
    "conditionless": {"type": "condition", "condition": 3},
    "future": {"type": "somethingNew", "values": ["u1"]},
}

# pruneCondition: [name, condition, attributes, expected, savedGroups]. A
# malformed reference or entry is decided (false), as in evaluation; an
# unknown attribute or group type is kept for the client.
PRUNE = [
    ("saved group: a bare array entry is decided false",
     {"$savedGroup": {"id": "legacy"}, "country": "US"}, {"id": "u1"}),
    ("saved group: $not of a bare array entry is decided true",
     {"$not": {"$savedGroup": {"id": "legacy"}}, "country": "US"}, {"id": "u1"}),
    ("saved group: a string reference is decided false",
     {"$savedGroup": "list", "country": "US"}, {}),
    ("saved group: $not of a reference with a number id is decided true",
     {"$not": {"$savedGroup": {"id": 3}}, "country": "US"}, {}),
    ("saved group: a reference with a number attributeKey is decided false",
     {"$savedGroup": {"id": "list", "attributeKey": 3}, "country": "US"}, {}),
    ("saved group: a null entry is decided false",
     {"$savedGroup": {"id": "broken"}, "country": "US"}, {}),
    ("saved group: a list without an attributeKey is decided false",
     {"$savedGroup": {"id": "unkeyed"}, "country": "US"}, {}),
    ("saved group: a list without values is decided false",
     {"$savedGroup": {"id": "valueless"}, "country": "US"}, {"id": "u1"}),
    ("saved group: a condition group whose condition is no object is decided false",
     {"$savedGroup": {"id": "conditionless"}, "country": "US"}, {}),
    ("saved group: a list on an unknown attribute is kept",
     {"$savedGroup": {"id": "list"}, "country": "US"}, {}),
    ("saved group: a group type this SDK does not know is kept",
     {"$savedGroup": {"id": "future"}, "country": "US"}, {"id": "u1"}),
    ("saved group: a reference's own attributeKey keys a list without one",
     {"$savedGroup": {"id": "unkeyed", "attributeKey": "id"}, "country": "US"}, {"id": "u1"}),
]


# reducePayload: [name, {payload, attributes}, expected]. A saved group is
# kept while its id appears as a string anywhere in what is kept (which
# needs no list of the operators that name groups); a condition group that
# the known attributes decide is kept as written.
REDUCE_GROUPS = {
    "grp_list": {"type": "list", "attributeKey": "id", "values": ["1"]},
    "grp_cond": {"type": "condition", "condition": {"country": "US", "id": {"$inGroup": "grp_list"}}},
    "grp_us": {"type": "condition", "condition": {"country": "US"}},
}
REDUCE = [
    ("saved group: a group id as a feature value keeps the group",
     {"f": {"defaultValue": "grp_list"}}, {}),
    ("saved group: a group id as a condition literal keeps the group",
     {"f": {"defaultValue": 1, "rules": [{"condition": {"plan": "grp_list"}, "force": 2}]}}, {}),
    ("saved group: a group id as a rule id keeps the group",
     {"f": {"defaultValue": 1, "rules": [{"id": "grp_list", "force": 2}]}}, {}),
    ("saved group: a kept condition group keeps the groups it names",
     {"f": {"defaultValue": 1, "rules": [{"condition": {"plan": {"$in": ["grp_cond"]}}, "force": 2}]}},
     {"country": "US"}),
    ("saved group: a condition group the attributes decide is kept as written when $inGroup names it",
     {"f": {"defaultValue": 1, "rules": [{"condition": {"id": {"$inGroup": "grp_us"}}, "force": 2}]}},
     {"country": "FR"}),
    ("saved group: a condition group decided to pass is kept as written too",
     {"f": {"defaultValue": 1, "rules": [{"condition": {"id": {"$notInGroup": "grp_us"}}, "force": 2}]}},
     {"country": "US"}),
]


# Filters: [name, features, options]. Rules are scoped by the include
# filter's projects only, in every feature that is in those projects
# (carried prerequisites too); the exclude filter drops features and
# experiments by their listed projects.
REDUCE_FILTERS = [
    ("filters: the exclude filter does not drop rules scoped to excluded projects",
     {"f": {"defaultValue": 0, "metadata": {"projects": ["p1"]},
            "rules": [{"metadata": {"projects": ["p2"]}, "force": 1}, {"force": 2}]}},
     {"exclude": {"projects": ["p2"]}}),
    ("filters: a rule scoped to an empty list of projects is in none of them",
     {"f": {"defaultValue": 0, "metadata": {"projects": ["p1"]},
            "rules": [{"metadata": {"projects": []}, "force": 1}, {"force": 2}]}},
     {"include": {"projects": ["p1"]}}),
    ("filters: a carried prerequisite in the included projects has its rules scoped",
     {"g": {"defaultValue": 0, "metadata": {"projects": ["p1"], "tags": ["web"]},
            "rules": [{"parentConditions": [{"id": "f", "condition": {"value": True}}], "force": 1}]},
      "f": {"defaultValue": True, "metadata": {"projects": ["p1"]},
            "rules": [{"metadata": {"projects": ["p2"]}, "force": False}, {"force": True}]}},
     {"include": {"projects": ["p1"], "tags": ["web"]}}),
    ("filters: a feature in all projects that lists an excluded one is excluded",
     {"f": {"defaultValue": 0, "metadata": {"allProjects": True, "projects": ["p2"]}},
      "g": {"defaultValue": 0, "metadata": {"allProjects": True}}},
     {"exclude": {"projects": ["p2"]}}),
    ("filters: prerequisites \"keep\" carries them, as the default does",
     {"g": {"defaultValue": 0, "metadata": {"tags": ["web"]},
            "rules": [{"parentConditions": [{"id": "f", "condition": {"value": True}}], "force": 1}]},
      "f": {"defaultValue": True, "metadata": {"tags": ["server"]}}},
     {"include": {"tags": ["web"]}, "prerequisites": "keep"}),
]


def reduce_case(name, features, attributes):
    payload = {"features": features, "savedGroups": REDUCE_GROUPS}
    reduced = reduce_payload(json.loads(json.dumps(payload)), attributes=attributes)
    return [name, {"payload": payload, "attributes": attributes}, reduced]


def reduce_filter_case(name, features, options):
    payload = {"features": features}
    reduced = reduce_payload(json.loads(json.dumps(payload)), **json.loads(json.dumps(options)))
    return [name, {"payload": payload, **options}, reduced]


# run: [name, context, experiment, value, inExperiment, hashUsed]. The legacy
# `url` option of an inline experiment is a regular expression; JS 1.8.0
# takes only a compiled RegExp there, so Python answers.
RUNS = [
    ("legacy url: a pattern matching the path", {"attributes": {"id": "1"}, "url": "https://a.com/checkout?x=1"},
     {"key": "my-test", "variations": [0, 1], "url": "^/checkout"}),
    ("legacy url: a pattern matching the whole URL", {"attributes": {"id": "1"}, "url": "https://a.com/checkout"},
     {"key": "my-test", "variations": [0, 1], "url": "^https://a\\.com/"}),
    ("legacy url: a pattern matching neither", {"attributes": {"id": "1"}, "url": "https://a.com/home"},
     {"key": "my-test", "variations": [0, 1], "url": "^/checkout"}),
    ("legacy url: a pattern that does not compile targets every URL",
     {"attributes": {"id": "1"}, "url": "https://a.com/home"},
     {"key": "my-test", "variations": [0, 1], "url": "(unclosed"}),
]


def run_case(name, context, experiment):
    gb = GrowthBook(attributes=context["attributes"], url=context.get("url", ""))
    result = gb.run(Experiment(**experiment))
    return [name, context, experiment, result.value, result.inExperiment, result.hashUsed]


def main():
    prune = [[name, condition, attributes, pruneCondition(attributes, condition, GROUPS), GROUPS]
             for name, condition, attributes in PRUNE]
    runs = [run_case(*case) for case in RUNS]
    reduced = [reduce_case(*case) for case in REDUCE] + [reduce_filter_case(*case) for case in REDUCE_FILTERS]
    print(json.dumps({"specVersion": "growthbook-rs python cases", "pruneCondition": prune,
                      "reducePayload": reduced, "run": runs}, indent=1))


main()
