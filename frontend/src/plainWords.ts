/** Words a builder reads: field labels, option labels and the "fill in either" hint (issue 16, item 5). */
import type { JsonSchema, JsonValue } from "./types";

/** Written in capitals wherever a label is built from a key; the engine's plain_words.py has the same list. */
const ACRONYMS: Record<string, string> = {
  ai: "AI", api: "API", bcc: "BCC", cc: "CC", csv: "CSV", dns: "DNS", hmac: "HMAC", html: "HTML",
  http: "HTTP", https: "HTTPS", id: "ID", ids: "IDs", ip: "IP", json: "JSON", jwt: "JWT", llm: "LLM",
  oauth: "OAuth", smtp: "SMTP", sql: "SQL", ssl: "SSL", tls: "TLS", uri: "URI", url: "URL", urls: "URLs", utc: "UTC",
};

/** `url` → "URL", `http_method` → "HTTP method", `timeout_seconds` → "Timeout seconds". */
export function humanize(key: string): string {
  const words = key.split(/[_\-\s]+/).filter(Boolean);
  if (words.length === 0) return key;
  return words
    .map((word, index) => {
      const acronym = ACRONYMS[word.toLowerCase()];
      if (acronym) return acronym;
      const lower = index === 0 ? word : word.toLowerCase();
      return index === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    })
    .join(" ");
}

/** A field's label: the schema's `title` when it has one, else its key in words. */
export function fieldLabel(name: string, schema?: JsonSchema): string {
  return typeof schema?.title === "string" ? schema.title : humanize(name);
}

/** How an option of a select reads: the schema's `x-enum-labels` (operators as words), else the value. */
export function optionLabel(value: JsonValue, schema: JsonSchema): string {
  const labels = schema["x-enum-labels"];
  if (typeof value === "string" && labels && typeof labels === "object" && value in labels) {
    return String((labels as Record<string, unknown>)[value]);
  }
  return String(value);
}

function joinWords(words: string[], last: string): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${last} ${words.at(-1)}`;
}

/** For a schema whose `oneOf` alternatives each require fields: "Fill in either Condition, or Left and Operator." */
export function alternativesHint(schema: JsonSchema): string | null {
  const options = (schema.oneOf ?? []).map((option) => option.required ?? []).filter((names) => names.length > 0);
  if (options.length < 2) return null;
  const words = options.map((names) => joinWords(names.map((name) => fieldLabel(name, schema.properties?.[name])), "and"));
  return `Fill in either ${words.slice(0, -1).join(", ")}, or ${words.at(-1)}.`;
}

/** Where in a node a problem is, in words: `nodes[1].config.url` → "URL"; `nodes[1].retry.max_attempts` → "Retry: Max attempts". */
export function problemPlace(path: string, schema?: JsonSchema): string | null {
  const config = /\.config\.([A-Za-z0-9_]+)/.exec(path);
  if (config?.[1]) return fieldLabel(config[1], schema?.properties?.[config[1]]);
  const retry = /\.retry\.([A-Za-z0-9_]+)/.exec(path);
  if (retry?.[1]) return `Retry: ${humanize(retry[1])}`;
  if (/\.config$/.test(path)) return "Settings";
  const settings = /^settings\.([A-Za-z0-9_]+)/.exec(path);
  if (settings?.[1]) return `Workflow settings: ${humanize(settings[1])}`;
  return null;
}
