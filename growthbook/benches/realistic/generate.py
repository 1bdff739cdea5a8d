#!/usr/bin/env python3
"""Generates the realistic workload (benches/data/realistic.json): a payload
of production shapes the shared workload lacks, users that look like real
ones, and the expected answer of every (case, user) pair computed by the
GrowthBook Python SDK, growthbook==4.0.0 (not by this crate):

    pip install growthbook==4.0.0
    python3 growthbook/benches/realistic/generate.py

Shapes: 5,000 features (about 1 MB), users with 28 attributes (UUID ids, a
device id, a nested company object, lists), a saved group of 2,000 ids (legacy
`$inGroup` and a v2 list group through `$savedGroup`), `$in` over 600 values,
a feature of 24 force rules where the last one matches, rollouts and
experiments hashed on `deviceId` (hash versions 1 and 2) beside the same on
`id`, and plain defaults and unknown keys."""
import json
import logging
import pathlib
import random
import uuid

from growthbook import GrowthBook

logging.disable(logging.WARNING)  # "Unknown feature" is what one case asks
rng = random.Random(20261201)


def rule_id():
    """A rule id as GrowthBook writes them (`fr_` and 14 characters)."""
    return "fr_" + "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(14))
OUT = pathlib.Path(__file__).resolve().parent.parent / "data" / "realistic.json"


def uid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


COUNTRIES = ["US", "CA", "GB", "FR", "DE", "ES", "IT", "NL", "SE", "JP", "BR", "IN", "AU", "MX"]
PLANS = ["free", "starter", "pro", "business", "enterprise"]
BROWSERS = ["chrome", "firefox", "safari", "edge"]

users = []
for i in range(100):
    users.append({
        "id": uid(),
        "deviceId": uid(),
        "anonymousId": uid(),
        "email": f"user{i}@{rng.choice(['example.com', 'acme.io', 'corp.example.org'])}",
        "country": rng.choice(COUNTRIES),
        "region": rng.choice(["na", "eu", "apac", "latam"]),
        "city": rng.choice(["Paris", "Berlin", "Austin", "Tokyo", "Lyon", "Leeds"]),
        "postalCode": f"{rng.randrange(10000, 99999)}",
        "language": rng.choice(["en", "fr", "de", "es", "ja"]),
        "browser": rng.choice(BROWSERS),
        "deviceType": rng.choice(["desktop", "mobile", "tablet"]),
        "os": rng.choice(["macos", "windows", "linux", "ios", "android"]),
        "appVersion": f"{rng.randrange(1, 5)}.{rng.randrange(0, 20)}.{rng.randrange(0, 10)}",
        "age": rng.randrange(16, 80),
        "accountAgeDays": rng.randrange(0, 2000),
        "sessions": rng.randrange(0, 500),
        "ltv": round(rng.uniform(0, 5000), 2),
        "loggedIn": rng.random() < 0.7,
        "employee": rng.random() < 0.05,
        "betaOptIn": rng.random() < 0.2,
        "newsletter": rng.random() < 0.4,
        "plan": rng.choice(PLANS),
        "referrer": rng.choice(["google", "twitter", "direct", "newsletter", ""]),
        "utmCampaign": rng.choice(["spring", "summer", "", "launch"]),
        "tags": rng.sample(["staff", "beta", "vip", "churn-risk", "new", "power"], rng.randrange(0, 4)),
        "roles": rng.sample(["admin", "editor", "viewer", "billing"], rng.randrange(1, 3)),
        "company": {"id": uid(), "plan": rng.choice(PLANS), "size": rng.randrange(1, 5000),
                    "region": rng.choice(["na", "eu", "apac"])},
        "cartValue": round(rng.uniform(0, 800), 2),
    })

# A saved group of 2,000 ids: 40 of the users are members.
members = [u["id"] for u in users[:40]] + [uid() for _ in range(1960)]
rng.shuffle(members)
device_members = [u["deviceId"] for u in users[50:90]] + [uid() for _ in range(1960)]
rng.shuffle(device_members)
postal_codes = sorted({u["postalCode"] for u in users[::2]} | {f"{rng.randrange(10000, 99999)}" for _ in range(600)})[:600]

features = {}
features["beta-group-gate"] = {"defaultValue": False, "rules": [
    {"id": "in-group", "condition": {"id": {"$inGroup": "beta-users"}}, "force": True}]}
features["vip-device-gate"] = {"defaultValue": False, "rules": [
    {"id": "saved-group", "condition": {"$savedGroup": {"id": "vip-devices"}}, "force": True}]}
features["postal-code-pilot"] = {"defaultValue": "off", "rules": [
    {"id": "in-list", "condition": {"postalCode": {"$in": postal_codes}}, "force": "pilot"}]}
many = []
for n in range(23):
    many.append({"id": f"r{n}", "condition": {
        "country": "ZZ" if n % 3 == 0 else {"$in": ["AQ", "BV"]},
        "plan": PLANS[n % len(PLANS)]} if n % 2 else {"company.size": {"$gt": 100000 + n}},
        "force": f"variant-{n}"})
many.append({"id": "r23", "condition": {"loggedIn": {"$exists": True}}, "force": "last"})
features["many-rules"] = {"defaultValue": "default", "rules": many}
for version in (1, 2):
    features[f"device-rollout-v{version}"] = {"defaultValue": False, "rules": [
        {"id": "rollout", "force": True, "coverage": 0.45, "hashAttribute": "deviceId", "hashVersion": version}]}
    features[f"id-rollout-v{version}"] = {"defaultValue": False, "rules": [
        {"id": "rollout", "force": True, "coverage": 0.45, "hashAttribute": "id", "hashVersion": version}]}
    features[f"device-experiment-v{version}"] = {"defaultValue": "control", "rules": [
        {"id": "exp", "key": f"device-exp-v{version}", "hashAttribute": "deviceId", "hashVersion": version,
         "variations": ["control", "treatment", "treatment-b"], "weights": [0.34, 0.33, 0.33],
         "meta": [{"key": "c"}, {"key": "t"}, {"key": "b"}]}]}
features["plain-default"] = {"defaultValue": True}
# Filler: the rest of a production payload, about 1 MB in all.
for n in range(len(features), 5000):
    kind = n % 5
    if kind == 0:
        features[f"flag-{n}"] = {"defaultValue": False, "rules": [
            {"id": rule_id(), "condition": {"employee": True}, "force": True}]}
    elif kind == 1:
        features[f"flag-{n}"] = {"defaultValue": "a", "rules": [
            {"id": rule_id(), "condition": {"country": {"$in": rng.sample(COUNTRIES, 3)}}, "force": "b"},
            {"id": rule_id(), "condition": {"browser": {"$ne": "edge"}}, "force": "c", "coverage": 0.5,
             "hashAttribute": "id", "seed": f"flag-{n}"}]}
    elif kind == 2:
        features[f"flag-{n}"] = {"defaultValue": 0, "rules": [
            {"id": rule_id(), "force": 1, "coverage": round(rng.random(), 2), "hashAttribute": "id"}]}
    elif kind == 3:
        features[f"flag-{n}"] = {"defaultValue": {"limit": 10}, "rules": [
            {"id": rule_id(), "condition": {"plan": {"$in": ["pro", "business"]}, "age": {"$gte": 18},
                                            "appVersion": {"$vgte": "2.1.0"}},
             "force": {"limit": 50, "burst": n}}]}
    else:
        features[f"flag-{n}"] = {"defaultValue": "control", "rules": [
            {"id": rule_id(), "key": f"exp-{n}", "variations": ["control", "variant"], "hashVersion": 2,
             "meta": [{"key": "0", "name": "Control"}, {"key": "1", "name": "Variant"}],
             "phase": "0", "name": f"Experiment {n}", "seed": uid()}]}

payload = {
    "features": features,
    "savedGroups": {
        "beta-users": members,
        "vip-devices": {"type": "list", "attributeKey": "deviceId", "values": device_members},
    },
}

cases = [
    ("saved_group_in_group", "beta-group-gate"),
    ("saved_group_reference", "vip-device-gate"),
    ("in_600_values", "postal-code-pilot"),
    ("rules_24_last_matches", "many-rules"),
    ("device_rollout_v1", "device-rollout-v1"),
    ("device_rollout_v2", "device-rollout-v2"),
    ("id_rollout_v1", "id-rollout-v1"),
    ("id_rollout_v2", "id-rollout-v2"),
    ("device_experiment_v1", "device-experiment-v1"),
    ("device_experiment_v2", "device-experiment-v2"),
    ("default_only", "plain-default"),
    ("unknown_feature", "no-such-feature"),
]

expected = {}
for name, key in cases:
    answers = []
    for user in users:
        gb = GrowthBook(attributes=user, features=features, saved_groups=payload["savedGroups"])
        result = gb.eval_feature(key)
        answers.append({"value": result.value, "source": result.source})
    expected[name] = answers
    values = {json.dumps(a["value"]) for a in answers}
    assert len(values) > 1 or name in ("default_only", "unknown_feature", "rules_24_last_matches"), name

workload = {
    "generator": "growthbook/benches/realistic/generate.py (expected answers: growthbook==4.0.0)",
    "payload": payload,
    "users": users,
    "cases": [{"name": n, "featureKey": k} for n, k in cases],
    "expected": expected,
}
OUT.write_text(json.dumps(workload, separators=(",", ":")) + "\n")
print(f"{OUT}: {OUT.stat().st_size} bytes; payload {len(json.dumps(payload, separators=(',', ':')))} bytes")
