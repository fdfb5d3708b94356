// Benchmark: the schemaplay MongoDB engine (Rust compiled to WebAssembly, loaded in Node) and
// the npm library `mingo`, in one process, on the same 100,000 generated users.
//
//   node --expose-gc bench.mjs [path/to/pkg] [--docs N] [--runs N]
//
// For each of ten filters it checks that both engines return the same documents, then prints
// the median time per query of each and the ratio, two ways: the whole result (schemaplay's
// engine time, its end-to-end time with JSON.parse, mingo's `.all()`), and the first batch a
// console shows (schemaplay's cursor: `"cursor": {}`, 101 documents, JSON.parse, then
// killCursors; mingo's lazy cursor, the first 101 `next()`s). A second table does the same for
// five aggregations; a third creates the suggested indexes in schemaplay and shows documents
// examined (from explain) with and without them.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Aggregator, find } from "mingo";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const pkgDir = args.find((a) => !a.startsWith("--") && isNaN(Number(a))) ?? path.join(here, "pkg");
const N = flag("--docs", 100_000);
const RUNS = flag("--runs", 7);

const require = createRequire(import.meta.url);
const { MongoSession } = require(path.resolve(pkgDir, "schemaplay_wasm.js"));

// ---------- deterministic data ----------
function mulberry32(seed) {
  return function () {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const CITIES = ["Paris", "Lyon", "Nice", "Berlin", "Munich", "Madrid", "Rome", "Milan", "Vienna", "Prague",
  "Warsaw", "Lisbon", "Dublin", "London", "Oslo", "Stockholm", "Helsinki", "Athens", "Sofia", "Zagreb",
  "NYC", "Boston", "Chicago", "Austin", "Denver", "Seattle", "Portland", "Miami", "Atlanta", "Dallas",
  "Toronto", "Montreal", "Vancouver", "Calgary", "Ottawa", "Tokyo", "Osaka", "Seoul", "Busan", "Taipei",
  "Sydney", "Melbourne", "Perth", "Auckland", "Lima", "Bogota", "Quito", "Santiago", "Mexico", "Havana"];
const TAGS = ["developer", "nodejs", "rust", "go", "python", "java", "design", "ops", "data", "ml",
  "frontend", "backend", "mobile", "cloud", "security", "qa", "lead", "intern", "remote", "oss"];
const FIRST = ["John", "Jane", "Ann", "Bob", "Carol", "Dan", "Eve", "Frank", "Grace", "Heidi", "Ivan", "Judy"];
const LAST = ["Doe", "Roe", "Lee", "Smith", "Jones", "Brown", "White", "Black", "Green", "King"];
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function generate(n) {
  const rnd = mulberry32(42);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const docs = [];
  for (let i = 0; i < n; i++) {
    const tags = [];
    const nt = 1 + Math.floor(rnd() * 4);
    for (let t = 0; t < nt; t++) {
      const tag = pick(TAGS);
      if (!tags.includes(tag)) tags.push(tag);
    }
    const orders = [];
    const no = Math.floor(rnd() * 4);
    for (let o = 0; o < no; o++) {
      orders.push({ sku: `SKU-${Math.floor(rnd() * 50)}`, qty: 1 + Math.floor(rnd() * 5), price: Math.round(rnd() * 10000) / 100 });
    }
    docs.push({
      _id: i,
      email: `user${i}@example.com`,
      name: `${pick(FIRST)} ${pick(LAST)}`,
      profile: { age: 18 + Math.floor(rnd() * 62), city: pick(CITIES), bio: `${pick(TAGS)} and ${pick(TAGS)} person` },
      tags,
      orders,
      active: rnd() < 0.8,
      createdAt: new Date(START + Math.floor(rnd() * 365) * DAY + Math.floor(rnd() * DAY)),
    });
  }
  return docs;
}

// Extended JSON for the engine: dates as {$date}.
function toEjson(v) {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (Array.isArray(v)) return v.map(toEjson);
  if (v && typeof v === "object") {
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = toEjson(x);
    return o;
  }
  return v;
}
// Comparable form of either engine's output: dates as milliseconds.
function norm(v) {
  if (v instanceof Date) return { $date: v.getTime() };
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === "object") {
    if ("$date" in v && Object.keys(v).length === 1) {
      const d = v.$date;
      return { $date: typeof d === "string" ? Date.parse(d) : typeof d === "object" ? Number(d.$numberLong) : d };
    }
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = norm(v[k]);
    return o;
  }
  return v;
}

// ---------- the queries ----------
const june1 = new Date(Date.UTC(2024, 5, 1));
const june8 = new Date(Date.UTC(2024, 5, 8));
const QUERIES = [
  { name: "nested equality", filter: { "profile.city": "Lyon" }, index: { "profile.city": 1 } },
  { name: "range", filter: { "profile.age": { $gte: 30, $lt: 32 } }, index: { "profile.age": 1 } },
  { name: "$in", filter: { "profile.city": { $in: ["Paris", "Nice", "Oslo"] } }, index: { "profile.city": 1 } },
  { name: "$elemMatch", filter: { orders: { $elemMatch: { sku: "SKU-7", qty: { $gte: 4 } } } }, index: { "orders.sku": 1 } },
  { name: "regex prefix", filter: { email: { $regex: "^user1234" } }, index: { email: 1 } },
  { name: "$and/$or", filter: { $and: [{ "profile.age": { $gte: 60 } }, { $or: [{ tags: "rust" }, { "profile.city": "Berlin" }] }] }, index: null },
  { name: "sort+limit", filter: { active: true }, sort: { "profile.age": -1, _id: 1 }, limit: 10, index: { "profile.age": -1, _id: 1 } },
  { name: "city + week", filter: { "profile.city": "Lyon", createdAt: { $gte: june1, $lt: june8 } }, sort: { createdAt: -1 }, index: { "profile.city": 1, createdAt: -1 } },
  { name: "unique email", filter: { email: "user54321@example.com" }, index: { email: 1 } },
  { name: "date range", filter: { createdAt: { $gte: june1, $lt: june8 } }, index: { createdAt: 1 } },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
// The median of RUNS runs after a warm-up, on the clock and on the process's CPU (user +
// system, which others' load on a shared machine does not inflate; V8's GC threads count in
// it, for both engines alike).
function time(fn) {
  fn(); // warm-up
  // Collect the previous engine's garbage first, so neither engine pays for the other's.
  if (typeof globalThis.gc === "function") globalThis.gc();
  const ts = [];
  const cpus = [];
  let out;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    out = fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e3);
  }
  return { ms: median(ts), cpu: median(cpus), out };
}

// The engine's own time (the call, its answer as JSON text) and JSON.parse, per call (summed
// over the calls of one timed run, then the median of the runs is taken of each).
let engineMs = 0;
let parseMs = 0;
function request(session, req) {
  const t0 = process.hrtime.bigint();
  const text = session.execute(JSON.stringify(req));
  const t1 = process.hrtime.bigint();
  const out = JSON.parse(text);
  engineMs += Number(t1 - t0) / 1e6;
  parseMs += Number(process.hrtime.bigint() - t1) / 1e6;
  return out;
}
// `time`, also keeping the medians of the engine's part and of JSON.parse.
function timeParts(fn) {
  const engine = [];
  const parse = [];
  const r = time(() => {
    engineMs = 0;
    parseMs = 0;
    const out = fn();
    engine.push(engineMs);
    parse.push(parseMs);
    return out;
  });
  return { ...r, engine: median(engine.slice(1)), parse: median(parse.slice(1)) };
}
// The first batch through a cursor, then the cursor closed (a console closes the one it
// replaces).
function firstBatch(session, req) {
  const reply = request(session, { ...req, cursor: {} });
  if (reply.cursor.id !== 0) {
    request(session, { op: "killCursors", collection: req.collection, cursors: [reply.cursor.id] });
  }
  return reply.cursor.firstBatch;
}

// ---------- run ----------
const docs = generate(N);
// Loading, two ways: insertMany requests of 10,000 through `execute` (JSON request text, read
// into a JSON tree, then converted), and `insertManyBulk` (one JSON array read straight into
// BSON, inserted as one batch). Both times include making the Extended JSON text.
{
  const old = new MongoSession();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < docs.length; i += 10_000) {
    request(old, { op: "insertMany", collection: "users", documents: toEjson(docs.slice(i, i + 10_000)) });
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${N} users loaded with insertMany requests of 10,000 (execute): ${ms.toFixed(0)} ms`);
  old.free();
}
const session = new MongoSession();
{
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const text = JSON.stringify(toEjson(docs));
  const c1 = process.cpuUsage();
  const t1 = process.hrtime.bigint();
  const answer = JSON.parse(session.insertManyBulk("users", text, true));
  const t2 = process.hrtime.bigint();
  const c2 = process.cpuUsage();
  if (answer.n !== N) {
    console.error(`insertManyBulk inserted ${answer.n} of ${N}: ${JSON.stringify(answer.writeErrors?.[0])}`);
    process.exit(1);
  }
  const ms = (a, b) => (Number(b - a) / 1e6).toFixed(0);
  const cpu = (a, b) => ((b.user + b.system - a.user - a.system) / 1e3).toFixed(0);
  console.log(
    `${N} users loaded with insertManyBulk: ${ms(t0, t2)} ms (JSON.stringify ${ms(t0, t1)} ms, the engine ${ms(t1, t2)} ms); ` +
      `CPU ${cpu(c0, c2)} ms (JSON.stringify ${cpu(c0, c1)} ms, the engine ${cpu(c1, c2)} ms)`,
  );
}
console.log(`${RUNS} timed runs per query (median)\n`);

function findRequest(q) {
  return { op: "find", collection: "users", filter: toEjson(q.filter), sort: q.sort, limit: q.limit ?? 0 };
}
function engineQuery(q) {
  return () => request(session, findRequest(q));
}
function mingoQuery(q) {
  return () => {
    let c = find(docs, q.filter);
    if (q.sort) c = c.sort(q.sort);
    if (q.limit) c = c.limit(q.limit);
    return c.all();
  };
}
// mingo's cursor is lazy: the first 101 documents without the rest (sorting needs them all).
function mingoFirst(q) {
  return () => {
    let c = find(docs, q.filter);
    if (q.sort) c = c.sort(q.sort);
    if (q.limit) c = c.limit(q.limit);
    const out = [];
    while (out.length < 101 && c.hasNext()) out.push(c.next());
    return out;
  };
}
function explainStats(q) {
  const e = request(session, { op: "explain", collection: "users", command: { op: "find", filter: toEjson(q.filter), sort: q.sort, limit: q.limit ?? 0 } });
  const s = e.executionStats;
  const plan = JSON.stringify(e.queryPlanner.winningPlan).match(/"stage":"(IXSCAN|COLLSCAN)"/)?.[1] ?? "?";
  return { docs: s.totalDocsExamined, keys: s.totalKeysExamined, plan };
}
function same(a, b, ordered) {
  const x = a.map(norm), y = b.map(norm);
  if (!ordered) {
    x.sort((p, q) => (p._id < q._id ? -1 : 1));
    y.sort((p, q) => (p._id < q._id ? -1 : 1));
  }
  return JSON.stringify(x) === JSON.stringify(y);
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const ratio = (m, e) => lpad((m / e).toFixed(1) + "x", 7);
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
let allEqual = true;
const rows = [];
console.log("Without indexes (both engines scan every document). Whole result: the engine's own time, then");
console.log("end to end (with JSON.parse) against mingo's all(). First batch: a cursor's 101 documents end to end");
console.log("(cursor opened, JSON.parse, killCursors) against mingo's lazy cursor's first 101 next()s.");
console.log("Each ratio twice: on the clock, and on the CPU (the \"cpu\" columns; robust to others' load).");
console.log(`${pad("query", 16)} ${lpad("results", 7)} | ${lpad("engine", 7)} ${lpad("e2e", 7)} ${lpad("mingo", 7)} ${lpad("e2e x", 7)} ${lpad("cpu x", 7)} | ${lpad("1st e2e", 7)} ${lpad("mingo", 7)} ${lpad("1st x", 7)} ${lpad("cpu x", 7)}  equal`);
for (const q of QUERIES) {
  const e = timeParts(engineQuery(q));
  const m = time(mingoQuery(q));
  const f = time(() => firstBatch(session, findRequest(q)));
  const mf = time(mingoFirst(q));
  const eq = same(e.out, m.out, Boolean(q.sort)) && same(f.out, e.out.slice(0, 101), true);
  allEqual &&= eq;
  const stats = explainStats(q);
  rows.push({ q, e, m, f, mf, stats });
  console.log(`${pad(q.name, 16)} ${lpad(e.out.length, 7)} | ${lpad(e.engine.toFixed(2), 7)} ${lpad(e.ms.toFixed(2), 7)} ${lpad(m.ms.toFixed(2), 7)} ${ratio(m.ms, e.ms)} ${ratio(m.cpu, e.cpu)} | ${lpad(f.ms.toFixed(2), 7)} ${lpad(mf.ms.toFixed(2), 7)} ${ratio(mf.ms, f.ms)} ${ratio(mf.cpu, f.cpu)}  ${eq ? "yes" : "NO"}`);
}
const gm = (f) => geomean(rows.map(f)).toFixed(1) + "x";
console.log(`geometric mean speed-up: whole result end to end ${gm((r) => r.m.ms / r.e.ms)} (cpu ${gm((r) => r.m.cpu / r.e.cpu)}), first batch ${gm((r) => r.mf.ms / r.f.ms)} (cpu ${gm((r) => r.mf.cpu / r.f.cpu)})\n`);

// ---------- aggregation ----------
const PIPELINES = [
  { name: "count by city", pipeline: [{ $group: { _id: "$profile.city", n: { $sum: 1 } } }] },
  { name: "match + group", pipeline: [{ $match: { "profile.city": "Lyon" } }, { $group: { _id: "$profile.age", n: { $sum: 1 } } }] },
  { name: "avg, sort, limit", pipeline: [{ $match: { active: true } }, { $group: { _id: "$profile.city", avg: { $avg: "$profile.age" } } }, { $sort: { avg: -1, _id: 1 } }, { $limit: 3 }], ordered: true },
  { name: "unwind + count", pipeline: [{ $unwind: "$tags" }, { $sortByCount: "$tags" }] },
  { name: "order totals", pipeline: [{ $unwind: "$orders" }, { $group: { _id: "$orders.sku", qty: { $sum: "$orders.qty" } } }] },
];
console.log("\nAggregation (no indexes): the engine's own time, end to end with JSON.parse, mingo's Aggregator");
console.log(`${pad("pipeline", 18)} ${lpad("groups", 7)} | ${lpad("engine", 7)} ${lpad("e2e", 7)} ${lpad("mingo", 7)} ${lpad("e2e x", 7)} ${lpad("cpu x", 7)}  equal`);
const aggRatios = [];
const aggCpuRatios = [];
for (const p of PIPELINES) {
  const e = timeParts(() => request(session, { op: "aggregate", collection: "users", pipeline: toEjson(p.pipeline) }));
  const m = time(() => new Aggregator(p.pipeline).run(docs));
  // Groups compare by _id, as their order is not defined without a $sort.
  const key = (d) => JSON.stringify(norm(d._id));
  const byId = (xs) => (p.ordered ? xs : [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1)));
  const eq = JSON.stringify(byId(e.out).map(norm)) === JSON.stringify(byId(m.out).map(norm));
  allEqual &&= eq;
  aggRatios.push(m.ms / e.ms);
  aggCpuRatios.push(m.cpu / e.cpu);
  console.log(`${pad(p.name, 18)} ${lpad(e.out.length, 7)} | ${lpad(e.engine.toFixed(2), 7)} ${lpad(e.ms.toFixed(2), 7)} ${lpad(m.ms.toFixed(2), 7)} ${ratio(m.ms, e.ms)} ${ratio(m.cpu, e.cpu)}  ${eq ? "yes" : "NO"}`);
}
console.log(`geometric mean speed-up: ${geomean(aggRatios).toFixed(1)}x (cpu ${geomean(aggCpuRatios).toFixed(1)}x)\n`);

const made = new Set();
for (const q of QUERIES) {
  if (q.index && !made.has(JSON.stringify(q.index))) {
    request(session, { op: "createIndex", collection: "users", key: q.index });
    made.add(JSON.stringify(q.index));
  }
}
console.log("With the suggested indexes (schemaplay; documents examined from explain executionStats):");
console.log(`${pad("query", 16)} ${pad("index", 24)} ${lpad("plan", 8)} ${lpad("docs before", 12)} ${lpad("docs after", 11)} ${lpad("keys", 7)} ${lpad("drop", 8)} ${lpad("ms", 8)}  equal`);
for (const r of rows) {
  const after = explainStats(r.q);
  const e = time(engineQuery(r.q));
  const eq = same(e.out, r.m.out, Boolean(r.q.sort));
  allEqual &&= eq;
  const drop = after.docs > 0 ? (r.stats.docs / after.docs).toFixed(0) + "x" : "all";
  console.log(`${pad(r.q.name, 16)} ${pad(r.q.index ? JSON.stringify(r.q.index) : "-", 24)} ${lpad(after.plan, 8)} ${lpad(r.stats.docs, 12)} ${lpad(after.docs, 11)} ${lpad(after.keys, 7)} ${lpad(drop, 8)} ${lpad(e.ms.toFixed(2), 8)}  ${eq ? "yes" : "NO"}`);
}
const selective = rows.filter((r) => r.e.out.length * 100 <= N);
console.log(`\nselective queries (at most 1% of the documents): ${selective.map((r) => r.q.name).join(", ")}`);
if (!allEqual) {
  console.error("\nresults differ between schemaplay and mingo");
  process.exit(1);
}
