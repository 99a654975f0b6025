/** The function page's test panel, as plain logic: parse the sample input, describe a result. */
import type { JsonValue } from "../types";

export interface TestResult {
  ok: boolean;
  output?: JsonValue;
  error?: { code?: string; message?: string; line?: number };
  logs: string[];
  duration_ms: number;
  limits_hit: string[];
  version: number;
}

export type Parsed = { ok: true; value: JsonValue } | { ok: false; message: string };

/** The sample input box: empty means `{}`; anything else must be JSON. */
export function parseSampleInput(text: string): Parsed {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { ok: false, message: `The sample input is not JSON: ${(error as Error).message}` };
  }
}

/** `line 3: invalid syntax` (the API's 400 for a source that does not compile) → 3. */
export function errorLine(message: string | null | undefined): number | null {
  const match = /^line (\d+):/.exec(message ?? "");
  return match ? Number(match[1]) : null;
}

const LIMIT_LABELS: Record<string, string> = {
  wall_clock: "time limit (wall clock)",
  cpu: "CPU limit",
  memory: "memory limit",
  output: "output size limit",
};

export interface ResultView {
  status: "ok" | "failed";
  headline: string;
  body: string;
  logs: string;
  limits: string[];
  line: number | null;
}

/** What the panel shows for one test call: a headline, the output or error, logs, limits hit. */
export function describeResult(result: TestResult): ResultView {
  const limits = (result.limits_hit ?? []).map((limit) => LIMIT_LABELS[limit] ?? limit);
  const took = `${Math.round(result.duration_ms ?? 0)} ms, version ${result.version}`;
  const logs = (result.logs ?? []).join("\n");
  if (result.ok) {
    return {
      status: "ok",
      headline: `Succeeded in ${took}`,
      body: JSON.stringify(result.output ?? null, null, 2),
      logs,
      limits,
      line: null,
    };
  }
  const error = result.error ?? {};
  const line = typeof error.line === "number" ? error.line : errorLine(error.message);
  const where = line ? ` (line ${line})` : "";
  return {
    status: "failed",
    headline: `Failed${where} in ${took}${error.code ? ` — ${error.code}` : ""}`,
    body: error.message ?? "The function failed without a message.",
    logs,
    limits,
    line,
  };
}
