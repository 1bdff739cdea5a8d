// Generates tests/spec/extra_cases.json: this SDK's own conformance cases, in
// the corpus format, for behaviours the GrowthBook corpus (cases.json) does
// not pin. Every expected answer is computed here by the GrowthBook JS SDK
// itself, never by this crate, so the cases check us against the reference.
//
//   mkdir -p /tmp/gb-js && (cd /tmp/gb-js && npm install @growthbook/growthbook@1.8.0)
//   NODE_PATH=/tmp/gb-js/node_modules node tests/spec/extra_cases.js > tests/spec/extra_cases.json
//
// Where JS 1.8.0 predates a rule of the corpus (`$notRegex`, which it does not
// know), a case names an `oracle` condition that JS evaluates instead; the
// comment on each such case says why the two agree.
"use strict";
const { GrowthBook, evalCondition, paddedVersionString, StickyBucketService } = require("@growthbook/growthbook");

class MemoryStickyBucketService extends StickyBucketService {
  constructor(docs) {
    super();
    this.docs = {};
    for (const doc of docs) this.docs[`${doc.attributeName}||${doc.attributeValue}`] = doc;
  }
  async getAssignments(attributeName, attributeValue) {
    return this.docs[`${attributeName}||${attributeValue}`] || null;
  }
  async saveAssignments(doc) {
    this.docs[`${doc.attributeName}||${doc.attributeValue}`] = doc;
  }
}

// JSON text kept as written (key order included) in the generated file.
const rawTexts = [];
function raw(text) {
  rawTexts.push(text);
  return { raw: rawTexts.length - 1 };
}
const parsed = (v) => (v && v.raw !== undefined ? JSON.parse(rawTexts[v.raw]) : v);
const RAW_MARK = "@@raw@@";
const marked = (v) => (v && v.raw !== undefined ? `${RAW_MARK}${v.raw}${RAW_MARK}` : v);
function unmark(text) {
  return text.replace(new RegExp(`"${RAW_MARK}(\\d+)${RAW_MARK}"`, "g"), (_, i) => rawTexts[Number(i)]);
}

// -- evalCondition: [name, condition, attributes, savedGroups?, oracle?] ------

const conditions = [
  // 1. Attribute paths through arrays: `obj[part]` step by step, as JS getPath.
  ["array path: tags.length $gte passes", { "tags.length": { $gte: 2 } }, { tags: ["a", "b"] }],
  ["array path: tags.length $gte fails", { "tags.length": { $gte: 2 } }, { tags: ["a"] }],
  ["array path: tags.length of an empty list is 0", { "tags.length": 0 }, { tags: [] }],
  ["array path: tags.length with $in", { "tags.length": { $in: [2, 3] } }, { tags: ["a", "b", "c"] }],
  ["array path: items.0.sku matches the first element", { "items.0.sku": "A1" }, { items: [{ sku: "A1" }, { sku: "B2" }] }],
  ["array path: items.1.sku matches the second element", { "items.1.sku": "B2" }, { items: [{ sku: "A1" }, { sku: "B2" }] }],
  ["array path: items.0.sku does not match the second element", { "items.0.sku": "B2" }, { items: [{ sku: "A1" }, { sku: "B2" }] }],
  ["array path: nested lists", { "matrix.1.0": 3 }, { matrix: [[1, 2], [3, 4]] }],
  ["array path: an index past the end is missing", { "tags.2": { $exists: false } }, { tags: ["a", "b"] }],
  ["array path: a non-canonical index (leading zero) is missing", { "tags.01": "b" }, { tags: ["a", "b"] }],
  ["array path: a non-canonical index (leading zero) does not exist", { "tags.01": { $exists: true } }, { tags: ["a", "b"] }],
  ["array path: -0 is no index", { "tags.-0": { $exists: true } }, { tags: ["a", "b"] }],
  ["array path: +1 is no index", { "tags.+1": { $exists: true } }, { tags: ["a", "b"] }],
  ["array path: length of a string is missing", { "name.length": 5 }, { name: "hello" }],
  ["array path: length of a string does not exist", { "name.length": { $exists: false } }, { name: "hello" }],
  ["array path: length of an object without that key is missing", { "company.length": { $exists: false } }, { company: { name: "acme" } }],
  ["array path: an object's own length key is read", { "company.length": 3 }, { company: { length: 3 } }],
  ["array path: inside $elemMatch", { orders: { $elemMatch: { "items.length": { $gt: 1 } } } }, { orders: [{ items: ["x"] }, { items: ["x", "y"] }] }],
  ["array path: inside $elemMatch, no element passes", { orders: { $elemMatch: { "items.length": { $gt: 2 } } } }, { orders: [{ items: ["x"] }, { items: ["x", "y"] }] }],
  ["array path: an index into a list of strings", { "tags.0": { $regex: "^a" } }, { tags: ["abc", "def"] }],
  ["array path: a saved group keyed on a path through a list", { $savedGroup: { id: "skus" } }, { items: [{ sku: "A1" }] },
    { skus: { type: "list", attributeKey: "items.0.sku", values: ["A1", "C3"] } }],

  // 2. Object literals compare as JSON.stringify does: key order matters.
  ["object equality: same members, same order", { company: { name: "acme", size: 1 } }, { company: { name: "acme", size: 1 } }],
  ["object equality: same members, other order", { company: { name: "acme", size: 1 } }, { company: { size: 1, name: "acme" } }],
  ["object equality: nested objects in another order", { company: { plan: { tier: 1, seats: 5 } } }, { company: { plan: { seats: 5, tier: 1 } } }],
  ["object equality: nested objects in the same order", { company: { plan: { tier: 1, seats: 5 } } }, { company: { plan: { tier: 1, seats: 5 } } }],
  ["object equality: objects in a list, other order", { pairs: [{ a: 1, b: 2 }] }, { pairs: [{ b: 2, a: 1 }] }],
  ["object equality: objects in a list, same order", { pairs: [{ a: 1, b: 2 }] }, { pairs: [{ a: 1, b: 2 }] }],
  // JSON.stringify writes index-like keys first, in numeric order: a JS object
  // literal cannot hold them in another order, so these are written as text.
  ["object equality: index-like keys sort first, as in JS", raw('{"m": {"1": "x", "0": "y"}}'), { m: { 0: "y", 1: "x" } }],
  ["object equality: index-like keys before other keys", raw('{"m": {"b": 1, "10": "x", "9": "y"}}'), raw('{"m": {"9": "y", "b": 1, "10": "x"}}')],
  ["object equality: index-like keys, other values", raw('{"m": {"1": "x", "0": "y"}}'), { m: { 0: "x", 1: "y" } }],
  ["object equality: 1.0 and 1 stringify alike", { m: { a: 1.0 } }, { m: { a: 1 } }],
  ["object equality: $all with an object in another order", { list: { $all: [{ a: 1, b: 2 }] } }, { list: [{ b: 2, a: 1 }] }],
  ["object equality: $all with an object in the same order", { list: { $all: [{ a: 1, b: 2 }] } }, { list: [{ a: 1, b: 2 }] }],
  ["object equality: $elemMatch on a field holding an object, other order", { orders: { $elemMatch: { meta: { x: 1, y: 2 } } } }, { orders: [{ meta: { y: 2, x: 1 } }] }],
  ["object equality: $elemMatch on a field holding an object, same order", { orders: { $elemMatch: { meta: { x: 1, y: 2 } } } }, { orders: [{ meta: { x: 1, y: 2 } }] }],
  ["object equality: $eq never equals an object", { company: { $eq: { name: "acme" } } }, { company: { name: "acme" } }],
  ["object equality: $in never holds an object", { company: { $in: [{ name: "acme" }] } }, { company: { name: "acme" } }],

  // 5. JavaScript regular expressions.
  ["js regex: negative lookahead passes", { email: { $regex: "^(?!.*test).*@acme\\.com$" } }, { email: "bob@acme.com" }],
  ["js regex: negative lookahead fails", { email: { $regex: "^(?!.*test).*@acme\\.com$" } }, { email: "test@acme.com" }],
  ["js regex: positive lookahead", { password: { $regex: "^(?=.*[0-9])(?=.*[a-z]).{8,}$" } }, { password: "abcdefg1" }],
  ["js regex: lookbehind passes", { path: { $regex: "(?<=/api/)v2" } }, { path: "/api/v2/users" }],
  ["js regex: lookbehind fails", { path: { $regex: "(?<=/api/)v2" } }, { path: "/v2/users" }],
  ["js regex: negative lookbehind", { path: { $regex: "(?<!/api/)v2" } }, { path: "/api/v2" }],
  ["js regex: backreference passes", { code: { $regex: "^(\\w)\\1" } }, { code: "aab" }],
  ["js regex: backreference fails", { code: { $regex: "^(\\w)\\1" } }, { code: "abb" }],
  ["js regex: named backreference", { code: { $regex: "^(?<c>[a-z])\\k<c>$" } }, { code: "zz" }],
  ["js regex: $regexi with a lookahead", { role: { $regexi: "^(?!admin)" } }, { role: "ADMIN" }],
  ["js regex: $regexi with a backreference", { code: { $regexi: "^(a)\\1$" } }, { code: "aA" }],
  ["js regex: $notRegex with a lookahead passes", { email: { $notRegex: "^(?!.*test)" } }, { email: "test@acme.com" },
    undefined, { email: { $not: { $regex: "^(?!.*test)" } } }],
  ["js regex: $notRegex with a lookahead fails", { email: { $notRegex: "^(?!.*test)" } }, { email: "bob@acme.com" },
    undefined, { email: { $not: { $regex: "^(?!.*test)" } } }],
  ["js regex: \\d is ASCII only", { n: { $regex: "^\\d+$" } }, { n: "\u0661\u0662\u0663" }],
  ["js regex: \\d matches ASCII digits", { n: { $regex: "^\\d+$" } }, { n: "123" }],
  ["js regex: \\D matches a non-ASCII digit", { n: { $regex: "^\\D$" } }, { n: "\u0661" }],
  ["js regex: \\w is ASCII only", { name: { $regex: "^\\w+$" } }, { name: "caf\u00e9" }],
  ["js regex: \\W matches a non-ASCII letter", { name: { $regex: "\\W" } }, { name: "caf\u00e9" }],
  ["js regex: \\w in a class is ASCII only", { name: { $regex: "^[\\w-]+$" } }, { name: "na\u00efve-x" }],
  ["js regex: \\b is an ASCII word boundary", { s: { $regex: "\\bcat\\b" } }, { s: "\u00e9cat" }],
  ["js regex: \\B between ASCII word characters", { s: { $regex: "c\\Bat" } }, { s: "cat" }],
  ["js regex: . does not match \\n", { s: { $regex: "^a.b$" } }, { s: "a\nb" }],
  ["js regex: . does not match \\r", { s: { $regex: "^a.b$" } }, { s: "a\rb" }],
  ["js regex: . does not match U+2028", { s: { $regex: "^a.b$" } }, { s: "a\u2028b" }],
  ["js regex: . matches other characters", { s: { $regex: "^a.b$" } }, { s: "a\u00e9b" }],
  ["js regex: [^] matches a line terminator", { s: { $regex: "^a[^]b$" } }, { s: "a\nb" }],
  ["js regex: \\s matches U+FEFF", { s: { $regex: "^\\s$" } }, { s: "\ufeff" }],
  ["js regex: \\s does not match U+0085", { s: { $regex: "^\\s$" } }, { s: "\u0085" }],
  ["js regex: $ is the end of input only", { s: { $regex: "^abc$" } }, { s: "abc\n" }],
  ["js regex: a lone { is a literal", { s: { $regex: "^a{$" } }, { s: "a{" }],
  ["js regex: a lone ] is a literal", { s: { $regex: "^a]$" } }, { s: "a]" }],
  ["js regex: an identity escape is the letter", { s: { $regex: "^\\a\\e$" } }, { s: "ae" }],
  ["js regex: \\/ is a slash", { url: { $regex: "^https:\\/\\/" } }, { url: "https://acme.com" }],
  ["js regex: \\uFFFF escapes", { s: { $regex: "^\\u00e9$" } }, { s: "\u00e9" }],
  ["js regex: \\cJ is a control character", { s: { $regex: "^a\\cJb$" } }, { s: "a\nb" }],
  ["js regex: a pattern JS rejects never matches", { s: { $regex: "a(" } }, { s: "a(" }],
  ["js regex: a quantifier JS rejects never matches", { s: { $regex: "a{2,1}" } }, { s: "aa" }],
  ["js regex: case-insensitive class", { s: { $regexi: "^[a-z]+$" } }, { s: "ABC" }],
  ["js regex: a number pattern is no pattern", { s: { $regex: 1 } }, { s: "a1" }],
  ["js regex: $regexi with a number pattern is no pattern", { s: { $regexi: 1 } }, { s: "a1" }],
  ["js regex: a boolean pattern is no pattern", { s: { $regex: true } }, { s: "true" }],
  ["js regex: a list pattern is no pattern", { s: { $regex: ["a"] } }, { s: "a" }],
  ["js regex: $not of a number pattern passes", { s: { $not: { $regex: 1 } } }, { s: "a1" }],

  // 7. Malformed saved groups and references match nobody: a plain false,
  // which $not and $nor turn around (only a group type this SDK does not
  // know fails closed under $not too, as the corpus pins).
  ...(() => {
    const groups = {
      list: { type: "list", attributeKey: "id", values: ["u1"] },
      legacy: ["u1"],
      broken: null,
      number: 3,
      unkeyed: { type: "list", values: ["u1"] },
      valueless: { type: "list", attributeKey: "id" },
      conditionless: { type: "condition", condition: 3 },
      cond: { type: "condition", condition: { id: "u1" } },
    };
    const user = { id: "u1" };
    return [
      ["saved group: $savedGroup on a bare array is false", { $savedGroup: { id: "legacy" } }],
      ["saved group: $not of $savedGroup on a bare array passes", { $not: { $savedGroup: { id: "legacy" } } }],
      ["saved group: $nor of $savedGroup on a bare array passes", { $nor: [{ $savedGroup: { id: "legacy" } }] }],
      ["saved group: $not of a string reference passes", { $not: { $savedGroup: "list" } }],
      ["saved group: $not of a reference with a number id passes", { $not: { $savedGroup: { id: 3 } } }],
      ["saved group: $not of a reference with a number attributeKey passes", { $not: { $savedGroup: { id: "list", attributeKey: 3 } } }],
      ["saved group: $not of $savedGroup on a null entry passes", { $not: { $savedGroup: { id: "broken" } } }],
      ["saved group: $not of $inGroup a null entry passes", { $not: { id: { $inGroup: "broken" } } }],
      ["saved group: $not of $inGroup a number entry passes", { $not: { id: { $inGroup: "number" } } }],
      ["saved group: $not of $inGroup a list without values passes", { $not: { id: { $inGroup: "valueless" } } }],
      ["saved group: $not of $notInGroup a list without values passes", { $not: { id: { $notInGroup: "valueless" } } }],
      ["saved group: $not of $savedGroup on a list without values passes", { $not: { $savedGroup: { id: "valueless" } } }],
      ["saved group: $inGroup reads a list without an attributeKey", { id: { $inGroup: "unkeyed" } }],
      ["saved group: $savedGroup on a list without an attributeKey is false", { $savedGroup: { id: "unkeyed" } }],
      ["saved group: $not of $savedGroup on a list without an attributeKey passes", { $not: { $savedGroup: { id: "unkeyed" } } }],
      ["saved group: a reference's own attributeKey keys a list without one", { $savedGroup: { id: "unkeyed", attributeKey: "id" } }],
      ["saved group: $not of $inGroup a condition group passes", { $not: { id: { $inGroup: "cond" } } }],
      ["saved group: $not of $savedGroup on a group whose condition is no object passes", { $not: { $savedGroup: { id: "conditionless" } } }],
    ].map(([name, condition]) => [name, condition, user, groups]);
  })(),

  // 8. $elemMatch skips null items (and tests falsy ones).
  ["elemMatch: a null item is skipped by $ne", { n: { $elemMatch: { $ne: 1 } } }, { n: [null] }],
  ["elemMatch: a null item is skipped by $exists false", { n: { $elemMatch: { $exists: false } } }, { n: [null] }],
  ["elemMatch: a null item is skipped by $eq null", { n: { $elemMatch: { $eq: null } } }, { n: [null, 1] }],
  ["elemMatch: a null item is skipped by a condition", { n: { $elemMatch: { $not: { a: 1 } } } }, { n: [null] }],
  ["elemMatch: an item after a null one is tested", { n: { $elemMatch: { $ne: 1 } } }, { n: [null, 2] }],
  ["elemMatch: 0 is tested", { n: { $elemMatch: { $eq: 0 } } }, { n: [0] }],
  ["elemMatch: false is tested", { n: { $elemMatch: { $eq: false } } }, { n: [false] }],
  ["elemMatch: an empty string is tested", { n: { $elemMatch: { $eq: "" } } }, { n: [""] }],

  // 9. $or, $and and $nor over an empty object or string: no conditions.
  ["logical: $or of an empty object passes", { $or: {} }, { id: "u1" }],
  ["logical: $or of an empty string passes", { $or: "" }, { id: "u1" }],
  ["logical: $and of an empty object passes", { $and: {} }, { id: "u1" }],
  ["logical: $nor of an empty object fails", { $nor: {} }, { id: "u1" }],
  ["logical: $not of $nor of an empty object passes", { $not: { $nor: {} } }, { id: "u1" }],
];

function conditionCases() {
  return conditions.map(([name, condition, attributes, groups, oracle]) => {
    const expected = evalCondition(parsed(attributes), parsed(oracle || condition), groups || {});
    const row = [name, marked(condition), marked(attributes), expected];
    return groups ? [...row, groups] : row;
  });
}

// -- pruneCondition (JS 1.8.0 has no pruneCondition: see below) ---------------

// -- feature: [name, context, key] ------------------------------------------

const features = [
  // 1. prerequisites read `value` with the same paths.
  ["array path: a prerequisite on the length of a list value", {
    attributes: { id: "1" },
    features: {
      parent: { defaultValue: ["a", "b"] },
      child: { defaultValue: "off", rules: [{ parentConditions: [{ id: "parent", condition: { "value.length": 2 } }], force: "on" }] },
    },
  }, "child"],
  ["array path: a rule condition on an element's field", {
    attributes: { id: "1", items: [{ sku: "A1" }] },
    features: { f: { defaultValue: 0, rules: [{ condition: { "items.0.sku": "A1" }, force: 1 }] } },
  }, "f"],

  // 3. fallbackAttribute only with sticky bucketing.
  ["fallback attribute: an experiment rule ignores it without sticky bucketing", {
    attributes: { deviceId: "d-123" },
    features: { f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b"], hashAttribute: "id", fallbackAttribute: "deviceId" }] } },
  }, "f"],
  ["fallback attribute: a rollout ignores it without sticky bucketing", {
    attributes: { deviceId: "d-123" },
    features: { f: { defaultValue: false, rules: [{ force: true, coverage: 1, hashAttribute: "id", fallbackAttribute: "deviceId" }] } },
  }, "f"],
  ["fallback attribute: the hash attribute itself still works", {
    attributes: { id: "u-1", deviceId: "d-123" },
    features: { f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b"], hashAttribute: "id", fallbackAttribute: "deviceId" }] } },
  }, "f"],

  ["fallback attribute: a contextual bandit rule ignores it without sticky bucketing", {
    attributes: { deviceId: "d-123", plan: "pro" },
    features: { f: { defaultValue: "default", rules: [{ key: "cb", seed: "cb", hashAttribute: "id", fallbackAttribute: "deviceId", hashVersion: 2,
      contextualVariations: ["a", "b"], weights: [0.5, 0.5], meta: [{ key: "0" }, { key: "1" }], contextualBanditRef: "bandit" }] } },
    contextualBandits: { bandit: { banditVersion: 1, contexts: [{ leafId: 1, condition: { plan: "pro" }, weights: [0, 1] }] } },
  }, "f"],

  // Contextual bandits: the fallback leaf reports the rule's weights, or
  // equal ones; a definition that is no object has no contexts.
  ["bandit: the fallback leaf of a rule without weights reports equal weights", {
    attributes: { id: "1" },
    features: { f: { defaultValue: "d", rules: [{ key: "b", contextualVariations: ["a", "b", "c"], contextualBanditRef: "cb" }] } },
    contextualBandits: { cb: { banditVersion: 3, contexts: [] } },
  }, "f"],
  ["bandit: a definition that is no object routes everyone to the fallback leaf", {
    attributes: { id: "1" },
    features: { f: { defaultValue: "d", rules: [{ key: "b", contextualVariations: ["a", "b"], weights: [0.2, 0.8], contextualBanditRef: "cb" }] } },
    contextualBandits: { cb: "not a definition" },
  }, "f"],
  ["bandit: a null definition is a dangling reference", {
    attributes: { id: "1" },
    features: { f: { defaultValue: "d", rules: [{ key: "b", contextualVariations: ["a", "b"], weights: [0.2, 0.8], contextualBanditRef: "cb" }] } },
    contextualBandits: { cb: null },
  }, "f"],

  // 6. Numbers are hashed as JS writes them.
  ...[5e-7, 0.000001, 1.5e-7, 1e21, 123456789012345680000, 12345.6789, 18446744073709551615, 0.1].map((id) => [
    `number id: hashes ${JSON.stringify(id)} as String() writes it`, {
      attributes: { id },
      features: { f: { defaultValue: -1, rules: [{ key: "exp", variations: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], hashVersion: 2 }] } },
    }, "f"]),
  ["number id: a version-1 hash of 5e-7", {
    attributes: { id: 5e-7 },
    features: { f: { defaultValue: -1, rules: [{ key: "exp", variations: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], hashVersion: 1 }] } },
  }, "f"],
  ["number id: a rollout on a number hash attribute", {
    attributes: { id: "x", company: 1e-7 },
    features: { f: { defaultValue: false, rules: [{ force: true, coverage: 0.5, hashAttribute: "company" }] } },
  }, "f"],
];

// -- run: [name, context, experiment] -------------------------------------

const runs = [
  ["fallback attribute: run() ignores it without sticky bucketing",
    { attributes: { anonymousId: "123" } },
    { key: "my-test", variations: [0, 1], hashAttribute: "id", fallbackAttribute: "anonymousId" }],
  ["number id: run() hashes 5e-7 as JS writes it", { attributes: { id: 5e-7 } }, { key: "my-test", variations: [0, 1, 2, 3] }],
  ["number id: run() hashes 1e21 as JS writes it", { attributes: { id: 1e21 } }, { key: "my-test", variations: [0, 1, 2, 3] }],

  // 10. Inline experiments: URL targeting comes before every override, and
  // the legacy `url` and `groups` options target too.
  ...(() => {
    const auto = { key: "auto", variations: [0, 1], urlPatterns: [{ type: "simple", include: true, pattern: "/checkout" }] };
    return [
      ["url patterns: a forced variation on another page is not in the experiment",
        { attributes: { id: "1" }, url: "http://a.com/home", forcedVariations: { auto: 1 } }, auto],
      ["url patterns: a query string override on another page is not in the experiment",
        { attributes: { id: "1" }, url: "http://a.com/home?auto=1" }, auto],
      ["url patterns: a forced variation on the page applies",
        { attributes: { id: "1" }, url: "http://a.com/checkout", forcedVariations: { auto: 1 } }, auto],
    ];
  })(),
  ["legacy url: without a URL nobody is in the experiment", { attributes: { id: "1" } },
    { key: "my-test", variations: [0, 1], url: "^/checkout" }],
  ["groups: a user in none of the groups is not in the experiment", { attributes: { id: "1" }, groups: { beta: false, staff: true } },
    { key: "my-test", variations: [0, 1], groups: ["beta"] }],
  ["groups: a user in one of the groups is", { attributes: { id: "1" }, groups: { beta: false, staff: true } },
    { key: "my-test", variations: [0, 1], groups: ["beta", "staff"] }],
  ["groups: without groups nobody is", { attributes: { id: "1" } },
    { key: "my-test", variations: [0, 1], groups: ["beta"] }],
  ["groups: an empty list includes nobody (JS; Python includes everyone)", { attributes: { id: "1" } },
    { key: "my-test", variations: [0, 1], groups: [] }],
];

// -- stickyBucket: [name, context, docs, key] ---------------------------------

const sticky = [
  // 3. With sticky bucketing the fallback attribute is used, unless the rule disables it.
  ["fallback attribute: used with sticky bucketing", {
    attributes: { deviceId: "d-1" },
    features: { f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b"], meta: [{ key: "a" }, { key: "b" }], hashAttribute: "id", fallbackAttribute: "deviceId" }] } },
  }, [], "f"],
  ["fallback attribute: ignored when the rule disables sticky bucketing", {
    attributes: { deviceId: "d-1" },
    features: { f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b"], meta: [{ key: "a" }, { key: "b" }], hashAttribute: "id", fallbackAttribute: "deviceId", disableStickyBucketing: true }] } },
  }, [], "f"],
  // 4. The fallback identity defaults to `id`.
  ["sticky fallback identity: an experiment on email finds the assignment stored under id", {
    attributes: { id: "u-1", email: "u1@acme.com" },
    features: {
      f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b", "c"], meta: [{ key: "a" }, { key: "b" }, { key: "c" }], hashAttribute: "email" }] },
      g: { defaultValue: 0, rules: [{ key: "other", variations: [0, 1] }] },
    },
  }, [{ attributeName: "id", attributeValue: "u-1", assignments: { exp__0: "c" } }], "f"],
  ["sticky fallback identity: the id document is not read when no rule uses id", {
    attributes: { id: "u-1", email: "u1@acme.com" },
    features: {
      f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b", "c"], meta: [{ key: "a" }, { key: "b" }, { key: "c" }], hashAttribute: "email" }] },
    },
  }, [{ attributeName: "id", attributeValue: "u-1", assignments: { exp__0: "c" } }], "f"],
  ["sticky fallback identity: the email document wins over the id document", {
    attributes: { id: "u-1", email: "u1@acme.com" },
    features: {
      f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b", "c"], meta: [{ key: "a" }, { key: "b" }, { key: "c" }], hashAttribute: "email" }] },
      g: { defaultValue: 0, rules: [{ key: "other", variations: [0, 1] }] },
    },
  }, [
    { attributeName: "id", attributeValue: "u-1", assignments: { exp__0: "c" } },
    { attributeName: "email", attributeValue: "u1@acme.com", assignments: { exp__0: "b" } },
  ], "f"],
  ["sticky fallback identity: an explicit fallback replaces id", {
    attributes: { id: "u-1", email: "u1@acme.com", deviceId: "d-9" },
    features: {
      f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b", "c"], meta: [{ key: "a" }, { key: "b" }, { key: "c" }], hashAttribute: "email", fallbackAttribute: "deviceId" }] },
      g: { defaultValue: 0, rules: [{ key: "other", variations: [0, 1] }] },
    },
  }, [{ attributeName: "id", attributeValue: "u-1", assignments: { exp__0: "c" } }], "f"],
  ["sticky fallback identity: a blocked bucket version under id unenrolls", {
    attributes: { id: "u-1", email: "u1@acme.com" },
    features: {
      f: { defaultValue: "default", rules: [{ key: "exp", variations: ["a", "b", "c"], meta: [{ key: "a" }, { key: "b" }, { key: "c" }], hashAttribute: "email", bucketVersion: 1, minBucketVersion: 1 }] },
      g: { defaultValue: 0, rules: [{ key: "other", variations: [0, 1] }] },
    },
  }, [{ attributeName: "id", attributeValue: "u-1", assignments: { exp__0: "c" } }], "f"],
];

async function stickyCases() {
  const out = [];
  for (const [name, ctx, docs, key] of sticky) {
    const service = new MemoryStickyBucketService(JSON.parse(JSON.stringify(docs)));
    const gb = new GrowthBook({ ...JSON.parse(JSON.stringify(ctx)), stickyBucketService: service });
    await gb.refreshStickyBuckets();
    const result = gb.evalFeature(key);
    out.push([name, ctx, docs, key, result.experimentResult || null, gb.getStickyBucketAssignmentDocs()]);
  }
  return out;
}

function featureCases() {
  return features.map(([name, ctx, key]) => {
    const gb = new GrowthBook(JSON.parse(JSON.stringify(ctx)));
    return [name, ctx, key, JSON.parse(JSON.stringify(gb.evalFeature(key)))];
  });
}

function runCases() {
  return runs.map(([name, ctx, experiment]) => {
    const gb = new GrowthBook(JSON.parse(JSON.stringify(ctx)));
    const r = gb.run(JSON.parse(JSON.stringify(experiment)));
    return [name, ctx, experiment, r.value, r.inExperiment, r.hashUsed];
  });
}

// -- versionCompare: {lt|gt|eq: [version, other, expected]} ------------------
// The section of older corpora (specVersion 0.4-0.5): how padded versions
// compare as strings.

const versionPairs = [
  ["1.0.0", "1.0.1"], ["1.0.1", "1.0.0"], ["1.0.0", "1.0.0"], ["1.9.0", "1.10.0"],
  ["0.9.99", "1.0.0"], ["1.0.0-beta", "1.0.0"], ["1.0.0-alpha", "1.0.0-beta"],
  ["1.0.0-rc.9", "1.0.0-rc.10"], ["1.0.0-rc.1", "1.0.0-rc.1"], ["v1.2.3", "1.2.3"],
  ["1.2.3+build.1", "1.2.3+build.2"], ["1.2", "1.2.0"], ["1.0.0", "1.0.0.0"],
  ["", "0"], ["0.0.0", "0"], ["123456.2.3", "99999.2.3"], ["1.0.0-1", "1.0.0-a"],
  ["10.0.0", "9.0.0"], ["1.0.0-beta.2", "1.0.0-beta.11"], ["v2.0.0-rc.1+sha.5", "2.0.0-rc.1"],
];

function versionCases() {
  const pv = paddedVersionString;
  return {
    lt: versionPairs.map(([a, b]) => [a, b, pv(a) < pv(b)]),
    gt: versionPairs.map(([a, b]) => [a, b, pv(a) > pv(b)]),
    eq: versionPairs.map(([a, b]) => [a, b, pv(a) === pv(b)]),
  };
}

// -- urlRedirect: [name, context, [{inExperiment, urlRedirect, urlWithParams}]]
// URL targeting reads the URL as the browser's `URL` does (relative patterns,
// wildcards, encoded paths, fragments, query parameters), and redirects
// follow the JS SDK's auto-experiment loop.

const home = "http://www.example.com/home";
const redirect = (key, pattern, target, extra = {}) => ({
  key, urlPatterns: [{ type: "simple", include: true, pattern }], weights: [0, 1],
  variations: [{}, { urlRedirect: target }], ...extra,
});
const redirects = [
  ["url targeting: a pattern without a host matches the path on any host",
    { url: `${home}?a=1`, experiments: [redirect("e", "/home", "http://www.example.com/new")] }],
  ["url targeting: a bare word is a path",
    { url: home, experiments: [redirect("e", "home", "http://www.example.com/new")] }],
  ["url targeting: * matches every URL, the redirect too, so it is not taken",
    { url: "https://shop.example.com/cart?x=y#top", experiments: [redirect("e", "*", "http://www.example.com/new")] }],
  ["url targeting: * matches every URL but an excluded one",
    { url: "https://shop.example.com/cart?x=y#top", experiments: [{ ...redirect("e", "*", "http://www.example.com/new"),
      urlPatterns: [{ type: "simple", include: true, pattern: "*" }, { type: "simple", include: false, pattern: "/new" }] }] }],
  ["url targeting: a host without a scheme gets https and matches http too",
    { url: home, experiments: [redirect("e", "www.example.com/home", "http://www.example.com/new")] }],
  ["url targeting: a wildcard subdomain",
    { url: "https://shop.example.com/home", experiments: [redirect("e", "*.example.com/home", "http://www.example.com/new")] }],
  ["url targeting: a fragment in the pattern must match",
    { url: `${home}#step2`, experiments: [redirect("e", "/home#step1", "http://www.example.com/new")] }],
  ["url targeting: a query parameter in the pattern must match, decoded",
    { url: `${home}?q=a%20b`, experiments: [redirect("e", "/home?q=a b", "http://www.example.com/new")] }],
  ["url targeting: dot segments of the URL are resolved",
    { url: "http://www.example.com/a/../home", experiments: [redirect("e", "/home", "http://www.example.com/new")] }],
  ["url targeting: a regex pattern sees the fragment",
    { url: `${home}#x`, experiments: [{ ...redirect("e", "", "http://www.example.com/new"),
      urlPatterns: [{ type: "regex", include: true, pattern: "^http://www\\.example\\.com/home" }, { type: "regex", include: false, pattern: "home$" }] }] }],
  ["url targeting: a regex pattern sees the scheme",
    { url: home, experiments: [{ ...redirect("e", "", "https://www.example.com/new"), urlPatterns: [{ type: "regex", include: true, pattern: "^http://" }] }] }],
  ["redirect: the control variation of the first redirect experiment stops the others",
    { url: home, experiments: [{ ...redirect("e1", "/home", "http://www.example.com/a"), weights: [1, 0] }, redirect("e2", "/home", "http://www.example.com/b")] }],
  ["redirect: a relative redirect blocks its experiment, and the next one runs",
    { url: home, experiments: [redirect("e1", "/home", "/a"), redirect("e2", "/home", "http://www.example.com/b")] }],
  ["redirect: a redirect its own patterns target is not taken",
    { url: home, experiments: [redirect("e", "/home*", "http://www.example.com/home-new")] }],
  ["redirect: a manual experiment is not run",
    { url: home, experiments: [redirect("e1", "/home", "http://www.example.com/a", { manual: true }), redirect("e2", "/home", "http://www.example.com/b")] }],
  ["redirect: an empty redirect is none",
    { url: home, experiments: [redirect("e", "/home", "")] }],
  ["redirect: persisted parameters are written as URLSearchParams writes them",
    { url: `${home}?q=a%20b&t=x/y`, experiments: [redirect("e", "/home", "http://www.example.com/new?n=1", { persistQueryString: true })] }],
  ["redirect: persisting an empty query string keeps the redirect as JS writes it",
    { url: home, experiments: [redirect("e", "/home", "http://www.example.com", { persistQueryString: true })] }],
];

function redirectCases() {
  return redirects.map(([name, ctx]) => {
    const context = { attributes: { id: "1" }, ...ctx };
    let decided = null;
    const gb = new GrowthBook({
      ...JSON.parse(JSON.stringify(context)),
      navigate: () => {},
      trackingCallback: (experiment, result) => {
        if (result.inExperiment && result.value && result.value.urlRedirect) decided = result.value.urlRedirect;
      },
    });
    const url = gb.getRedirectUrl();
    return [name, context, url ? [{ inExperiment: true, urlRedirect: decided, urlWithParams: url }] : []];
  });
}

// -- decrypt: [name, encrypted, key, expected] -------------------------------
// Base64 is read by `atob`: whitespace skipped, padding optional; only the
// first two "."-separated parts count.

const encrypted = "m5ylFM6ndyOJA2OPadubkw==.Uu7ViqgKEt/dWvCyhI46q088PkAEJbnXKf3KPZjf9IEQQ+A8fojNoxw4wIbPX3aj";
const decryptionKey = "Zvwv/+uhpFDznZ6SX28Yjg==";
const decrypts = [
  ["decrypt: a key without padding", encrypted, "Zvwv/+uhpFDznZ6SX28Yjg"],
  ["decrypt: an iv without padding", encrypted.replace("==.", "."), decryptionKey],
  ["decrypt: whitespace in the key and the text", encrypted.replace(".Uu7V", ". Uu7V\n").replace("A8fo", "A8\tfo"), ` ${decryptionKey}\n`],
  ["decrypt: a third part is ignored", `${encrypted}.anything`, decryptionKey],
  ["decrypt: url-safe base64 is no base64", encrypted.replace("+", "-"), decryptionKey],
  ["decrypt: a text cut short of a block fails", encrypted.slice(0, 40), decryptionKey],
];

async function decryptCases() {
  const util = require(require("path").join(require.resolve("@growthbook/growthbook"), "..", "util.js"));
  const subtle = require("crypto").webcrypto.subtle;
  const out = [];
  for (const [name, text, key] of decrypts) {
    let plain = null;
    try { plain = await util.decrypt(text, key, subtle); } catch (e) { plain = null; }
    out.push([name, text, key, plain]);
  }
  return out;
}

// -- getQueryStringOverride: [name, key, url, numVariations, expected] ------
// The JS SDK reads the value with `parseInt(v)`, with no radix: leading
// whitespace, a sign, and `0x` hex are read; the first non-digit ends it.

const queryStrings = [
  ["query string: 0x1 is hex", "exp", "http://a.com/?exp=0x1", 3],
  ["query string: 0X2 is hex", "exp", "http://a.com/?exp=0X2", 3],
  ["query string: 0x without digits is no number", "exp", "http://a.com/?exp=0x", 3],
  ["query string: 0x1 is out of range for one variation", "exp", "http://a.com/?exp=0x1", 1],
  ["query string: a leading space is skipped", "exp", "http://a.com/?exp= 1", 3],
  ["query string: a percent-encoded value is not decoded", "exp", "http://a.com/?exp=%31", 3],
  ["query string: +1 is 1", "exp", "http://a.com/?exp=+1", 3],
  ["query string: 1e0 is read up to the e", "exp", "http://a.com/?exp=1e0", 3],
  ["query string: 1.5 is read up to the point", "exp", "http://a.com/?exp=1.5", 3],
  ["query string: -0 is 0", "exp", "http://a.com/?exp=-0", 3],
];

function queryStringCases() {
  const util = require(require("path").join(require.resolve("@growthbook/growthbook"), "..", "util.js"));
  return queryStrings.map(([name, key, url, n]) => [name, key, url, n, util.getQueryStringOverride(key, url, n)]);
}

(async () => {
  const corpus = {
    specVersion: "growthbook-rs extra cases",
    evalCondition: conditionCases(),
    feature: featureCases(),
    run: runCases(),
    stickyBucket: await stickyCases(),
    getQueryStringOverride: queryStringCases(),
    decrypt: await decryptCases(),
    urlRedirect: redirectCases(),
    versionCompare: versionCases(),
  };
  process.stdout.write(unmark(JSON.stringify(corpus, null, 1)) + "\n");
})();
