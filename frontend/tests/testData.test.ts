import { describe, expect, it } from "vitest";
import { definitionToFlow, flowToDefinition, normalizeDefinition } from "../src/mapping";
import { parsePin, pinFromRun, previewLine, wantsPreview, withPin } from "../src/testData";
import type { Definition, Execution } from "../src/types";

const definition: Definition = {
  nodes: [
    { id: "start", type: "trigger.manual", name: "Start", config: {}, position: { x: 0, y: 0 } },
    { id: "check", type: "logic.if", name: "Check", config: {}, position: { x: 300, y: 0 } },
  ],
  edges: [{ id: "e1", source: "start", source_port: "out", target: "check" }],
  variables: {},
  settings: {},
  pinned: { check: { output: { total: 5 }, port: "false" } },
};

function run(steps: Execution["steps"]): Execution {
  return { id: "exec_1", workflow_id: "wf_1", version: null, status: "completed", steps };
}

describe("pinned data in the definition", () => {
  it("survives the canvas round trip", () => {
    expect(normalizeDefinition(definition)).toEqual(definition);
  });

  it("goes with its node when the node is deleted, and leaves no key behind", () => {
    const flow = definitionToFlow(definition);
    const back = flowToDefinition(flow.nodes.filter((n) => n.id !== "check"), [], flow.extras);
    expect(back).not.toHaveProperty("pinned");
  });
});

describe("pinning", () => {
  it("takes the last succeeded attempt's output and port from a run", () => {
    const execution = run([
      { step_key: "check", node_id: "check", status: "failed", attempt: 1, output: null },
      { step_key: "check", node_id: "check", status: "succeeded", attempt: 2, output: { ok: 1 }, output_port: "true" },
      { step_key: "loop[0]/check", node_id: "check", status: "succeeded", attempt: 1, output: { ok: 2 } },
    ]);
    expect(pinFromRun(execution, "check")).toEqual({ output: { ok: 1 }, port: "true" });
    expect(pinFromRun(execution, "start")).toBeNull();
    expect(pinFromRun(null, "check")).toBeNull();
  });

  it("never pins a truncated preview", () => {
    const output = { $truncated: { bytes: 9_000_000, preview: "{", url: "/x" } };
    expect(pinFromRun(run([{ step_key: "check", node_id: "check", status: "succeeded", attempt: 1, output }]), "check")).toBeNull();
  });

  it("reads typed JSON, and says plainly when it is not JSON", () => {
    expect(parsePin('[1, "a"]')).toEqual({ ok: true, pin: { output: [1, "a"] } });
    const bad = parsePin("{status: 200}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^This is not valid JSON/);
    expect(parsePin("  ").ok).toBe(false);
  });

  it("pins and unpins without touching the other pins", () => {
    const pins = { a: { output: 1 } };
    expect(withPin(pins, "b", { output: 2 })).toEqual({ a: { output: 1 }, b: { output: 2 } });
    expect(withPin(pins, "a", null)).toEqual({});
    expect(pins).toEqual({ a: { output: 1 } });
  });
});

describe("the expression preview line", () => {
  it("previews only text holding an expression", () => {
    expect(wantsPreview("Hello {{ input.name }}")).toBe(true);
    expect(wantsPreview("Hello {{ input")).toBe(false);
    expect(wantsPreview("plain")).toBe(false);
  });

  it("shows text as is, other values as JSON, errors and the lack of data in words", () => {
    expect(previewLine({ value: "Hi Ada", error: null, data_from: "run", execution_id: "e" }).text).toBe("Hi Ada  · from the last run");
    expect(previewLine({ value: { a: [1, true] }, error: null, data_from: "pinned", execution_id: null }).text).toBe('{"a":[1,true]}  · from pinned data');
    expect(previewLine({ value: null, error: "Amount is missing", data_from: "run", execution_id: "e" })).toEqual({ kind: "error", text: "Amount is missing" });
    expect(previewLine({ value: null, error: null, data_from: "none", execution_id: null }).kind).toBe("empty");
  });
});
