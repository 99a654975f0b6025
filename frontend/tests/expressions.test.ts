import { describe, expect, it } from "vitest";
import { expressionSuggestions, hasExpression, insertSuggestion, tokenizeExpression, upstreamNodeIds } from "../src/expressions";
import { leadFlow } from "./fixtures";

const flow = leadFlow();
const nodes = flow.nodes.map((n) => ({ id: n.id, name: n.name }));

describe("expression suggestions", () => {
  it("lists only nodes upstream of the edited one", () => {
    expect(upstreamNodeIds("notify", flow.edges).sort()).toEqual(["check", "start"]);
    expect(upstreamNodeIds("give_up", flow.edges).sort()).toEqual(["check", "notify", "start"]);
    expect(upstreamNodeIds("start", flow.edges)).toEqual([]);
  });

  it("never offers a sibling branch or a downstream node", () => {
    const paths = expressionSuggestions("log", nodes, flow.edges, {}).map((s) => s.path);
    expect(paths).toContain("steps.check.output");
    expect(paths).not.toContain("steps.notify.output");
    expect(paths).not.toContain("steps.give_up.output");
    expect(paths).not.toContain("steps.log.output");
  });

  it("offers input, trigger, each variable and each upstream step output", () => {
    expect(expressionSuggestions("notify", nodes, flow.edges, flow.variables)).toEqual([
      { path: "input", detail: "Output of the previous node" },
      { path: "trigger", detail: "Payload that started the run" },
      { path: "vars.team", detail: "Workflow variable" },
      { path: "vars.threshold", detail: "Workflow variable" },
      { path: "steps.check.output", detail: "Output of “Big?”" },
      { path: "steps.start.output", detail: "Output of “New lead”" },
    ]);
  });

  it("terminates on a cycle", () => {
    const edges = [
      { source: "a", target: "b" },
      { source: "b", target: "a" },
    ];
    expect(upstreamNodeIds("a", edges)).toEqual(["b"]);
  });
});

describe("expression text", () => {
  it("splits literal text from {{ }} runs for highlighting", () => {
    expect(tokenizeExpression("Hi {{ trigger.name }}!")).toEqual([
      { text: "Hi ", expression: false },
      { text: "{{ trigger.name }}", expression: true },
      { text: "!", expression: false },
    ]);
    expect(tokenizeExpression("a {{ open")).toEqual([
      { text: "a ", expression: false },
      { text: "{{ open", expression: true },
    ]);
    expect(hasExpression("{{ x }}")).toBe(true);
    expect(hasExpression("plain")).toBe(false);
  });

  it("inserts a whole expression outside braces and completes an open one", () => {
    expect(insertSuggestion("Hello ", 6, "trigger.name")).toEqual({ text: "Hello {{ trigger.name }}", cursor: 24 });
    expect(insertSuggestion("Hello {{ tri", 12, "trigger")).toEqual({ text: "Hello {{ trigger }}", cursor: 19 });
    expect(insertSuggestion("{{  }} x", 3, "input").text).toBe("{{ input }} x");
  });
});
