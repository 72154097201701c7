// Checks REST answers against the server's own OpenAPI 3.1 document (GET /api/openapi.json), so
// that the document and the server cannot drift apart: the helpers in client.mjs and raw.mjs call
// checkResponse for every REST answer they get, and a status the document does not give that
// path and method, another content type, or a body that does not match the schema fails the test.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const DOC_ID = "https://ghostrooms.invalid/openapi.json";
/** "<METHOD> <template> <status>" of every answer checked so far in this process (for coverage). */
export const seen = new Set();
/** Per server: a promise of its checker (the document is fetched once per server). */
const checkers = new WeakMap();

/** The compiled document of a server, fetched on first use. */
export function openapiOf(server) {
  let checker = checkers.get(server);
  if (!checker) {
    checker = fetch(server.url + "/api/openapi.json").then(async (res) => {
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}: ${text.slice(0, 300)}`);
      return new Checker(JSON.parse(text));
    });
    checkers.set(server, checker);
    // A failed fetch is not cached: the next call tries again (and fails its test the same way).
    checker.catch(() => checkers.delete(server));
  }
  return checker;
}

/** For the tests of this check: answers of `server` are checked against `doc`, not the served one. */
export function useDocument(server, doc) {
  checkers.set(server, Promise.resolve(new Checker(doc)));
}

/**
 * Throws (an Error naming the request, the status and what is wrong) unless the document gives
 * `method` on `path` (a concrete path, with or without a query, or a template of the document)
 * an answer with this status and content type whose schema the body matches. `body` is the
 * parsed JSON, its text, or undefined/null when there is none (HEAD). Non-JSON answers (files,
 * metrics) are checked by status and content type only. Resolves with what matched.
 */
export async function checkResponse(server, method, path, status, contentType, body) {
  const matched = (await openapiOf(server)).check(method, path, status, contentType, body);
  seen.add(`${matched.where} ${matched.status}`);
  return matched;
}

const segmentsOf = (path) => path.split("?")[0].split("/").filter((s) => s !== "").map((s) => {
  try { return decodeURIComponent(s.replace(/\+/g, "%2B")); } catch { return s; }
});
const isParam = (segment) => /^\{[^}]+\}$/.test(segment);
const mediaTypeOf = (contentType) => (contentType ?? "").split(";")[0].trim().toLowerCase();
const isJson = (mediaType) => mediaType === "application/json" || mediaType.endsWith("+json");
const short = (value, n = 300) => {
  const s = typeof value === "string" ? value : JSON.stringify(value);
  return s === undefined ? String(value) : s.length > n ? `${s.slice(0, n)}…` : s;
};

export class Checker {
  constructor(doc) {
    this.doc = doc;
    this.ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(this.ajv);
    // components.schemas under one id, every "#/components/schemas/X" pointing there.
    this.ajv.addSchema({ $id: DOC_ID, $defs: this.rewrite(doc.components?.schemas ?? {}) });
    this.compiled = new Map();
    this.templates = Object.keys(doc.paths).map((template) => ({ template, segments: segmentsOf(template) }));
  }

  rewrite(schema) {
    if (Array.isArray(schema)) return schema.map((s) => this.rewrite(s));
    if (schema === null || typeof schema !== "object") return schema;
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k,
      k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")
        ? `${DOC_ID}#/$defs/${v.slice("#/components/schemas/".length)}` : this.rewrite(v)]));
  }

  /** The node a local "#/…" reference points at. */
  resolve(node) {
    if (!node?.$ref) return node;
    return node.$ref.slice(2).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((at, key) => at?.[key], this.doc);
  }

  /** The document's path template for a concrete path (literal segments win over templated ones). */
  templateOf(path) {
    if (this.doc.paths[path]) return path;
    const segments = segmentsOf(path);
    const matches = this.templates
      .filter((t) => t.segments.length === segments.length && t.segments.every((s, i) => isParam(s) || s === segments[i]))
      .map((t) => ({ ...t, literals: t.segments.filter((s) => !isParam(s)).length }))
      .sort((a, b) => b.literals - a.literals);
    return matches[0]?.template ?? null;
  }

  /** Where the answers of this request are documented: an operation's, or x-unrouted-responses. */
  responsesFor(method, path) {
    const m = method.toUpperCase();
    const template = this.templateOf(path);
    const item = template && this.doc.paths[template];
    const operation = item && m !== "OPTIONS" ? item[m === "HEAD" ? "get" : m.toLowerCase()] : undefined;
    if (operation) return { where: `${m} ${template}`, template, responses: operation.responses };
    // No operation: an unknown path (404), a method the path does not serve (405), a preflight (204).
    const unrouted = this.doc["x-unrouted-responses"] ?? {};
    const drop = m === "OPTIONS" ? ["404", "405"] : template ? ["204", "404"] : ["204", "405"];
    if (!segmentsOf(path).length || segmentsOf(path)[0] !== "api") drop.push("413");
    const responses = Object.fromEntries(Object.entries(unrouted).filter(([status]) => !drop.includes(status)));
    const why = m === "OPTIONS" ? "preflight" : template ? `method not served by ${template}` : "unknown path";
    return { where: `${m} ${path.split("?")[0]} (${why}: x-unrouted-responses)`, template, responses };
  }

  check(method, path, status, contentType, body) {
    const { where, template, responses } = this.responsesFor(method, path);
    const fail = (what) => {
      throw new Error(`OpenAPI: ${method} ${short(path, 120)} answered ${status} ${contentType ?? "(no content type)"}, `
        + `${what} [documented as ${where}; body: ${short(body)}]`);
    };
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => responses?.[k]);
    if (!key) fail(`a status not documented (documented: ${Object.keys(responses ?? {}).join(", ") || "none"})`);
    const response = this.resolve(responses[key]);
    const bodiless = method.toUpperCase() === "HEAD";
    if (!response.content) {
      if (!bodiless && body !== undefined && body !== null && body !== "") fail("a body where the document has none");
      return { where, template, status: key };
    }
    const mediaType = mediaTypeOf(contentType);
    const mediaKey = Object.keys(response.content).find((k) => k.toLowerCase() === mediaType)
      ?? Object.keys(response.content).find((k) => k.endsWith("/*") && mediaType.startsWith(k.slice(0, -1)))
      ?? (response.content["*/*"] ? "*/*" : undefined);
    if (!mediaKey) fail(`a content type not documented (documented: ${Object.keys(response.content).join(", ")})`);
    const schema = response.content[mediaKey].schema;
    if (bodiless || !isJson(mediaType) || !schema) return { where, template, status: key, mediaType: mediaKey };
    let value = body;
    if (typeof body === "string" || Buffer.isBuffer(body)) {
      try { value = JSON.parse(body.toString()); } catch { fail("a body that is not JSON"); }
    }
    if (value === undefined || value === null) fail("no JSON body");
    const id = `${where} ${key} ${mediaKey}`;
    let validate = this.compiled.get(id);
    if (!validate) {
      validate = this.ajv.compile(this.rewrite(schema));
      this.compiled.set(id, validate);
    }
    if (!validate(value)) {
      const errors = validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`);
      fail(`a body that does not match the schema: ${errors.slice(0, 8).join("; ")}`);
    }
    return { where, template, status: key, mediaType: mediaKey };
  }
}
