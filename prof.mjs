// src/scenario/defaults.ts
function weighted(table) {
  const entries = Object.entries(table).map(([v, w]) => [Number(v), w]);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return { values: entries.map(([v]) => v), weights: entries.map(([, w]) => w / total) };
}
function deepFreeze(value) {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
var defaults = deepFreeze({
  // A fixed default start, never the wall clock, so a scenario without a window is still reproducible.
  start: Date.UTC(2026, 10, 27),
  hours: 24,
  // Flat: the rates in the file are then exactly the hourly rates. Scenarios that want a day shape say so.
  rhythm: Array.from({ length: 24 }, () => 1),
  distributions: {
    // mean 2.12 items per order
    itemsPerOrder: weighted({ 1: 45, 2: 25, 3: 14, 4: 8, 5: 5, 6: 3 }),
    // mean 1.32 units per item
    quantityPerItem: weighted({ 1: 80, 2: 12, 3: 5, 4: 2, 5: 1 }),
    productPopularitySkew: 1,
    shopPopularitySkew: 0.8,
    shopSizeSkew: 1,
    priceCents: { min: 199, max: 49999 },
    paymentFailureRate: 0.05,
    paymentMaxRetries: 2,
    reviewRate: 0.15,
    reviewDelayHours: { min: 6, max: 72 },
    promotionUseRate: 0.3,
    promotionDiscountPercent: { min: 5, max: 40 },
    promotionDurationHours: { min: 6, max: 72 },
    cartAbandonmentRate: 0.1,
    apiRequestsPerOrder: { min: 3, max: 12 },
    apiLatencyMs: { median: 45, p99: 800 },
    apiErrorRate: 0.01,
    restockRate: 0.02,
    restockQuantity: { min: 10, max: 200 }
  }
});

// src/scenario/load.ts
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// src/scenario/fields.ts
import { isAlias, isMap, isScalar, isSeq } from "yaml";

// src/scenario/types.ts
var RATE_NAMES = ["signups", "new_shops", "new_products", "orders", "promotions"];
var UserError = class extends Error {
  name = "UserError";
};

// src/scenario/time.ts
var HOUR_MS = 36e5;
var EXPECTED_TIME = "an hour-aligned UTC time like 2026-11-27T00:00:00Z, or a date like 2026-11-27";
var ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
function parseInstant(value) {
  if (value instanceof Date) {
    const ms2 = value.getTime();
    if (!Number.isFinite(ms2)) return { expected: EXPECTED_TIME };
    return ms2 % HOUR_MS === 0 ? ms2 : { expected: alignedHint(ms2) };
  }
  if (typeof value !== "string") return { expected: EXPECTED_TIME };
  const m = ISO.exec(value.trim());
  if (!m) return { expected: EXPECTED_TIME };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h !== void 0 && zone === void 0) {
    return { expected: `${EXPECTED_TIME} (a time needs an offset: add Z for UTC)` };
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth)
    return { expected: EXPECTED_TIME };
  if (hour > 23 || minute > 59 || second > 59) return { expected: EXPECTED_TIME };
  let offsetMinutes = 0;
  if (zone !== void 0 && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return { expected: EXPECTED_TIME };
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 6e4;
  if (ms % HOUR_MS !== 0 || frac !== void 0 && /[1-9]/.test(frac)) return { expected: alignedHint(ms) };
  return ms;
}
function alignedHint(ms) {
  const floor = new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString().replace(".000Z", "Z");
  return `an hour-aligned UTC time (minutes and seconds 0), like ${floor}`;
}
function show(value) {
  if (value === null || value === void 0) return "an empty value";
  if (value instanceof Date)
    return Number.isFinite(value.getTime()) ? value.toISOString() : "an invalid date";
  if (typeof value === "number") return String(value);
  let text2;
  try {
    text2 = JSON.stringify(value) ?? String(value);
  } catch {
    return "a value that contains itself (a YAML alias inside its own anchor)";
  }
  text2 = text2.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text2.length > 80 ? `${text2.slice(0, 77)}...` : text2;
}

// src/scenario/fields.ts
var showKey = (key) => key !== "" && JSON.stringify(key) === `"${key}"` && !/[\u0085\u2028\u2029]/.test(key) ? key : show(key);
function formatPath(path) {
  let out = "";
  for (const seg of path)
    out += typeof seg === "number" ? `[${seg}]` : out === "" ? showKey(seg) : `.${showKey(seg)}`;
  return out === "" ? "(top level)" : out;
}
function describeBounds(b) {
  const kind = b.integer ? "an integer" : "a number";
  const lo = b.min === void 0 ? void 0 : `${b.minExclusive ? ">" : ">="} ${b.min}`;
  const hi = b.max === void 0 ? void 0 : `${b.maxExclusive ? "<" : "<="} ${b.max}`;
  if (lo !== void 0 && hi !== void 0 && !b.minExclusive && !b.maxExclusive) {
    return `${kind} from ${b.min} to ${b.max}`;
  }
  const parts = [lo, hi].filter((p) => p !== void 0);
  return parts.length === 0 ? kind : `${kind} ${parts.join(" and ")}`;
}
function levenshtein(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
function suggest(word, candidates) {
  const norm = (s) => s.toLowerCase().replace(/[-_\s]/g, "");
  let best;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(norm(word), norm(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(norm(word).length / 3));
  return bestDistance <= limit ? best : void 0;
}
var Checker = class {
  constructor(display, doc, lines) {
    this.display = display;
    this.doc = doc;
    this.lines = lines;
  }
  display;
  doc;
  lines;
  /** Line of the value at `path` (or of its key, or of the nearest ancestor that exists). */
  line(path, prefer = "value") {
    if (!this.doc || !this.lines) return void 0;
    let node = this.doc.contents;
    let key;
    let found = true;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) {
          found = false;
          break;
        }
        key = isScalar(pair.key) ? pair.key : void 0;
        node = pair.value ?? void 0;
      } else if (isSeq(node) && typeof seg === "number" && node.items[seg] !== void 0) {
        node = node.items[seg];
        key = isScalar(node) || isMap(node) || isSeq(node) ? node : void 0;
      } else {
        found = false;
        break;
      }
    }
    const valueNode = isScalar(node) || isMap(node) || isSeq(node) || isAlias(node) ? node : void 0;
    if (!found && key === void 0) return void 0;
    const target = (found && prefer === "value" ? valueNode : void 0) ?? key ?? valueNode;
    const offset = target?.range?.[0];
    return offset === void 0 ? void 0 : this.lines.linePos(offset).line;
  }
  where(path, prefer = "value") {
    const line = this.line(path, prefer);
    return line === void 0 ? this.display : `${this.display}:${line}`;
  }
  fail(path, value, expected) {
    throw new UserError(
      `${this.where(path)}: ${formatPath(path)}: ${show(value)} is not allowed; expected ${expected}`
    );
  }
  missing(path, expected) {
    throw new UserError(`${this.where(path)}: ${formatPath(path)} is missing; expected ${expected}`);
  }
  unknown(path, allowed) {
    const word = String(path[path.length - 1]);
    const hint = suggest(word, allowed);
    const dym = hint === void 0 ? "" : `did you mean "${hint}"? `;
    throw new UserError(
      `${this.where(path, "key")}: ${formatPath(path)}: unknown field ${show(word)} is not allowed; ${dym}expected one of: ${allowed.join(", ")}`
    );
  }
  // ---- readers ---------------------------------------------------------------------------------
  /** A mapping with only the `allowed` keys. */
  object(path, value, allowed) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date) {
      this.fail(path, value, `a mapping with the fields: ${allowed.join(", ")}`);
    }
    const fields = value;
    for (const k of Object.keys(fields)) if (!allowed.includes(k)) this.unknown([...path, k], allowed);
    return fields;
  }
  number(path, value, b) {
    const expected = describeBounds(b);
    if (typeof value === "string" && /^[+-]?\d[\d_]*(\.\d+)?$/.test(value) && value.includes("_")) {
      this.fail(path, value, `${expected} (write it without underscores: ${value.replace(/_/g, "")})`);
    }
    if (typeof value !== "number" || !Number.isFinite(value)) this.fail(path, value, expected);
    if (b.integer && !Number.isSafeInteger(value)) this.fail(path, value, expected);
    if (b.min !== void 0 && (b.minExclusive ? value <= b.min : value < b.min))
      this.fail(path, value, expected);
    if (b.max !== void 0 && (b.maxExclusive ? value >= b.max : value > b.max))
      this.fail(path, value, expected);
    return value;
  }
  int(path, value, min, max) {
    return this.number(path, value, { integer: true, min, max });
  }
  string(path, value, expected, pattern) {
    if (typeof value !== "string" || value.trim() === "" || pattern && !pattern.test(value)) {
      this.fail(path, value, expected);
    }
    return value;
  }
  /** `{min, max}`, both integers in [lo, hi], min <= max. */
  range(path, value, lo, hi) {
    const f = this.object(path, value, ["min", "max"]);
    if (f.min === void 0) this.missing([...path, "min"], `an integer from ${lo} to ${hi}`);
    if (f.max === void 0) this.missing([...path, "max"], `an integer from ${lo} to ${hi}`);
    const min = this.int([...path, "min"], f.min, lo, hi);
    const max = this.int([...path, "max"], f.max, lo, hi);
    if (max < min) this.fail([...path, "max"], max, `an integer from min (${min}) to ${hi}`);
    return { min, max };
  }
  /** A map of value -> weight; values are integers in [lo, hi], weights >= 0 and not all 0. Normalised. */
  weights(path, value, lo, hi) {
    const shape = `a mapping of value -> weight, values integers from ${lo} to ${hi}, weights >= 0, at least one > 0`;
    if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
      this.fail(path, value, shape);
    }
    const entries = [];
    for (const [k, w] of Object.entries(value)) {
      if (!/^\d+$/.test(k) || Number(k) < lo || Number(k) > hi) {
        this.fail(
          [...path, k],
          Number.isNaN(Number(k)) ? k : Number(k),
          `a value (key) that is an integer from ${lo} to ${hi}`
        );
      }
      entries.push([Number(k), this.number([...path, k], w, { min: 0 })]);
    }
    const sum = entries.reduce((acc, [, w]) => acc + w, 0);
    const top = Number.isFinite(sum) ? 1 : Math.max(...entries.map(([, w]) => w));
    const total = top === 1 ? sum : entries.reduce((acc, [, w]) => acc + w / top, 0);
    if (!(total > 0)) this.fail(path, value, `weights with at least one > 0 (${shape})`);
    const kept = entries.filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
    return { values: kept.map(([v]) => v), weights: kept.map(([, w]) => w / top / total) };
  }
  /** An ISO date or timestamp, hour-aligned, UTC. */
  instant(path, value) {
    const r = parseInstant(value);
    if (typeof r !== "number") this.fail(path, value, r.expected);
    return r;
  }
};

// src/scenario/yaml-file.ts
import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { LineCounter, parseDocument } from "yaml";
function displayPath(file) {
  const rel = relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
function readReason(e) {
  const code = e instanceof Error && "code" in e ? e.code : void 0;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory, not a file";
  return e instanceof Error ? e.message : String(e);
}
var oneLine = (s) => s.replace(/\s*\n\s*/g, " ").trim();
function readYamlFile(file, display, what) {
  let text2;
  try {
    text2 = readFileSync(file, "utf8");
  } catch (e) {
    throw new UserError(`${display}: cannot read the ${what}: ${readReason(e)}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text2, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lines.linePos(err.pos[0]);
    const problem = err.code === "MULTIPLE_DOCS" ? "the file holds more than one YAML document" : oneLine(err.message);
    throw new UserError(
      `${display}:${line}:${col}: YAML syntax error: ${problem}; expected one valid YAML document`
    );
  }
  let data;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UserError(`${display}: YAML error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
  return { checker: new Checker(display, doc, lines), data };
}

// src/scenario/load.ts
var MAX_HOURS = 8760;
var UINT32_MAX = 4294967295;
var LATEST_START = Date.UTC(9999, 11, 31, 23);
var MAX_ARRIVALS_PER_HOUR = 1e9;
var SCENARIO_DIR = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, i = 0; i < 5; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "scenarios");
  }
  return resolve(here, "..", "..", "scenarios");
})();
function listScenarios() {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -".yaml".length)).sort();
}
var SCENARIO_EXT = /\.(ya?ml|json)$/i;
function locate(nameOrPath) {
  const pathLike = /[\\/]/.test(nameOrPath) || SCENARIO_EXT.test(nameOrPath);
  if (!pathLike) {
    const shipped = join(SCENARIO_DIR, `${nameOrPath}.yaml`);
    if (nameOrPath !== "" && existsSync(shipped)) return shipped;
    const known = listScenarios();
    const hint = suggest(nameOrPath, known);
    throw new UserError(
      `unknown scenario ${show(nameOrPath)}; ${hint ? `did you mean "${hint}"? ` : ""}known scenarios: ${known.join(", ") || "(none)"}; or give a path to a .yaml, .yml or .json file`
    );
  }
  const file = resolve(nameOrPath);
  if (!SCENARIO_EXT.test(file)) {
    throw new UserError(
      `${displayPath(file)}: not a scenario file; expected a path ending in .yaml, .yml or .json`
    );
  }
  if (!existsSync(file) && !/[\\/]/.test(nameOrPath)) {
    const shipped = join(SCENARIO_DIR, nameOrPath);
    if (existsSync(shipped)) return shipped;
  }
  return file;
}
function loadScenario(nameOrPath) {
  const file = locate(nameOrPath);
  const { checker, data } = readYamlFile(file, displayPath(file), "scenario file");
  if (data === null || data === void 0) {
    throw new UserError(
      `${checker.display}: the file is empty; expected a mapping with at least description, seed, population and rates`
    );
  }
  return buildScenario(checker, data, file);
}
var TOP_FIELDS = [
  "name",
  "description",
  "seed",
  "window",
  "population",
  "rates",
  "rhythm",
  "events",
  "distributions"
];
var NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
function need(c, path, value, expected) {
  if (value === void 0) c.missing(path, expected);
  return value;
}
function buildScenario(c, data, file) {
  const top = c.object([], data, TOP_FIELDS);
  const name = top.name === void 0 ? basename(file, extname(file)) : c.string(["name"], top.name, 'a name of letters, digits, ".", "_" or "-" (at most 64)', NAME);
  const description = c.string(
    ["description"],
    need(c, ["description"], top.description, "a non-empty string"),
    "a non-empty string"
  );
  const seed = c.int(
    ["seed"],
    need(c, ["seed"], top.seed, `an integer from 0 to ${UINT32_MAX}`),
    0,
    UINT32_MAX
  );
  let start = defaults.start;
  let hours = defaults.hours;
  if (top.window !== void 0) {
    const w = c.object(["window"], top.window, ["start", "hours"]);
    if (w.start !== void 0) start = c.instant(["window", "start"], w.start);
    if (w.hours !== void 0) hours = c.int(["window", "hours"], w.hours, 1, MAX_HOURS);
  }
  const s = {
    name,
    file,
    description,
    seed,
    start,
    hours,
    scale: 1,
    population: population(c, need(c, ["population"], top.population, "a mapping")),
    rates: rates(c, need(c, ["rates"], top.rates, "a mapping")),
    rhythm: top.rhythm === void 0 ? [...defaults.rhythm] : rhythm(c, top.rhythm),
    events: top.events === void 0 ? [] : events(c, top.events, start, hours),
    distributions: distributions(c, top.distributions)
  };
  const over = busiestHourOver(s);
  if (over) {
    c.fail(
      ["rates", over.rate],
      s.rates[over.rate],
      `a rate whose busiest hour (rate x rhythm x events) stays <= ${MAX_ARRIVALS_PER_HOUR} arrivals; it reaches ${Math.round(over.arrivals)} at ${iso(over.at)}`
    );
  }
  return s;
}
function busiestHourOver(s) {
  for (const rate of RATE_NAMES) {
    for (let h = 0; h < s.hours; h++) {
      const at = s.start + h * HOUR_MS;
      let arrivals2 = s.rates[rate] * s.scale * (s.rhythm[new Date(at).getUTCHours()] ?? 1);
      for (const e of s.events) {
        if (at >= e.start && at < e.start + e.hours * HOUR_MS && e.appliesTo.includes(rate))
          arrivals2 *= e.multiplier;
      }
      if (arrivals2 > MAX_ARRIVALS_PER_HOUR) return { rate, at, arrivals: arrivals2 };
    }
  }
  return void 0;
}
var POPULATION_FIELDS = [
  "users",
  "shop_owners",
  "shops_per_owner",
  "products_per_shop",
  "payment_methods_per_user",
  "promotions"
];
function population(c, value) {
  const f = c.object(["population"], value, POPULATION_FIELDS);
  const at = (k) => ["population", k];
  const get = (k, expected) => need(c, at(k), f[k], expected);
  const users2 = c.int(at("users"), get("users", "an integer from 1 to 100000000"), 1, 1e8);
  const shopOwners = c.int(
    at("shop_owners"),
    get("shop_owners", `an integer from 1 to population.users (${users2})`),
    1,
    users2
  );
  return {
    users: users2,
    shopOwners,
    shopsPerOwner: c.range(at("shops_per_owner"), get("shops_per_owner", "{min, max}"), 1, 1e3),
    // min 1: an order needs a product in its shop.
    productsPerShop: c.range(at("products_per_shop"), get("products_per_shop", "{min, max}"), 1, 1e5),
    // min 1: every payment is made with one of the user's payment methods.
    paymentMethodsPerUser: c.range(
      at("payment_methods_per_user"),
      get("payment_methods_per_user", "{min, max}"),
      1,
      20
    ),
    promotions: c.int(at("promotions"), get("promotions", "an integer from 0 to 10000000"), 0, 1e7)
  };
}
function rates(c, value) {
  const f = c.object(["rates"], value, RATE_NAMES);
  const out = {};
  for (const r of RATE_NAMES) {
    const b = r === "orders" ? { min: 0, minExclusive: true, max: 1e7 } : { min: 0, max: 1e7 };
    out[r] = c.number(["rates", r], need(c, ["rates", r], f[r], describeBounds(b)), b);
  }
  return out;
}
function rhythm(c, value) {
  const expected = "a list of exactly 24 numbers from 0 to 100, one per UTC hour of the day (0-23)";
  if (!Array.isArray(value)) c.fail(["rhythm"], value, expected);
  const list = value;
  if (list.length !== 24) c.fail(["rhythm"], value, `${expected}; it has ${list.length}`);
  const out = list.map((v, i) => c.number(["rhythm", i], v, { min: 0, max: 100 }));
  if (!out.some((v) => v > 0)) c.fail(["rhythm"], value, `${expected}, at least one > 0`);
  return out;
}
var EVENT_FIELDS = ["name", "start", "hours", "multiplier", "applies_to"];
var isRateName = (s) => RATE_NAMES.includes(s);
var iso = (ms) => new Date(ms).toISOString().replace(".000Z", "Z");
function events(c, value, windowStart, windowHours) {
  if (!Array.isArray(value))
    c.fail(["events"], value, `a list of events, each with: ${EVENT_FIELDS.join(", ")}`);
  const list = value;
  const names = /* @__PURE__ */ new Set();
  return list.map((item, i) => {
    const p = (k) => ["events", i, k];
    const f = c.object(["events", i], item, EVENT_FIELDS);
    const name = c.string(p("name"), need(c, p("name"), f.name, "a non-empty string"), "a non-empty string");
    if (names.has(name)) c.fail(p("name"), name, "a name that no other event uses");
    names.add(name);
    const start = c.instant(p("start"), need(c, p("start"), f.start, "an hour-aligned UTC time"));
    const hours = c.int(
      p("hours"),
      need(c, p("hours"), f.hours, `an integer from 1 to ${MAX_HOURS}`),
      1,
      MAX_HOURS
    );
    const windowEnd = windowStart + windowHours * HOUR_MS;
    if (start >= windowEnd || start + hours * HOUR_MS <= windowStart) {
      c.fail(
        p("start"),
        f.start,
        `a time such that the event overlaps the window ${iso(windowStart)} .. ${iso(windowEnd)}`
      );
    }
    const multiplier = c.number(
      p("multiplier"),
      need(c, p("multiplier"), f.multiplier, "a number from 0 to 1000"),
      { min: 0, max: 1e3 }
    );
    return {
      name,
      start,
      hours,
      multiplier,
      appliesTo: appliesTo(c, ["events", i, "applies_to"], f.applies_to)
    };
  });
}
function appliesTo(c, path, value) {
  if (value === void 0) return [...RATE_NAMES];
  const expected = `a non-empty list of rate names from: ${RATE_NAMES.join(", ")}`;
  if (!Array.isArray(value) || value.length === 0) c.fail(path, value, expected);
  const list = value;
  const chosen = /* @__PURE__ */ new Set();
  list.forEach((v, j) => {
    if (!isRateName(v)) {
      const hint = typeof v === "string" ? suggest(v, RATE_NAMES) : void 0;
      c.fail([...path, j], v, `one of: ${RATE_NAMES.join(", ")}${hint ? ` (did you mean "${hint}"?)` : ""}`);
    }
    if (chosen.has(v)) c.fail([...path, j], v, "each rate name at most once");
    chosen.add(v);
  });
  return RATE_NAMES.filter((r) => chosen.has(r));
}
var snake = (camel) => camel.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
var probability = (maxExclusive) => ({ min: 0, max: 1, maxExclusive });
var DISTRIBUTION_READERS = {
  itemsPerOrder: (c, p, v) => c.weights(p, v, 1, 20),
  quantityPerItem: (c, p, v) => c.weights(p, v, 1, 99),
  productPopularitySkew: (c, p, v) => c.number(p, v, { min: 0, max: 10 }),
  shopPopularitySkew: (c, p, v) => c.number(p, v, { min: 0, max: 10 }),
  shopSizeSkew: (c, p, v) => c.number(p, v, { min: 0, max: 10 }),
  priceCents: (c, p, v) => c.range(p, v, 1, 1e8),
  // < 1: with every attempt failing no order could ever be paid.
  paymentFailureRate: (c, p, v) => c.number(p, v, probability(true)),
  paymentMaxRetries: (c, p, v) => c.int(p, v, 0, 5),
  reviewRate: (c, p, v) => c.number(p, v, probability(false)),
  // >= 1 hour: a review is written after the order, in a later hourly partition.
  reviewDelayHours: (c, p, v) => c.range(p, v, 1, MAX_HOURS),
  promotionUseRate: (c, p, v) => c.number(p, v, probability(false)),
  promotionDiscountPercent: (c, p, v) => c.range(p, v, 1, 90),
  promotionDurationHours: (c, p, v) => c.range(p, v, 1, MAX_HOURS),
  // < 1: with every cart abandoned there would be no payments, invoices or reviews.
  cartAbandonmentRate: (c, p, v) => c.number(p, v, probability(true)),
  apiRequestsPerOrder: (c, p, v) => c.range(p, v, 1, 100),
  apiLatencyMs: (c, p, v) => {
    const f = c.object(p, v, ["median", "p99"]);
    const median = c.number(
      [...p, "median"],
      need(c, [...p, "median"], f.median, "a number > 0 and <= 600000"),
      { min: 0, minExclusive: true, max: 6e5 }
    );
    const p99 = c.number(
      [...p, "p99"],
      need(c, [...p, "p99"], f.p99, `a number from median (${median}) to 600000`),
      {
        min: 0,
        max: 6e5
      }
    );
    if (p99 < median) c.fail([...p, "p99"], p99, `a number from median (${median}) to 600000`);
    return { median, p99 };
  },
  apiErrorRate: (c, p, v) => c.number(p, v, probability(false)),
  restockRate: (c, p, v) => c.number(p, v, probability(false)),
  restockQuantity: (c, p, v) => c.range(p, v, 1, 1e6)
};
var DISTRIBUTION_FIELDS = Object.keys(DISTRIBUTION_READERS).map(snake);
function distributions(c, value) {
  const out = structuredClone(defaults.distributions);
  if (value === void 0) return out;
  const f = c.object(["distributions"], value, DISTRIBUTION_FIELDS);
  const read = (key) => {
    const v = f[snake(key)];
    if (v !== void 0) out[key] = DISTRIBUTION_READERS[key](c, ["distributions", snake(key)], v);
  };
  for (const key of Object.keys(DISTRIBUTION_READERS)) read(key);
  return out;
}
function checkFlag(flag, value, b) {
  const ok = Number.isFinite(value) && (!b.integer || Number.isSafeInteger(value)) && (b.min === void 0 || (b.minExclusive ? value > b.min : value >= b.min)) && (b.max === void 0 || (b.maxExclusive ? value < b.max : value <= b.max));
  if (!ok) throw new UserError(`${flag}: ${show(value)} is not allowed; expected ${describeBounds(b)}`);
  return value;
}
function applyOverrides(s, o) {
  const out = structuredClone(s);
  if (o.hours !== void 0)
    out.hours = checkFlag("--hours", o.hours, { integer: true, min: 1, max: MAX_HOURS });
  if (o.scale !== void 0) {
    out.scale = checkFlag("--scale", o.scale, { min: 0, minExclusive: true, max: 1e3 });
  }
  if (o.seed !== void 0)
    out.seed = checkFlag("--seed", o.seed, { integer: true, min: 0, max: UINT32_MAX });
  if (o.start !== void 0) {
    const shown = Math.abs(o.start) <= 864e13 ? iso(Math.trunc(o.start)) : show(o.start);
    if (!Number.isSafeInteger(o.start) || o.start < 0 || o.start % HOUR_MS !== 0) {
      throw new UserError(
        `--start: ${shown} is not allowed; expected an hour-aligned UTC time like 2026-11-27T00:00:00Z`
      );
    }
    if (o.start > LATEST_START) {
      throw new UserError(
        `--start: ${shown} is not allowed; expected an hour-aligned UTC time up to ${iso(LATEST_START)}`
      );
    }
    const shift = o.start - s.start;
    out.start = o.start;
    out.events = out.events.map((e) => ({ ...e, start: e.start + shift }));
  }
  const over = busiestHourOver(out);
  if (over) {
    const [flag, value] = o.scale !== void 0 || o.hours === void 0 && o.start === void 0 ? ["--scale", String(out.scale)] : o.hours !== void 0 ? ["--hours", String(out.hours)] : ["--start", iso(out.start)];
    throw new UserError(
      `${flag}: ${value} is not allowed; expected a value at which rates.${over.rate} stays <= ${MAX_ARRIVALS_PER_HOUR} arrivals per hour (rate x scale x rhythm x events); it would reach ${Math.round(over.arrivals)} at ${iso(over.at)}`
    );
  }
  return out;
}

// src/model/partitions.ts
var HOUR_MS2 = 36e5;
var DAY_MS = 864e5;
var pad2 = (n) => n < 10 ? `0${n}` : String(n);
function partitionKey(ms, g) {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return g === "day" ? day : `${day}T${pad2(d.getUTCHours())}:00:00`;
}
function partitionSuffix(ms, g) {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
  return g === "day" ? `p${day}` : `p${day}_${pad2(d.getUTCHours())}0000`;
}
function floorTo(ms, g) {
  const step = g === "day" ? DAY_MS : HOUR_MS2;
  return Math.floor(ms / step) * step;
}
function partitionsFor(t, start, hours) {
  const step = t.granularity === "day" ? DAY_MS : HOUR_MS2;
  const end = start + hours * HOUR_MS2;
  const out = [];
  for (let from = floorTo(start, t.granularity); from < end; from += step) {
    out.push({
      table: t,
      name: `${t.name}_${partitionSuffix(from, t.granularity)}`,
      from,
      to: from + step,
      key: partitionKey(from, t.granularity)
    });
  }
  return out;
}

// src/model/tables.ts
var id = () => ({ name: "id", type: "uuid" });
var head = () => [
  id(),
  { name: "event_time", type: "timestamptz" },
  { name: "partition_key", type: "text" }
];
var tail = (extra = "extra_data") => [
  { name: "created_time", type: "timestamptz" },
  { name: "updated_time", type: "timestamptz" },
  { name: extra, type: "jsonb", default: "'{}'::jsonb" }
];
var ref = (name, references, nullable = false) => ({
  name,
  type: "uuid",
  references,
  ...nullable ? { nullable } : {}
});
var text = (name, nullable = false) => ({
  name,
  type: "text",
  ...nullable ? { nullable } : {}
});
var money = (name) => ({ name, type: "numeric(12,2)" });
var counter = (name, type = "integer") => ({ name, type, default: "0" });
var ts = (name) => ({ name, type: "timestamptz" });
function hourly(name, entity, kind, body) {
  return {
    name,
    entity,
    kind,
    granularity: "hour",
    idColumn: "id",
    columns: [...head(), ...body, ...tail()]
  };
}
var userMetrics = [
  ref("user_id", "users"),
  counter("orders_count"),
  { ...money("orders_value"), default: "0" },
  counter("payments_succeeded"),
  counter("payments_failed"),
  counter("reviews_count"),
  counter("promotions_used"),
  counter("carts_abandoned"),
  counter("api_requests")
];
var shopMetrics = [
  ref("shop_id", "shop"),
  counter("orders_count"),
  { ...money("revenue"), default: "0" },
  counter("customers_count"),
  counter("units_sold"),
  counter("products_sold"),
  counter("reviews_count"),
  counter("rating_sum"),
  counter("promotion_orders"),
  { ...money("discount_total"), default: "0" },
  counter("carts_abandoned"),
  counter("payments_failed"),
  { ...money("inventory_value_change"), default: "0" },
  counter("page_views", "bigint"),
  counter("cart_adds", "bigint"),
  counter("api_requests"),
  counter("api_errors"),
  counter("api_latency_ms_sum", "bigint")
];
var productMetrics = [
  ref("shop_product_id", "shop_product"),
  ref("shop_id", "shop"),
  counter("units_sold"),
  { ...money("revenue"), default: "0" },
  counter("orders_count"),
  counter("cart_adds", "bigint"),
  counter("page_views", "bigint"),
  counter("reviews_count"),
  counter("rating_sum"),
  counter("promotion_units"),
  counter("inventory_change"),
  { ...money("unit_price"), default: "0" }
];
function metric(name, entity, bucket, body) {
  return {
    name,
    entity,
    kind: "metric",
    bucket,
    granularity: "day",
    idColumn: "id",
    columns: [...head(), ...body, ...tail("extra_metrics")]
  };
}
var TABLES = [
  {
    name: "global_entity",
    entity: "GlobalEntity",
    kind: "registry",
    granularity: "hour",
    idColumn: "entity_id",
    columns: [
      { name: "entity_id", type: "uuid" },
      { name: "event_time", type: "timestamptz" },
      { name: "partition_key", type: "text" },
      text("entity_type"),
      ...tail()
    ]
  },
  hourly("global_event", "GlobalEvent", "event", [
    text("event_type"),
    text("entity_type"),
    { name: "entity_id", type: "uuid" },
    ref("user_id", "users", true),
    ref("shop_id", "shop", true)
  ]),
  hourly("users", "User", "entity", [
    text("email"),
    text("username"),
    text("full_name"),
    text("status"),
    text("country_code")
  ]),
  hourly("shop", "Shop", "entity", [
    ref("user_id", "users"),
    text("name"),
    text("category"),
    text("status"),
    text("address_line"),
    text("city"),
    text("postal_code"),
    text("country_code")
  ]),
  hourly("shop_product", "ShopProduct", "entity", [
    ref("shop_id", "shop"),
    text("sku"),
    text("name"),
    text("category"),
    money("price"),
    text("currency"),
    { name: "inventory", type: "integer" },
    text("status")
  ]),
  hourly("shop_order", "ShopOrder", "entity", [
    ref("user_id", "users"),
    ref("shop_id", "shop"),
    ref("shop_promotion_id", "shop_promotion", true),
    text("status"),
    { name: "item_count", type: "smallint" },
    money("subtotal"),
    money("discount"),
    money("total"),
    text("currency")
  ]),
  hourly("shop_order_item", "ShopOrderItem", "entity", [
    ref("shop_order_id", "shop_order"),
    ref("shop_product_id", "shop_product"),
    ref("shop_id", "shop"),
    { name: "quantity", type: "smallint" },
    money("unit_price"),
    money("line_total")
  ]),
  hourly("shop_order_payment", "ShopOrderPayment", "entity", [
    ref("shop_order_id", "shop_order"),
    ref("user_id", "users"),
    ref("user_payment_method_id", "user_payment_method"),
    { name: "attempt", type: "smallint" },
    money("amount"),
    text("currency"),
    text("status"),
    text("failure_reason", true)
  ]),
  hourly("invoice", "Invoice", "entity", [
    ref("shop_order_id", "shop_order"),
    ref("shop_id", "shop"),
    ref("user_id", "users"),
    text("invoice_number"),
    money("amount"),
    text("currency"),
    text("status")
  ]),
  hourly("invoice_payment", "InvoicePayment", "entity", [
    ref("invoice_id", "invoice"),
    ref("shop_order_payment_id", "shop_order_payment"),
    ref("user_payment_method_id", "user_payment_method"),
    money("amount"),
    text("currency"),
    text("status")
  ]),
  hourly("user_payment_method", "UserPaymentMethod", "entity", [
    ref("user_id", "users"),
    text("method_type"),
    text("provider"),
    text("last4"),
    { name: "expires_month", type: "smallint" },
    { name: "expires_year", type: "smallint" },
    { name: "is_default", type: "boolean" },
    text("status")
  ]),
  hourly("shop_promotion", "ShopPromotion", "entity", [
    ref("shop_id", "shop"),
    text("name"),
    text("code"),
    { name: "discount_percent", type: "smallint" },
    ts("starts_at"),
    ts("ends_at"),
    text("status")
  ]),
  hourly("shop_review", "ShopReview", "entity", [
    ref("user_id", "users"),
    ref("shop_id", "shop"),
    ref("shop_product_id", "shop_product"),
    ref("shop_order_id", "shop_order"),
    { name: "rating", type: "smallint" },
    text("title")
  ]),
  hourly("shop_inventory_log", "ShopInventoryLog", "log", [
    ref("shop_product_id", "shop_product"),
    ref("shop_id", "shop"),
    ref("shop_order_id", "shop_order", true),
    text("change_type"),
    { name: "quantity_change", type: "integer" }
  ]),
  hourly("request_response_log", "RequestResponseLog", "log", [
    ref("user_id", "users", true),
    ref("shop_id", "shop", true),
    ref("shop_order_id", "shop_order", true),
    text("method"),
    text("path"),
    { name: "status_code", type: "smallint" },
    { name: "latency_ms", type: "integer" },
    { name: "response_bytes", type: "integer" }
  ]),
  metric("user_metrics_hourly", "UserMetricsHourly", "hour", userMetrics),
  metric("user_metrics_daily", "UserMetricsDaily", "day", userMetrics),
  metric("shop_metrics_hourly", "ShopMetricsHourly", "hour", shopMetrics),
  metric("shop_metrics_daily", "ShopMetricsDaily", "day", shopMetrics),
  metric("shop_product_metrics_hourly", "ShopProductMetricsHourly", "hour", productMetrics),
  metric("shop_product_metrics_daily", "ShopProductMetricsDaily", "day", productMetrics)
];
var byName = new Map(TABLES.map((t) => [t.name, t]));
function columnNames(t) {
  return t.columns.map((c) => c.name);
}

// src/generate/csv-writer.ts
var HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const s = i.toString(16).padStart(2, "0");
  HEX[i * 2] = s.charCodeAt(0);
  HEX[i * 2 + 1] = s.charCodeAt(1);
}
var DIGITS2 = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGITS2[i * 2] = 48 + Math.floor(i / 10);
  DIGITS2[i * 2 + 1] = 48 + i % 10;
}
function hex16(buf, p, v) {
  const hi = (v >>> 8) * 2;
  const lo = (v & 255) * 2;
  buf[p] = HEX[hi];
  buf[p + 1] = HEX[hi + 1];
  buf[p + 2] = HEX[lo];
  buf[p + 3] = HEX[lo + 1];
  return p + 4;
}
var COMMA = 44;
var NL = 10;
function csvField(s) {
  const needs = /[",\n\r]/.test(s) || s.length === 0;
  return Buffer.from(needs ? `"${s.replace(/"/g, '""')}"` : s, "utf8");
}
function civil(days, out) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}
var CsvWriter = class {
  buf;
  pos = 0;
  size;
  /** rows written since the last take() */
  rows = 0;
  /** "YYYY-MM-DD HH:" prefixes of 256 hours, direct-mapped by hour number */
  prefixHour = new Float64Array(256).fill(Number.NaN);
  prefixes = new Uint8Array(256 * 14);
  ymd = new Int32Array(3);
  constructor(size = 1 << 18) {
    this.size = size;
    this.buf = Buffer.allocUnsafe(size);
  }
  /** true when the buffer should be handed out before the next row (rows are < 4 KiB) */
  get full() {
    return this.pos > this.size - 4096;
  }
  get length() {
    return this.pos;
  }
  /** Hand out what was written and start a fresh buffer (the old one now belongs to the caller). */
  take() {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.size);
    this.pos = 0;
    this.rows = 0;
    return out;
  }
  bytes(b) {
    const buf = this.buf;
    let p = this.pos;
    const n = b.length;
    if (n < 48) for (let i = 0; i < n; i++) buf[p++] = b[i];
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
    return this;
  }
  /** ASCII text known to need no quoting */
  ascii(s) {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
    return this;
  }
  comma() {
    this.buf[this.pos++] = COMMA;
    return this;
  }
  /** NULL (an empty unquoted field) */
  nul() {
    return this;
  }
  end() {
    this.buf[this.pos++] = NL;
    this.rows++;
  }
  /** non-negative integer */
  uint(n) {
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return this;
    }
    if (n < 100) {
      buf[this.pos++] = DIGITS2[n * 2];
      buf[this.pos++] = DIGITS2[n * 2 + 1];
      return this;
    }
    let len = 0;
    for (let t = n; t >= 1; t = Math.floor(t / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    buf[--p] = 48 + n;
    return this;
  }
  int(n) {
    if (n < 0) {
      this.buf[this.pos++] = 45;
      return this.uint(-n);
    }
    return this.uint(n);
  }
  /** integer cents as a decimal with two places */
  money(cents) {
    if (cents < 0) {
      this.buf[this.pos++] = 45;
      cents = -cents;
    }
    const whole = Math.floor(cents / 100);
    const c = cents - whole * 100;
    this.uint(whole);
    this.buf[this.pos++] = 46;
    this.buf[this.pos++] = DIGITS2[c * 2];
    this.buf[this.pos++] = DIGITS2[c * 2 + 1];
    return this;
  }
  bool(b) {
    this.buf[this.pos++] = b ? 116 : 102;
    return this;
  }
  /** uuid text from 4 words: 8-4-4-4-12 hex digits */
  uuid(w) {
    const buf = this.buf;
    let p = this.pos;
    const a = w[0];
    const b = w[1];
    const c = w[2];
    const d = w[3];
    p = hex16(buf, p, a >>> 16);
    p = hex16(buf, p, a & 65535);
    buf[p++] = 45;
    p = hex16(buf, p, b >>> 16);
    buf[p++] = 45;
    p = hex16(buf, p, b & 65535);
    buf[p++] = 45;
    p = hex16(buf, p, c >>> 16);
    buf[p++] = 45;
    p = hex16(buf, p, c & 65535);
    p = hex16(buf, p, d >>> 16);
    p = hex16(buf, p, d & 65535);
    this.pos = p;
    return this;
  }
  /** timestamptz as Postgres prints it with TimeZone UTC: `YYYY-MM-DD HH:MM:SS[.fff]+00` */
  ts(ms) {
    const hour = Math.floor(ms / 36e5);
    const slot2 = hour & 255;
    let off = slot2 * 14;
    if (this.prefixHour[slot2] !== hour) off = this.cacheHour(hour, slot2);
    const buf = this.buf;
    const pre = this.prefixes;
    let p = this.pos;
    for (let i = 0; i < 14; i++) buf[p++] = pre[off + i];
    let r = ms - hour * 36e5;
    const min = Math.floor(r / 6e4);
    r -= min * 6e4;
    const sec = Math.floor(r / 1e3);
    const milli = r - sec * 1e3;
    buf[p] = DIGITS2[min * 2];
    buf[p + 1] = DIGITS2[min * 2 + 1];
    buf[p + 2] = 58;
    buf[p + 3] = DIGITS2[sec * 2];
    buf[p + 4] = DIGITS2[sec * 2 + 1];
    p += 5;
    if (milli !== 0) {
      buf[p++] = 46;
      const d1 = Math.floor(milli / 100);
      const d2 = Math.floor(milli / 10) % 10;
      const d3 = milli % 10;
      buf[p++] = 48 + d1;
      if (d2 !== 0 || d3 !== 0) buf[p++] = 48 + d2;
      if (d3 !== 0) buf[p++] = 48 + d3;
    }
    buf[p] = 43;
    buf[p + 1] = 48;
    buf[p + 2] = 48;
    this.pos = p + 3;
    return this;
  }
  cacheHour(hour, slot2) {
    this.prefixHour[slot2] = hour;
    const days = Math.floor(hour / 24);
    civil(days, this.ymd);
    const y = this.ymd[0];
    const m = this.ymd[1];
    const d = this.ymd[2];
    const h = hour - days * 24;
    const s = `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d} ${h < 10 ? "0" : ""}${h}:`;
    const off = slot2 * 14;
    for (let i = 0; i < 14; i++) this.prefixes[off + i] = s.charCodeAt(i);
    return off;
  }
};

// src/generate/keyed.ts
var K = {
  user: 1,
  shop: 2,
  product: 3,
  order: 4,
  item: 5,
  payment: 6,
  invoice: 7,
  invoicePayment: 8,
  paymentMethod: 9,
  promotion: 10,
  review: 11,
  inventoryLog: 12,
  request: 13,
  event: 14,
  userMetricHour: 15,
  userMetricDay: 16,
  shopMetricHour: 17,
  shopMetricDay: 18,
  productMetricHour: 19,
  productMetricDay: 20,
  plan: 21,
  shopOwner: 22
};
function mix(h, k) {
  k = Math.imul(k, 3432918353);
  k = k << 15 | k >>> 17;
  k = Math.imul(k, 461845907);
  h ^= k;
  h = h << 13 | h >>> 19;
  return Math.imul(h, 5) + 3864292196 | 0;
}
function fmix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  return h >>> 0;
}
function rowKey(seed, kind, hi, lo) {
  return mix(mix(mix(seed | 0, kind), hi | 0), lo | 0);
}
function field(key, f) {
  return fmix(mix(key, f));
}
function unit(key, f) {
  return fmix(mix(key, f)) / 4294967296;
}
function below(key, f, n) {
  return Math.floor(unit(key, f) * n);
}
function between(key, f, min, max) {
  return min + Math.floor(unit(key, f) * (max - min + 1));
}
function normal(key, f) {
  const u1 = (field(key, f) + 1) / 4294967297;
  const u2 = unit(key, f + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
function zipf(u, n, s) {
  if (n <= 1) return 0;
  let x;
  if (s === 0) return Math.floor(u * n);
  if (Math.abs(s - 1) < 1e-9) x = (n + 1) ** u;
  else {
    const e = 1 - s;
    x = (((n + 1) ** e - 1) * u + 1) ** (1 / e);
  }
  const r = Math.floor(x) - 1;
  return r < 0 ? 0 : r >= n ? n - 1 : r;
}
function uuidKeys(seed) {
  const k = new Uint32Array(4);
  for (let i = 0; i < 4; i++) k[i] = field(rowKey(seed, 2147483647, i, 21930), 7);
  return k;
}
function uuidWords(keys, kind, hi, lo, out) {
  let a = kind ^ keys[0] | 0;
  let b = hi ^ keys[1] | 0;
  let c = lo ^ keys[2] | 0;
  let d = keys[3] | 0;
  for (let r = 0; r < 6; r++) {
    a = a + b | 0;
    d ^= a;
    d = d << 16 | d >>> 16;
    c = c + d | 0;
    b ^= c;
    b = b << 12 | b >>> 20;
    a = a + b | 0;
    d ^= a;
    d = d << 8 | d >>> 24;
    c = c + d | 0;
    b ^= c;
    b = b << 7 | b >>> 25;
    const t = a;
    a = b ^ keys[r & 3];
    b = c;
    c = d;
    d = t;
  }
  out[0] = a >>> 0;
  out[1] = (b & 4294905855 | 16384) >>> 0;
  out[2] = (c & 1073741823 | 2147483648) >>> 0;
  out[3] = d >>> 0;
}

// src/generate/pools.ts
import { en, Faker } from "@faker-js/faker";
import seedrandom from "seedrandom";
function randomizerFor(seed, pool2) {
  let rng = seedrandom.alea(`${seed}:${pool2}`);
  return {
    next: () => rng(),
    seed: (s) => {
      rng = seedrandom.alea(`${seed}:${pool2}:${Array.isArray(s) ? s.join(",") : s}`);
    }
  };
}
function pool(seed, name, size, make) {
  const f = new Faker({ locale: [en], randomizer: randomizerFor(seed, name) });
  const out = [];
  for (let i = 0; i < size; i++) out.push(make(f));
  return out;
}
function slug(s) {
  const t = s.normalize("NFKD").toLowerCase().replace(/[^a-z]/g, "");
  return t.length > 0 ? t : "x";
}
var enc = (xs) => xs.map(csvField);
var cache = /* @__PURE__ */ new Map();
function poolsFor(seed) {
  const hit = cache.get(seed);
  if (hit) return hit;
  const firstNames = pool(seed, "first", 600, (f) => f.person.firstName());
  const lastNames = pool(seed, "last", 600, (f) => f.person.lastName());
  const p = {
    firstNames,
    lastNames,
    firstNameSlugs: firstNames.map((s) => Buffer.from(slug(s))),
    lastNameSlugs: lastNames.map((s) => Buffer.from(slug(s))),
    firstNamesCsv: enc(firstNames),
    lastNamesCsv: enc(lastNames),
    emailDomains: pool(seed, "domain", 40, (f) => f.internet.domainName().toLowerCase()).map(
      (s) => Buffer.from(s.replace(/[^a-z0-9.-]/g, ""))
    ),
    countryCodes: enc([
      "US",
      "US",
      "US",
      "US",
      "CA",
      "GB",
      "DE",
      "FR",
      "NL",
      "AU",
      "JP",
      "MX",
      "BR",
      "ES",
      "IT",
      "SE"
    ]),
    shopNames: enc(pool(seed, "shop", 800, (f) => f.company.name())),
    categories: enc(pool(seed, "category", 60, (f) => f.commerce.department())),
    streets: enc(pool(seed, "street", 1e3, (f) => f.location.streetAddress())),
    cities: enc(pool(seed, "city", 400, (f) => f.location.city())),
    postalCodes: enc(pool(seed, "zip", 400, (f) => f.location.zipCode("#####"))),
    productNames: enc(pool(seed, "product", 2e3, (f) => f.commerce.productName())),
    promotionNames: enc(
      pool(
        seed,
        "promo",
        200,
        (f) => `${f.commerce.productAdjective()} ${f.helpers.arrayElement(["Sale", "Deal", "Days", "Weekend", "Flash Sale", "Doorbuster"])}`
      )
    ),
    reviewTitles: enc(pool(seed, "review", 500, (f) => f.lorem.sentence({ min: 2, max: 7 }))),
    providers: enc(["visa", "mastercard", "amex", "discover", "paypal", "apple_pay", "google_pay"])
  };
  cache.set(seed, p);
  return p;
}

// src/generate/context.ts
var Ctx = class {
  plan;
  pools;
  w;
  words = new Uint32Array(4);
  /** CSV bytes of the chunk's partition_key */
  partitionKey = new Uint8Array(0);
  constructor(plan2, bufferSize) {
    this.plan = plan2;
    this.pools = poolsFor(plan2.seed);
    this.w = new CsvWriter(bufferSize);
  }
  setPartitionKey(key) {
    this.partitionKey = csvField(key);
  }
  /** write the uuid of (kind, hi, lo) */
  id(kind, hi, lo) {
    uuidWords(this.plan.uuidKeys, kind, hi, lo, this.words);
    return this.w.uuid(this.words);
  }
  /** id, event_time, partition_key and the comma after them */
  head(kind, hi, lo, eventTime) {
    this.id(kind, hi, lo).comma().ts(eventTime).comma().bytes(this.partitionKey).comma();
    return this.w;
  }
  /** created_time, updated_time, extra (already CSV-encoded), end of row */
  tail(created, updated, extra) {
    this.w.ts(created).comma().ts(updated).comma().bytes(extra).end();
  }
};
function jsonbText(v) {
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort(
      (a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b))
    );
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText(v[k])}`).join(", ")}}`;
  }
  return JSON.stringify(v);
}
function jsonPool(objects) {
  return objects.map((o) => csvField(jsonbText(o)));
}
function pick(pool2, r) {
  return pool2[r % pool2.length];
}

// src/generate/plan.ts
var HOUR = 36e5;
function creationHour(before, i) {
  if (i < before[0]) return -1;
  let lo = 0;
  let hi = before.length - 1;
  while (lo < hi) {
    const mid = lo + hi + 1 >> 1;
    if (before[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
function eventMultiplier(s, rate, ms) {
  let m = 1;
  for (const e of s.events) {
    if (ms >= e.start && ms < e.start + e.hours * HOUR && e.appliesTo.includes(rate))
      m *= e.multiplier;
  }
  return m;
}
function arrivals(s, seed, rate, rateIdx, h) {
  const ms = s.start + h * HOUR;
  const hod = new Date(ms).getUTCHours();
  const expected = s.rates[rate] * s.scale * (s.rhythm[hod] ?? 1) * eventMultiplier(s, rate, ms);
  const key = rowKey(seed, K.plan, rateIdx, h);
  const noisy = expected * (0.95 + 0.1 * unit(key, 1));
  const whole = Math.floor(noisy);
  return whole + (unit(key, 2) < noisy - whole ? 1 : 0);
}
function prefix(counts, base) {
  const out = new Float64Array(counts.length + 1);
  out[0] = base;
  for (let h = 0; h < counts.length; h++) out[h + 1] = out[h] + counts[h];
  return out;
}
function csr(n, owners) {
  const start = new Int32Array(n + 1);
  for (const o of owners) start[o + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const list = new Int32Array(owners.length);
  for (let i = 0; i < owners.length; i++) {
    const o = owners[i];
    list[fill[o]++] = i;
  }
  return { start, list };
}
function buildPlan(s) {
  const seed = s.seed >>> 0;
  const hours = s.hours;
  const pop = s.population;
  const d = s.distributions;
  const scaled = (n) => Math.max(0, Math.round(n * s.scale));
  const perHour = (rate, idx) => {
    const a = new Int32Array(hours);
    for (let h = 0; h < hours; h++) a[h] = arrivals(s, seed, rate, idx, h);
    return a;
  };
  const signups = perHour("signups", 1);
  const newShops = perHour("new_shops", 2);
  const newProducts = perHour("new_products", 3);
  const orders2 = perHour("orders", 4);
  const newPromos = perHour("promotions", 5);
  const users0 = Math.max(1, scaled(pop.users));
  const owners = Math.min(users0, Math.max(1, scaled(pop.shopOwners)));
  const ownerShops = [];
  for (let o = 0; o < owners; o++) {
    ownerShops.push(
      between(rowKey(seed, K.shopOwner, 0, o), 1, pop.shopsPerOwner.min, pop.shopsPerOwner.max)
    );
  }
  const shops0 = ownerShops.reduce((a, b) => a + b, 0);
  const shopOwner0 = new Int32Array(shops0);
  {
    let s0 = 0;
    for (let o = 0; o < owners; o++) {
      const user = Math.floor(o * users0 / owners);
      for (let k = 0; k < ownerShops[o]; k++) shopOwner0[s0++] = user;
    }
  }
  const productStart0 = new Float64Array(shops0 + 1);
  const { min: pmin, max: pmax } = pop.productsPerShop;
  for (let sh = 0; sh < shops0; sh++) {
    const u = unit(rowKey(seed, K.shop, 0, sh), 40);
    const size = pmin + Math.floor((pmax - pmin + 1) * u ** (1 + d.shopSizeSkew));
    productStart0[sh + 1] = productStart0[sh] + Math.min(pmax, Math.max(1, size));
  }
  const products0 = productStart0[shops0];
  const usersBefore = prefix(signups, users0);
  const shopsBefore = prefix(newShops, shops0);
  const productsBefore = prefix(newProducts, products0);
  const totalShops = shopsBefore[hours];
  const windowProductShop = new Int32Array(productsBefore[hours] - products0);
  for (let h = 0; h < hours; h++) {
    for (let p = productsBefore[h]; p < productsBefore[h + 1]; p++) {
      windowProductShop[p - products0] = Math.floor(
        unit(rowKey(seed, K.product, 0, p), 41) * shopsBefore[h]
      );
    }
  }
  const wp = csr(totalShops, windowProductShop);
  for (let i = 0; i < wp.list.length; i++) wp.list[i] += products0;
  const promotions0 = scaled(pop.promotions);
  const promotionsBefore = prefix(newPromos, promotions0);
  const totalPromos = promotionsBefore[hours];
  const promoShop = new Int32Array(totalPromos);
  const promoStart = new Float64Array(totalPromos);
  const promoEnd = new Float64Array(totalPromos);
  const promoEventTime = new Float64Array(totalPromos);
  const promoPercent = new Int32Array(totalPromos);
  for (let i = 0; i < totalPromos; i++) {
    const key = rowKey(seed, K.promotion, 0, i);
    const dur = between(key, 3, d.promotionDurationHours.min, d.promotionDurationHours.max) * HOUR;
    promoPercent[i] = between(key, 4, d.promotionDiscountPercent.min, d.promotionDiscountPercent.max);
    if (i < promotions0) {
      promoShop[i] = Math.floor(unit(key, 1) * shops0);
      const started = s.start - Math.floor(unit(key, 2) * (dur - 6e4));
      promoStart[i] = started;
      promoEnd[i] = started + dur;
      promoEventTime[i] = s.start;
    } else {
      const h = creationHour(promotionsBefore, i);
      promoShop[i] = Math.floor(unit(key, 1) * shopsBefore[h]);
      const t = s.start + h * HOUR + 1 + Math.floor(unit(key, 2) * (HOUR - 1));
      promoStart[i] = t;
      promoEnd[i] = t + dur;
      promoEventTime[i] = t;
    }
  }
  const sp = csr(totalShops, promoShop);
  const pPaid = (1 - d.cartAbandonmentRate) * (1 - d.paymentFailureRate ** (d.paymentMaxRetries + 1));
  const reviews2 = new Int32Array(hours);
  const { min: dmin, max: dmax } = d.reviewDelayHours;
  const span = dmax - dmin + 1;
  for (let h = 0; h < hours; h++) {
    let sum = 0;
    for (let dl = dmin; dl <= dmax; dl++) if (h - dl >= 0) sum += orders2[h - dl];
    const expected = d.reviewRate * pPaid * sum / span;
    const key = rowKey(seed, K.plan, 9, h);
    const whole = Math.floor(expected);
    reviews2[h] = whole + (unit(key, 2) < expected - whole ? 1 : 0);
  }
  return {
    scenario: s,
    seed,
    start: s.start,
    hours,
    uuidKeys: uuidKeys(seed),
    users0,
    usersBefore,
    shops0,
    shopsBefore,
    products0,
    productsBefore,
    promotions0,
    promotionsBefore,
    orders: orders2,
    reviews: reviews2,
    shopOwner0,
    productStart0,
    windowProductShop,
    shopWindowProductStart: wp.start,
    shopWindowProducts: wp.list,
    promoShop,
    promoStart,
    promoEnd,
    promoEventTime,
    promoPercent,
    shopPromoStart: sp.start,
    shopPromos: sp.list
  };
}
function shopOwner(plan2, s) {
  if (s < plan2.shops0) return plan2.shopOwner0[s];
  const h = creationHour(plan2.shopsBefore, s);
  return Math.floor(unit(rowKey(plan2.seed, K.shop, 0, s), 42) * plan2.usersBefore[h]);
}
function productShop(plan2, p) {
  if (p < plan2.products0) {
    const a = plan2.productStart0;
    let lo = 0;
    let hi = plan2.shops0 - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (a[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  return plan2.windowProductShop[p - plan2.products0];
}
function productPrice(plan2, p) {
  const { min, max } = plan2.scenario.distributions.priceCents;
  const u = unit(rowKey(plan2.seed, K.product, 0, p), 43);
  const v = Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
  const cents = Math.round(v);
  return cents > 500 ? Math.floor(cents / 100) * 100 + 99 : cents;
}
function paymentMethodCount(plan2, u) {
  const r = plan2.scenario.population.paymentMethodsPerUser;
  return between(rowKey(plan2.seed, K.user, 0, u), 30, r.min, r.max);
}

// src/generate/orders.ts
var HOUR2 = 36e5;
var MAX_ITEMS = 20;
var MAX_ATTEMPTS = 6;
var ABANDONED = 0;
var PAYMENT_FAILED = 1;
var PAID = 2;
var ORDER_STATUS = ["abandoned", "payment_failed", "paid"];
var Order = class {
  hour = 0;
  index = 0;
  key = 0;
  time = 0;
  user = 0;
  shop = 0;
  /** promotion index, -1 when none */
  promotion = -1;
  percent = 0;
  status = 0;
  itemCount = 0;
  products = new Float64Array(MAX_ITEMS);
  quantities = new Int32Array(MAX_ITEMS);
  prices = new Int32Array(MAX_ITEMS);
  subtotal = 0;
  discount = 0;
  total = 0;
  attempts = 0;
  attemptTime = new Float64Array(MAX_ATTEMPTS);
  attemptMethod = new Int32Array(MAX_ATTEMPTS);
  /** time of the last event of the order (final payment attempt), clamped into its hour */
  settledTime = 0;
  apiRequests = 0;
};
function inHour(ms, hourEnd) {
  return ms < hourEnd ? ms : hourEnd - 1;
}
function availableProducts(plan2, s, h) {
  let n = 0;
  if (s < plan2.shops0) n = plan2.productStart0[s + 1] - plan2.productStart0[s];
  const a = plan2.shopWindowProductStart[s];
  const b = plan2.shopWindowProductStart[s + 1];
  const limit = plan2.productsBefore[h];
  for (let i = a; i < b && plan2.shopWindowProducts[i] < limit; i++) n++;
  return n;
}
function nthProduct(plan2, s, r) {
  if (s < plan2.shops0) {
    const base = plan2.productStart0[s];
    const n = plan2.productStart0[s + 1] - base;
    if (r < n) return base + r;
    r -= n;
  }
  return plan2.shopWindowProducts[plan2.shopWindowProductStart[s] + r];
}
function weighted2(u, w) {
  let acc = 0;
  for (let i = 0; i < w.weights.length; i++) {
    acc += w.weights[i];
    if (u < acc) return w.values[i];
  }
  return w.values[w.values.length - 1];
}
function orderAt(plan2, h, j, o) {
  const d = plan2.scenario.distributions;
  const key = rowKey(plan2.seed, K.order, h, j);
  const hourStart = plan2.start + h * HOUR2;
  const hourEnd = hourStart + HOUR2;
  o.hour = h;
  o.index = j;
  o.key = key;
  o.time = hourStart + below(key, 1, HOUR2);
  o.user = below(key, 2, plan2.usersBefore[h]);
  const nShops = plan2.shopsBefore[h];
  let shop = 0;
  let avail = 0;
  for (let t = 0; t < 8; t++) {
    shop = zipf(unit(key, 3 + t * 97), nShops, d.shopPopularitySkew);
    avail = availableProducts(plan2, shop, h);
    if (avail > 0) break;
  }
  if (avail === 0) {
    shop = 0;
    avail = availableProducts(plan2, 0, h);
  }
  o.shop = shop;
  const wanted = weighted2(unit(key, 4), d.itemsPerOrder);
  const n = Math.min(wanted, avail, MAX_ITEMS);
  o.itemCount = n;
  let subtotal = 0;
  for (let i = 0; i < n; i++) {
    let r2 = zipf(unit(key, 100 + i), avail, d.productPopularitySkew);
    for (; ; ) {
      let dup = false;
      const p = nthProduct(plan2, shop, r2);
      for (let k = 0; k < i; k++) if (o.products[k] === p) dup = true;
      if (!dup) {
        o.products[i] = p;
        break;
      }
      r2 = (r2 + 1) % avail;
    }
    const q = weighted2(unit(key, 200 + i), d.quantityPerItem);
    const price = productPrice(plan2, o.products[i]);
    o.quantities[i] = q;
    o.prices[i] = price;
    subtotal += q * price;
  }
  o.subtotal = subtotal;
  o.promotion = -1;
  o.percent = 0;
  if (unit(key, 5) < d.promotionUseRate) {
    const a = plan2.shopPromoStart[shop];
    const b = plan2.shopPromoStart[shop + 1];
    const limit = plan2.promotionsBefore[h];
    for (let i = a; i < b; i++) {
      const p = plan2.shopPromos[i];
      if (p >= limit) break;
      if (plan2.promoStart[p] <= o.time && o.time < plan2.promoEnd[p]) {
        o.promotion = p;
        o.percent = plan2.promoPercent[p];
        break;
      }
    }
  }
  o.discount = Math.round(subtotal * o.percent / 100);
  o.total = subtotal - o.discount;
  o.attempts = 0;
  o.settledTime = o.time;
  if (unit(key, 6) < d.cartAbandonmentRate) {
    o.status = ABANDONED;
  } else {
    const methods = paymentMethodCount(plan2, o.user);
    let t = o.time;
    o.status = PAYMENT_FAILED;
    for (let a = 0; a <= d.paymentMaxRetries; a++) {
      t = inHour(t + 2e3 + below(key, 300 + a, a === 0 ? 6e4 : 18e4), hourEnd);
      o.attemptTime[a] = t;
      o.attemptMethod[a] = a === 0 ? 0 : below(key, 320 + a, methods);
      o.attempts = a + 1;
      if (unit(key, 340 + a) >= d.paymentFailureRate) {
        o.status = PAID;
        break;
      }
    }
    o.settledTime = t;
  }
  const r = d.apiRequestsPerOrder;
  o.apiRequests = between(key, 7, r.min, r.max);
  return o;
}
function orderField(o, f) {
  return field(o.key, 1e3 + f);
}

// src/generate/operational.ts
var HOUR3 = 36e5;
var DAY = 864e5;
var MAX_REQUESTS = 64;
var USER_EXTRA = jsonPool(
  ["web", "ios", "android", "referral"].flatMap(
    (c) => [true, false].map((m) => ({ signup_channel: c, marketing_opt_in: m }))
  )
);
var SHOP_EXTRA = jsonPool(
  ["basic", "plus", "pro"].map((t) => ({ tier: t, ships_international: t !== "basic" }))
);
var PRODUCT_EXTRA = jsonPool(
  ["S", "M", "L", "XL", null].map((size) => size ? { size, returnable: true } : { returnable: false })
);
var ORDER_EXTRA = jsonPool(
  ["web", "ios", "android"].flatMap(
    (channel) => ["desktop", "mobile", "tablet"].map((device) => ({ channel, device }))
  )
);
var PAYMENT_EXTRA = jsonPool(
  ["stripe", "adyen", "braintree"].map((p) => ({ processor: p, three_ds: p !== "braintree" }))
);
var EMPTY = jsonPool([{}]);
var REVIEW_EXTRA = jsonPool([{ verified_purchase: true }, { verified_purchase: true, has_photo: true }]);
var LOG_EXTRA = jsonPool(
  ["chrome", "safari", "firefox", "edge", "ios-app", "android-app"].map((ua) => ({ ua }))
);
var PM_TYPES = ["card", "card", "card", "wallet"];
var FAILURES = ["card_declined", "insufficient_funds", "expired_card", "processing_error"];
var enc2 = (s) => Buffer.from(s);
var S = {
  active: enc2("active"),
  inactive: enc2("inactive"),
  suspended: enc2("suspended"),
  paused: enc2("paused"),
  draft: enc2("draft"),
  usd: enc2("USD"),
  succeeded: enc2("succeeded"),
  failed: enc2("failed"),
  paid: enc2("paid"),
  ended: enc2("ended"),
  scheduled: enc2("scheduled"),
  sale: enc2("sale"),
  restock: enc2("restock"),
  orderStatus: ORDER_STATUS.map(enc2),
  pmTypes: PM_TYPES.map(enc2),
  failures: FAILURES.map(enc2)
};
var timeIn = (hourStart, key, f) => hourStart + 1 + below(key, f, HOUR3 - 1);
function* flush(ctx) {
  if (ctx.w.full) yield ctx.w.take();
}
function userRange(plan2, h) {
  return [h === 0 ? 0 : plan2.usersBefore[h], plan2.usersBefore[h + 1]];
}
function userTimes(plan2, u) {
  const key = rowKey(plan2.seed, K.user, 0, u);
  const h = creationHour(plan2.usersBefore, u);
  if (h < 0) return { event: plan2.start, created: plan2.start - 6e4 - below(key, 1, 730 * DAY) };
  const t = timeIn(plan2.start + h * HOUR3, key, 1);
  return { event: t, created: t };
}
function* users(ctx, h) {
  const { plan: plan2, pools, w } = ctx;
  const [a, b] = userRange(plan2, h);
  for (let u = a; u < b; u++) {
    const key = rowKey(plan2.seed, K.user, 0, u);
    const t = userTimes(plan2, u);
    const fi = field(key, 2) % pools.firstNames.length;
    const li = field(key, 3) % pools.lastNames.length;
    ctx.head(K.user, 0, u, t.event);
    w.bytes(pools.firstNameSlugs[fi]).ascii(".").bytes(pools.lastNameSlugs[li]).uint(u).ascii("@");
    w.bytes(pick(pools.emailDomains, field(key, 4))).comma();
    w.bytes(pools.firstNameSlugs[fi]).ascii("_").bytes(pools.lastNameSlugs[li]).uint(u).comma();
    writeFullName(ctx, fi, li);
    const st = field(key, 5) % 100;
    w.comma().bytes(st < 95 ? S.active : st < 99 ? S.inactive : S.suspended).comma();
    w.bytes(pick(pools.countryCodes, field(key, 6))).comma();
    const updated = t.created + (t.event > t.created ? below(key, 7, t.event - t.created) : 0);
    ctx.tail(t.created, updated, pick(USER_EXTRA, field(key, 8)));
    yield* flush(ctx);
  }
}
function writeFullName(ctx, fi, li) {
  const first = ctx.pools.firstNames[fi];
  const last = ctx.pools.lastNames[li];
  const needs = first.includes('"') || last.includes('"') || first.includes(",") || last.includes(",");
  if (needs) ctx.w.bytes(Buffer.from(`"${`${first} ${last}`.replace(/"/g, '""')}"`));
  else ctx.w.bytes(Buffer.from(`${first} ${last}`));
}
function* userPaymentMethods(ctx, h) {
  const { plan: plan2, pools, w } = ctx;
  const [a, b] = userRange(plan2, h);
  for (let u = a; u < b; u++) {
    const t = userTimes(plan2, u);
    const n = paymentMethodCount(plan2, u);
    for (let slot2 = 0; slot2 < n; slot2++) {
      const key = rowKey(plan2.seed, K.paymentMethod, u, slot2);
      ctx.head(K.paymentMethod, u, slot2, t.event);
      ctx.id(K.user, 0, u).comma();
      const type = field(key, 1) % S.pmTypes.length;
      w.bytes(S.pmTypes[type]).comma();
      w.bytes(
        type === 3 ? pick(pools.providers.slice(4), field(key, 2)) : pick(pools.providers.slice(0, 4), field(key, 2))
      );
      w.comma();
      const last4 = field(key, 3) % 1e4;
      w.ascii(String(last4).padStart(4, "0")).comma();
      w.uint(1 + field(key, 4) % 12).comma();
      w.uint(new Date(plan2.start).getUTCFullYear() + 1 + field(key, 5) % 5).comma();
      w.bool(slot2 === 0).comma().bytes(S.active).comma();
      ctx.tail(t.created, t.created, EMPTY[0]);
      yield* flush(ctx);
    }
  }
}
function shopTimes(plan2, s) {
  const key = rowKey(plan2.seed, K.shop, 0, s);
  const h = creationHour(plan2.shopsBefore, s);
  if (h < 0) return { event: plan2.start, created: plan2.start - 6e4 - below(key, 1, 365 * DAY) };
  const t = timeIn(plan2.start + h * HOUR3, key, 1);
  return { event: t, created: t };
}
function* shops(ctx, h) {
  const { plan: plan2, pools, w } = ctx;
  const a = h === 0 ? 0 : plan2.shopsBefore[h];
  const b = plan2.shopsBefore[h + 1];
  for (let s = a; s < b; s++) {
    const key = rowKey(plan2.seed, K.shop, 0, s);
    const t = shopTimes(plan2, s);
    ctx.head(K.shop, 0, s, t.event);
    ctx.id(K.user, 0, shopOwner(plan2, s)).comma();
    w.bytes(pick(pools.shopNames, field(key, 2))).comma();
    w.bytes(pick(pools.categories, field(key, 3))).comma();
    w.bytes(field(key, 4) % 100 < 96 ? S.active : S.paused).comma();
    w.bytes(pick(pools.streets, field(key, 5))).comma();
    w.bytes(pick(pools.cities, field(key, 6))).comma();
    w.bytes(pick(pools.postalCodes, field(key, 7))).comma();
    w.bytes(pick(pools.countryCodes, field(key, 8))).comma();
    ctx.tail(t.created, t.created, pick(SHOP_EXTRA, field(key, 9)));
    yield* flush(ctx);
  }
}
function productTimes(plan2, p) {
  const key = rowKey(plan2.seed, K.product, 0, p);
  const h = creationHour(plan2.productsBefore, p);
  if (h < 0) return { event: plan2.start, created: plan2.start - 6e4 - below(key, 1, 365 * DAY) };
  const t = timeIn(plan2.start + h * HOUR3, key, 1);
  return { event: t, created: t };
}
function* products(ctx, h) {
  const { plan: plan2, pools, w } = ctx;
  const a = h === 0 ? 0 : plan2.productsBefore[h];
  const b = plan2.productsBefore[h + 1];
  for (let p = a; p < b; p++) {
    const key = rowKey(plan2.seed, K.product, 0, p);
    const t = productTimes(plan2, p);
    const s = productShop(plan2, p);
    ctx.head(K.product, 0, p, t.event);
    ctx.id(K.shop, 0, s).comma();
    w.ascii("SKU-").uint(s).ascii("-").uint(p).comma();
    w.bytes(pick(pools.productNames, field(key, 2))).comma();
    w.bytes(pick(pools.categories, field(key, 3))).comma();
    w.money(productPrice(plan2, p)).comma().bytes(S.usd).comma();
    w.uint(20 + field(key, 4) % 480).comma();
    w.bytes(field(key, 5) % 100 < 97 ? S.active : S.draft).comma();
    ctx.tail(t.created, t.created, pick(PRODUCT_EXTRA, field(key, 6)));
    yield* flush(ctx);
  }
}
function* promotions(ctx, h) {
  const { plan: plan2, pools, w } = ctx;
  const a = h === 0 ? 0 : plan2.promotionsBefore[h];
  const b = plan2.promotionsBefore[h + 1];
  for (let i = a; i < b; i++) {
    const key = rowKey(plan2.seed, K.promotion, 0, i);
    const ev = plan2.promoEventTime[i];
    ctx.head(K.promotion, 0, i, ev);
    ctx.id(K.shop, 0, plan2.promoShop[i]).comma();
    w.bytes(pick(pools.promotionNames, field(key, 5))).comma();
    w.ascii("PROMO").uint(i).ascii("X").uint(field(key, 6) % 1e3).comma();
    w.uint(plan2.promoPercent[i]).comma();
    w.ts(plan2.promoStart[i]).comma().ts(plan2.promoEnd[i]).comma();
    w.bytes(S.active).comma();
    ctx.tail(Math.min(ev, plan2.promoStart[i]), ev, EMPTY[0]);
    yield* flush(ctx);
  }
}
function* orders(ctx, h) {
  const { plan: plan2, w } = ctx;
  const o = new Order();
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    ctx.head(K.order, h, j, o.time);
    ctx.id(K.user, 0, o.user).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    if (o.promotion >= 0) ctx.id(K.promotion, 0, o.promotion);
    w.comma().bytes(S.orderStatus[o.status]).comma();
    w.uint(o.itemCount).comma().money(o.subtotal).comma().money(o.discount).comma().money(o.total).comma();
    w.bytes(S.usd).comma();
    ctx.tail(o.time, o.settledTime, pick(ORDER_EXTRA, orderField(o, 1)));
    yield* flush(ctx);
  }
}
function* orderItems(ctx, h) {
  const { plan: plan2, w } = ctx;
  const o = new Order();
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    for (let i = 0; i < o.itemCount; i++) {
      ctx.head(K.item, h, j * MAX_ITEMS + i, o.time);
      ctx.id(K.order, h, j).comma();
      ctx.id(K.product, 0, o.products[i]).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      w.uint(o.quantities[i]).comma().money(o.prices[i]).comma().money(o.prices[i] * o.quantities[i]).comma();
      ctx.tail(o.time, o.time, EMPTY[0]);
      yield* flush(ctx);
    }
  }
}
function* payments(ctx, h) {
  const { plan: plan2, w } = ctx;
  const o = new Order();
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    for (let a = 0; a < o.attempts; a++) {
      const ok = o.status === PAID && a === o.attempts - 1;
      const t = o.attemptTime[a];
      ctx.head(K.payment, h, j * MAX_ATTEMPTS + a, t);
      ctx.id(K.order, h, j).comma();
      ctx.id(K.user, 0, o.user).comma();
      ctx.id(K.paymentMethod, o.user, o.attemptMethod[a]).comma();
      w.uint(a + 1).comma().money(o.total).comma().bytes(S.usd).comma();
      w.bytes(ok ? S.succeeded : S.failed).comma();
      if (!ok) w.bytes(pick(S.failures, orderField(o, 10 + a)));
      w.comma();
      ctx.tail(t, t, pick(PAYMENT_EXTRA, orderField(o, 20 + a)));
      yield* flush(ctx);
    }
  }
}
var invoiceTime = (o, hourEnd) => inHour(o.settledTime + 1e3, hourEnd);
function* invoices(ctx, h) {
  const { plan: plan2, w } = ctx;
  const o = new Order();
  const hourEnd = plan2.start + (h + 1) * HOUR3;
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    if (o.status !== PAID) continue;
    const t = invoiceTime(o, hourEnd);
    ctx.head(K.invoice, h, j, t);
    ctx.id(K.order, h, j).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    ctx.id(K.user, 0, o.user).comma();
    w.ascii("INV-").ascii(String(h).padStart(5, "0")).ascii("-").uint(j).comma();
    w.money(o.total).comma().bytes(S.usd).comma().bytes(S.paid).comma();
    ctx.tail(t, t, EMPTY[0]);
    yield* flush(ctx);
  }
}
function* invoicePayments(ctx, h) {
  const { plan: plan2, w } = ctx;
  const o = new Order();
  const hourEnd = plan2.start + (h + 1) * HOUR3;
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    if (o.status !== PAID) continue;
    const t = invoiceTime(o, hourEnd);
    const a = o.attempts - 1;
    ctx.head(K.invoicePayment, h, j, t);
    ctx.id(K.invoice, h, j).comma();
    ctx.id(K.payment, h, j * MAX_ATTEMPTS + a).comma();
    ctx.id(K.paymentMethod, o.user, o.attemptMethod[a]).comma();
    w.money(o.total).comma().bytes(S.usd).comma().bytes(S.succeeded).comma();
    ctx.tail(t, t, EMPTY[0]);
    yield* flush(ctx);
  }
}
function restockOf(plan2, o, i) {
  const d = plan2.scenario.distributions;
  const u = (orderField(o, 100 + i) >>> 0) / 4294967296;
  if (u >= d.restockRate) return 0;
  return d.restockQuantity.min + orderField(o, 130 + i) % (d.restockQuantity.max - d.restockQuantity.min + 1);
}
function* inventoryLog(ctx, h) {
  const { plan: plan2, w } = ctx;
  const o = new Order();
  const hourEnd = plan2.start + (h + 1) * HOUR3;
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    if (o.status !== PAID) continue;
    for (let i = 0; i < o.itemCount; i++) {
      const t = o.settledTime;
      ctx.head(K.inventoryLog, h, (j * MAX_ITEMS + i) * 2, t);
      ctx.id(K.product, 0, o.products[i]).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      ctx.id(K.order, h, j).comma();
      w.bytes(S.sale).comma().int(-o.quantities[i]).comma();
      ctx.tail(t, t, EMPTY[0]);
      yield* flush(ctx);
      const restock = restockOf(plan2, o, i);
      if (restock > 0) {
        const rt = inHour(t + 6e4 + orderField(o, 160 + i) % 6e5, hourEnd);
        ctx.head(K.inventoryLog, h, (j * MAX_ITEMS + i) * 2 + 1, rt);
        ctx.id(K.product, 0, o.products[i]).comma();
        ctx.id(K.shop, 0, o.shop).comma();
        w.comma().bytes(S.restock).comma().int(restock).comma();
        ctx.tail(rt, rt, EMPTY[0]);
        yield* flush(ctx);
      }
    }
  }
}
function reviewAt(plan2, h, k, o) {
  const d = plan2.scenario.distributions;
  const key = rowKey(plan2.seed, K.review, h, k);
  const maxDelay = Math.min(d.reviewDelayHours.max, h);
  if (maxDelay < d.reviewDelayHours.min) return null;
  const delay = between(key, 1, d.reviewDelayHours.min, maxDelay);
  const oh = h - delay;
  const n = plan2.orders[oh];
  if (n === 0) return null;
  const j0 = below(key, 2, n);
  for (let t = 0; t < 16; t++) {
    orderAt(plan2, oh, (j0 + t) % n, o);
    if (o.status === PAID && o.itemCount > 0) {
      const r = field(key, 3) % 100;
      const rating = r < 55 ? 5 : r < 80 ? 4 : r < 90 ? 3 : r < 95 ? 2 : 1;
      return { item: below(key, 4, o.itemCount), rating, time: plan2.start + h * HOUR3 + below(key, 5, HOUR3) };
    }
  }
  return null;
}
function* reviews(ctx, h) {
  const { plan: plan2, pools, w } = ctx;
  const o = new Order();
  for (let k = 0; k < plan2.reviews[h]; k++) {
    const r = reviewAt(plan2, h, k, o);
    if (!r) continue;
    const key = rowKey(plan2.seed, K.review, h, k);
    ctx.head(K.review, h, k, r.time);
    ctx.id(K.user, 0, o.user).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    ctx.id(K.product, 0, o.products[r.item]).comma();
    ctx.id(K.order, o.hour, o.index).comma();
    w.uint(r.rating).comma().bytes(pick(pools.reviewTitles, field(key, 6))).comma();
    ctx.tail(r.time, r.time, pick(REVIEW_EXTRA, field(key, 7)));
    yield* flush(ctx);
  }
}
var PATHS = [
  "/api/cart/items",
  "/api/checkout",
  "/api/payments",
  "/api/orders",
  "/api/products",
  "/api/shops"
];
var METHODS = ["POST", "POST", "POST", "GET", "GET", "GET"];
var ERROR_CODES = [400, 404, 409, 429, 500, 502, 503];
function apiCall(plan2, o, n, hourEnd, out) {
  const d = plan2.scenario.distributions;
  const key = rowKey(plan2.seed, K.request, o.hour, o.index * MAX_REQUESTS + n);
  out.time = inHour(o.time + below(key, 1, 12e4), hourEnd);
  out.path = n === 0 ? 0 : field(key, 2) % PATHS.length;
  out.status = unit(key, 3) < d.apiErrorRate ? ERROR_CODES[field(key, 4) % ERROR_CODES.length] : METHODS[out.path] === "POST" ? 201 : 200;
  const sigma = Math.log(d.apiLatencyMs.p99 / d.apiLatencyMs.median) / 2.326;
  out.latency = Math.max(1, Math.round(d.apiLatencyMs.median * Math.exp(sigma * normal(key, 5))));
  out.bytes = 200 + field(key, 7) % 8e3;
  return out;
}
var PATH_BYTES = PATHS.map(enc2);
var METHOD_BYTES = METHODS.map(enc2);
function* requestLog(ctx, h) {
  const { plan: plan2, w } = ctx;
  const o = new Order();
  const c = { time: 0, path: 0, status: 0, latency: 0, bytes: 0 };
  const hourEnd = plan2.start + (h + 1) * HOUR3;
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    const n = Math.min(o.apiRequests, MAX_REQUESTS);
    for (let r = 0; r < n; r++) {
      apiCall(plan2, o, r, hourEnd, c);
      ctx.head(K.request, h, j * MAX_REQUESTS + r, c.time);
      ctx.id(K.user, 0, o.user).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      ctx.id(K.order, h, j).comma();
      w.bytes(METHOD_BYTES[c.path]).comma().bytes(PATH_BYTES[c.path]).comma();
      w.uint(c.status).comma().uint(c.latency).comma().uint(c.bytes).comma();
      ctx.tail(
        c.time,
        c.time + c.latency < hourEnd ? c.time + c.latency : c.time,
        pick(LOG_EXTRA, field(o.key, 500 + r))
      );
      yield* flush(ctx);
    }
  }
}
var OPERATIONAL = {
  users,
  user_payment_method: userPaymentMethods,
  shop: shops,
  shop_product: products,
  shop_promotion: promotions,
  shop_order: orders,
  shop_order_item: orderItems,
  shop_order_payment: payments,
  invoice: invoices,
  invoice_payment: invoicePayments,
  shop_inventory_log: inventoryLog,
  shop_review: reviews,
  request_response_log: requestLog
};

// src/generate/metrics.ts
var HOUR4 = 36e5;
var EMPTY2 = jsonPool([{}])[0];
var U_ORDERS = 0;
var U_VALUE = 1;
var U_PAY_OK = 2;
var U_PAY_FAIL = 3;
var U_REVIEWS = 4;
var U_PROMOS = 5;
var U_ABANDONED = 6;
var U_API = 7;
var U_N = 8;
var S_ORDERS = 0;
var S_REVENUE = 1;
var S_UNITS = 2;
var S_REVIEWS = 3;
var S_RATING = 4;
var S_PROMO_ORDERS = 5;
var S_DISCOUNT = 6;
var S_ABANDONED = 7;
var S_PAY_FAIL = 8;
var S_INV_VALUE = 9;
var S_VIEWS = 10;
var S_CART = 11;
var S_API = 12;
var S_API_ERR = 13;
var S_API_LAT = 14;
var S_N = 15;
var P_UNITS = 0;
var P_REVENUE = 1;
var P_ORDERS = 2;
var P_CART = 3;
var P_VIEWS = 4;
var P_REVIEWS = 5;
var P_RATING = 6;
var P_PROMO_UNITS = 7;
var P_INV = 8;
var P_N = 9;
var newAgg = () => ({ users: /* @__PURE__ */ new Map(), shops: /* @__PURE__ */ new Map(), products: /* @__PURE__ */ new Map() });
function slot(m, k, n) {
  let v = m.get(k);
  if (!v) {
    v = new Float64Array(n);
    m.set(k, v);
  }
  return v;
}
function shopSlot(m, k) {
  let v = m.get(k);
  if (!v) {
    v = { v: new Float64Array(S_N), customers: /* @__PURE__ */ new Set(), products: /* @__PURE__ */ new Set() };
    m.set(k, v);
  }
  return v;
}
function pageViews(plan2, h, p, cartAdds) {
  const f = field(rowKey(plan2.seed, K.productMetricHour, h, p), 1);
  return cartAdds * (3 + f % 5) + (f >>> 8) % 7;
}
function hourAgg(plan2, h) {
  const agg = newAgg();
  const o = new Order();
  const call = { time: 0, path: 0, status: 0, latency: 0, bytes: 0 };
  const hourEnd = plan2.start + (h + 1) * HOUR4;
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    const u = slot(agg.users, o.user, U_N);
    const s = shopSlot(agg.shops, o.shop);
    u[U_ORDERS]++;
    let failed = 0;
    for (let a = 0; a < o.attempts; a++) if (!(o.status === PAID && a === o.attempts - 1)) failed++;
    u[U_PAY_FAIL] += failed;
    s.v[S_PAY_FAIL] += failed;
    if (o.status === PAID) {
      u[U_PAY_OK]++;
      u[U_VALUE] += o.total;
      if (o.promotion >= 0) {
        u[U_PROMOS]++;
        s.v[S_PROMO_ORDERS]++;
      }
      s.v[S_ORDERS]++;
      s.v[S_REVENUE] += o.total;
      s.v[S_DISCOUNT] += o.discount;
      s.customers.add(o.user);
    }
    if (o.status === ABANDONED) {
      u[U_ABANDONED]++;
      s.v[S_ABANDONED]++;
    }
    for (let i = 0; i < o.itemCount; i++) {
      const prod = o.products[i];
      const q = o.quantities[i];
      const price = o.prices[i];
      const p = slot(agg.products, prod, P_N);
      p[P_CART] += q;
      s.v[S_CART] += q;
      if (o.status === PAID) {
        const restock = restockOf(plan2, o, i);
        p[P_UNITS] += q;
        p[P_REVENUE] += q * price;
        p[P_ORDERS]++;
        if (o.promotion >= 0) p[P_PROMO_UNITS] += q;
        p[P_INV] += restock - q;
        s.v[S_UNITS] += q;
        s.v[S_INV_VALUE] += (restock - q) * price;
        s.products.add(prod);
      }
    }
    const n = Math.min(o.apiRequests, MAX_REQUESTS);
    u[U_API] += n;
    s.v[S_API] += n;
    for (let r = 0; r < n; r++) {
      apiCall(plan2, o, r, hourEnd, call);
      if (call.status >= 400) s.v[S_API_ERR]++;
      s.v[S_API_LAT] += call.latency;
    }
  }
  for (let k = 0; k < plan2.reviews[h]; k++) {
    const r = reviewAt(plan2, h, k, o);
    if (!r) continue;
    slot(agg.users, o.user, U_N)[U_REVIEWS]++;
    const s = shopSlot(agg.shops, o.shop);
    s.v[S_REVIEWS]++;
    s.v[S_RATING] += r.rating;
    const p = slot(agg.products, o.products[r.item], P_N);
    p[P_REVIEWS]++;
    p[P_RATING] += r.rating;
  }
  for (const [prod, p] of agg.products) {
    p[P_VIEWS] = pageViews(plan2, h, prod, p[P_CART]);
    shopSlot(agg.shops, productShop(plan2, prod)).v[S_VIEWS] += p[P_VIEWS];
  }
  return agg;
}
function mergeInto(day, hour) {
  for (const [k, v] of hour.users) {
    const d = slot(day.users, k, U_N);
    for (let i = 0; i < U_N; i++) d[i] += v[i];
  }
  for (const [k, v] of hour.products) {
    const d = slot(day.products, k, P_N);
    for (let i = 0; i < P_N; i++) d[i] += v[i];
  }
  for (const [k, v] of hour.shops) {
    const d = shopSlot(day.shops, k);
    for (let i = 0; i < S_N; i++) d.v[i] += v.v[i];
    for (const c of v.customers) d.customers.add(c);
    for (const p of v.products) d.products.add(p);
  }
}
var cache2 = /* @__PURE__ */ new WeakMap();
var CACHE_HOURS = 26;
function cachedHourAgg(plan2, h) {
  let m = cache2.get(plan2);
  if (!m) {
    m = /* @__PURE__ */ new Map();
    cache2.set(plan2, m);
  }
  const hit = m.get(h);
  if (hit) return hit;
  const agg = hourAgg(plan2, h);
  m.set(h, agg);
  if (m.size > CACHE_HOURS) m.delete(m.keys().next().value);
  return agg;
}
function dayHours(plan2, first) {
  const out = [];
  for (let h = Math.max(0, first); h < Math.min(plan2.hours, first + 24); h++) out.push(h);
  return out;
}
var sortedKeys = (m) => [...m.keys()].sort((a, b) => a - b);
function* buckets(ctx, firstHour, daily, kinds) {
  const { plan: plan2 } = ctx;
  const hours = dayHours(plan2, firstHour);
  const windowEnd = plan2.start + plan2.hours * HOUR4;
  if (daily) {
    const day = newAgg();
    for (const h of hours) mergeInto(day, cachedHourAgg(plan2, h));
    const t = plan2.start + firstHour * HOUR4;
    yield {
      kind: kinds[1],
      hi: Math.floor(t / 864e5),
      time: t,
      end: Math.min(t + 24 * HOUR4, windowEnd),
      agg: day
    };
  } else {
    for (const h of hours) {
      const t = plan2.start + h * HOUR4;
      yield { kind: kinds[0], hi: h, time: t, end: t + HOUR4, agg: cachedHourAgg(plan2, h) };
    }
  }
}
function* userMetrics2(ctx, firstHour, daily) {
  const w = ctx.w;
  for (const b of buckets(ctx, firstHour, daily, [K.userMetricHour, K.userMetricDay])) {
    for (const u of sortedKeys(b.agg.users)) {
      const v = b.agg.users.get(u);
      ctx.head(b.kind, b.hi, u, b.time);
      ctx.id(K.user, 0, u).comma();
      w.uint(v[U_ORDERS]).comma().money(v[U_VALUE]).comma().uint(v[U_PAY_OK]).comma().uint(v[U_PAY_FAIL]).comma();
      w.uint(v[U_REVIEWS]).comma().uint(v[U_PROMOS]).comma().uint(v[U_ABANDONED]).comma().uint(v[U_API]).comma();
      ctx.tail(b.end, b.end, EMPTY2);
      if (w.full) yield w.take();
    }
  }
}
function* shopMetrics2(ctx, firstHour, daily) {
  const w = ctx.w;
  for (const b of buckets(ctx, firstHour, daily, [K.shopMetricHour, K.shopMetricDay])) {
    for (const s of sortedKeys(b.agg.shops)) {
      const a = b.agg.shops.get(s);
      const v = a.v;
      ctx.head(b.kind, b.hi, s, b.time);
      ctx.id(K.shop, 0, s).comma();
      w.uint(v[S_ORDERS]).comma().money(v[S_REVENUE]).comma().uint(a.customers.size).comma();
      w.uint(v[S_UNITS]).comma().uint(a.products.size).comma().uint(v[S_REVIEWS]).comma().uint(v[S_RATING]).comma();
      w.uint(v[S_PROMO_ORDERS]).comma().money(v[S_DISCOUNT]).comma().uint(v[S_ABANDONED]).comma();
      w.uint(v[S_PAY_FAIL]).comma().money(v[S_INV_VALUE]).comma().uint(v[S_VIEWS]).comma().uint(v[S_CART]).comma();
      w.uint(v[S_API]).comma().uint(v[S_API_ERR]).comma().uint(v[S_API_LAT]).comma();
      ctx.tail(b.end, b.end, EMPTY2);
      if (w.full) yield w.take();
    }
  }
}
function* productMetrics2(ctx, firstHour, daily) {
  const { plan: plan2, w } = ctx;
  for (const b of buckets(ctx, firstHour, daily, [K.productMetricHour, K.productMetricDay])) {
    for (const p of sortedKeys(b.agg.products)) {
      const v = b.agg.products.get(p);
      ctx.head(b.kind, b.hi, p, b.time);
      ctx.id(K.product, 0, p).comma();
      ctx.id(K.shop, 0, productShop(plan2, p)).comma();
      w.uint(v[P_UNITS]).comma().money(v[P_REVENUE]).comma().uint(v[P_ORDERS]).comma();
      w.uint(v[P_CART]).comma().uint(v[P_VIEWS]).comma().uint(v[P_REVIEWS]).comma().uint(v[P_RATING]).comma();
      w.uint(v[P_PROMO_UNITS]).comma().int(v[P_INV]).comma().money(productPrice(plan2, p)).comma();
      ctx.tail(b.end, b.end, EMPTY2);
      if (w.full) yield w.take();
    }
  }
}
var METRICS = {
  user_metrics_hourly: (c, first) => userMetrics2(c, first, false),
  user_metrics_daily: (c, first) => userMetrics2(c, first, true),
  shop_metrics_hourly: (c, first) => shopMetrics2(c, first, false),
  shop_metrics_daily: (c, first) => shopMetrics2(c, first, true),
  shop_product_metrics_hourly: (c, first) => productMetrics2(c, first, false),
  shop_product_metrics_daily: (c, first) => productMetrics2(c, first, true)
};

// src/generate/registry.ts
var HOUR5 = 36e5;
var EMPTY3 = jsonPool([{}])[0];
var ENTITY_TYPES = [
  "user",
  "user_payment_method",
  "shop",
  "shop_product",
  "shop_promotion",
  "shop_order",
  "shop_order_item",
  "shop_order_payment",
  "invoice",
  "invoice_payment",
  "shop_review"
];
var TYPE_BYTES = Object.fromEntries(ENTITY_TYPES.map((t) => [t, Buffer.from(t)]));
function* entities(ctx, h) {
  const { plan: plan2 } = ctx;
  for (let u = h === 0 ? 0 : plan2.usersBefore[h]; u < plan2.usersBefore[h + 1]; u++) {
    const t = userTimes(plan2, u);
    yield [K.user, 0, u, "user", t.event, t.created];
    for (let s = 0; s < paymentMethodCount(plan2, u); s++)
      yield [K.paymentMethod, u, s, "user_payment_method", t.event, t.created];
  }
  for (let s = h === 0 ? 0 : plan2.shopsBefore[h]; s < plan2.shopsBefore[h + 1]; s++) {
    const t = shopTimes(plan2, s);
    yield [K.shop, 0, s, "shop", t.event, t.created];
  }
  for (let p = h === 0 ? 0 : plan2.productsBefore[h]; p < plan2.productsBefore[h + 1]; p++) {
    const t = productTimes(plan2, p);
    yield [K.product, 0, p, "shop_product", t.event, t.created];
  }
  for (let i = h === 0 ? 0 : plan2.promotionsBefore[h]; i < plan2.promotionsBefore[h + 1]; i++) {
    const ev = plan2.promoEventTime[i];
    yield [K.promotion, 0, i, "shop_promotion", ev, Math.min(ev, plan2.promoStart[i])];
  }
  const o = new Order();
  const hourEnd = plan2.start + (h + 1) * HOUR5;
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    yield [K.order, h, j, "shop_order", o.time, o.time];
    for (let i = 0; i < o.itemCount; i++)
      yield [K.item, h, j * MAX_ITEMS + i, "shop_order_item", o.time, o.time];
    for (let a = 0; a < o.attempts; a++) {
      const t = o.attemptTime[a];
      yield [K.payment, h, j * MAX_ATTEMPTS + a, "shop_order_payment", t, t];
    }
    if (o.status === PAID) {
      const t = inHour(o.settledTime + 1e3, hourEnd);
      yield [K.invoice, h, j, "invoice", t, t];
      yield [K.invoicePayment, h, j, "invoice_payment", t, t];
    }
  }
  for (let k = 0; k < plan2.reviews[h]; k++) {
    const r = reviewAt(plan2, h, k, o);
    if (r) yield [K.review, h, k, "shop_review", r.time, r.time];
  }
}
function* globalEntity(ctx, h) {
  const w = ctx.w;
  for (const [kind, hi, lo, type, ev, created] of entities(ctx, h)) {
    ctx.id(kind, hi, lo).comma().ts(ev).comma().bytes(ctx.partitionKey).comma();
    w.bytes(TYPE_BYTES[type]).comma();
    ctx.tail(created, ev, EMPTY3);
    if (w.full) yield w.take();
  }
}
var EV = (s) => Buffer.from(s);
var E = {
  signup: EV("user_signed_up"),
  shopOpened: EV("shop_opened"),
  productListed: EV("product_listed"),
  promoStarted: EV("promotion_started"),
  orderPlaced: EV("order_placed"),
  cartAbandoned: EV("cart_abandoned"),
  paymentSucceeded: EV("payment_succeeded"),
  paymentFailed: EV("payment_failed"),
  invoiceIssued: EV("invoice_issued"),
  reviewPosted: EV("review_posted")
};
function* globalEvent(ctx, h) {
  const { plan: plan2, w } = ctx;
  let seq = 0;
  const hourEnd = plan2.start + (h + 1) * HOUR5;
  const emit = (type, entityType, kind, hi, lo, time, user, shop) => {
    ctx.head(K.event, h, seq++, time);
    w.bytes(type).comma().bytes(TYPE_BYTES[entityType]).comma();
    ctx.id(kind, hi, lo).comma();
    if (user >= 0) ctx.id(K.user, 0, user);
    w.comma();
    if (shop >= 0) ctx.id(K.shop, 0, shop);
    w.comma();
    ctx.tail(time, time, EMPTY3);
  };
  for (let u = plan2.usersBefore[h]; u < plan2.usersBefore[h + 1]; u++) {
    emit(E.signup, "user", K.user, 0, u, userTimes(plan2, u).event, u, -1);
    if (w.full) yield w.take();
  }
  for (let s = plan2.shopsBefore[h]; s < plan2.shopsBefore[h + 1]; s++) {
    emit(E.shopOpened, "shop", K.shop, 0, s, shopTimes(plan2, s).event, shopOwner(plan2, s), s);
    if (w.full) yield w.take();
  }
  for (let p = plan2.productsBefore[h]; p < plan2.productsBefore[h + 1]; p++) {
    const s = productShop(plan2, p);
    emit(E.productListed, "shop_product", K.product, 0, p, productTimes(plan2, p).event, -1, s);
    if (w.full) yield w.take();
  }
  for (let i = plan2.promotionsBefore[h]; i < plan2.promotionsBefore[h + 1]; i++) {
    if (creationHour(plan2.promotionsBefore, i) !== h) continue;
    emit(
      E.promoStarted,
      "shop_promotion",
      K.promotion,
      0,
      i,
      plan2.promoEventTime[i],
      -1,
      plan2.promoShop[i]
    );
    if (w.full) yield w.take();
  }
  const o = new Order();
  for (let j = 0; j < plan2.orders[h]; j++) {
    orderAt(plan2, h, j, o);
    emit(
      o.attempts === 0 ? E.cartAbandoned : E.orderPlaced,
      "shop_order",
      K.order,
      h,
      j,
      o.time,
      o.user,
      o.shop
    );
    for (let a = 0; a < o.attempts; a++) {
      const ok = o.status === PAID && a === o.attempts - 1;
      const t = o.attemptTime[a];
      emit(
        ok ? E.paymentSucceeded : E.paymentFailed,
        "shop_order_payment",
        K.payment,
        h,
        j * MAX_ATTEMPTS + a,
        t,
        o.user,
        o.shop
      );
    }
    if (o.status === PAID) {
      emit(
        E.invoiceIssued,
        "invoice",
        K.invoice,
        h,
        j,
        inHour(o.settledTime + 1e3, hourEnd),
        o.user,
        o.shop
      );
    }
    if (w.full) yield w.take();
  }
  for (let k = 0; k < plan2.reviews[h]; k++) {
    const r = reviewAt(plan2, h, k, o);
    if (!r) continue;
    emit(E.reviewPosted, "shop_review", K.review, h, k, r.time, o.user, o.shop);
    if (w.full) yield w.take();
  }
}
var REGISTRY = { global_entity: globalEntity, global_event: globalEvent };

// src/generate/index.ts
var HOUR6 = 36e5;
var GENERATORS = {
  ...REGISTRY,
  ...METRICS,
  ...OPERATIONAL
};
function listChunks(plan2, tables = TABLES.map((t) => t.name)) {
  const out = [];
  for (const t of TABLES) {
    if (!tables.includes(t.name)) continue;
    for (const p of partitionsFor(t, plan2.start, plan2.hours)) out.push({ partition: p, order: p.from });
  }
  return out.map((c, i) => ({ c, i })).sort((a, b) => a.c.order - b.c.order || a.i - b.i).map((x) => x.c);
}
function csvHeader(table) {
  const t = TABLES.find((x) => x.name === table);
  return Buffer.from(`${columnNames(t).join(",")}
`);
}
function* generateChunk(plan2, chunk, opts = {}) {
  const p = chunk.partition;
  if (opts.header !== false) yield csvHeader(p.table.name);
  const ctx = new Ctx(plan2, opts.bufferSize);
  ctx.setPartitionKey(p.key);
  const firstHour = Math.round((p.from - plan2.start) / HOUR6);
  const gen = GENERATORS[p.table.name];
  yield* gen(ctx, firstHour);
  if (ctx.w.length > 0) yield ctx.w.take();
}

// prof.ts
var plan = buildPlan(applyOverrides(loadScenario("black-friday"), { hours: 12 }));
for (let rep = 0; rep < 2; rep++) {
  let n = 0;
  const t0 = performance.now();
  for (const c of listChunks(plan)) for (const b of generateChunk(plan, c, { header: false })) n += b.length;
  console.log(n, performance.now() - t0);
}
