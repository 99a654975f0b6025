import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { EditorState } from "@codemirror/state";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProblemsList } from "../src/editor/ProblemsList";
import { lineDiagnostic } from "../src/functions/codeEditor";
import { describeResult, errorLine, parseSampleInput } from "../src/functions/testPanel";
import { fieldKind } from "../src/settings/fieldKind";
import { clearPickerCache } from "../src/settings/PickerFields";
import { SchemaForm } from "../src/settings/SchemaForm";
import type { JsonObject, JsonSchema } from "../src/types";
import { nodeType } from "./fixtures";

afterEach(() => {
  vi.unstubAllGlobals();
  clearPickerCache();
});

describe("the function page's test panel", () => {
  it("reads the sample input as JSON, empty as {}", () => {
    expect(parseSampleInput("")).toEqual({ ok: true, value: {} });
    expect(parseSampleInput('{"n": 2}')).toEqual({ ok: true, value: { n: 2 } });
    const bad = parseSampleInput("{n: 2}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/not JSON/);
  });

  it("finds the line of the API's syntax error", () => {
    expect(errorLine("line 3: invalid syntax")).toBe(3);
    expect(errorLine("no function")).toBeNull();
    expect(errorLine(undefined)).toBeNull();
  });

  it("describes a success with its output, logs, duration and version", () => {
    const view = describeResult({ ok: true, output: { total: 6 }, logs: ["hi"], duration_ms: 41.6, limits_hit: [], version: 2 });
    expect(view.status).toBe("ok");
    expect(view.headline).toBe("Succeeded in 42 ms, version 2");
    expect(JSON.parse(view.body)).toEqual({ total: 6 });
    expect(view.logs).toBe("hi");
    expect(view.line).toBeNull();
  });

  it("describes a failure with its code, line and the limits hit", () => {
    const view = describeResult({
      ok: false,
      error: { code: "FUNCTION_ERROR", message: "ValueError: bad order", line: 4 },
      logs: [],
      duration_ms: 12,
      limits_hit: ["wall_clock", "memory"],
      version: 1,
    });
    expect(view.status).toBe("failed");
    expect(view.headline).toBe("Failed (line 4) in 12 ms, version 1 — FUNCTION_ERROR");
    expect(view.body).toBe("ValueError: bad order");
    expect(view.limits).toEqual(["time limit (wall clock)", "memory limit"]);
    expect(view.line).toBe(4);
  });

  it("marks a line inside the document, clamped to its lines", () => {
    const state = EditorState.create({ doc: "def main(input, ctx):\n    return 1 +\n" });
    const mark = lineDiagnostic(state, 2, "invalid syntax");
    expect(state.doc.sliceString(mark.from, mark.to)).toBe("    return 1 +");
    expect(lineDiagnostic(state, 99, "x").from).toBe(state.doc.line(state.doc.lines).from);
  });
});

describe("the function.call node's function picker", () => {
  const schema = nodeType("function.call").config_schema;

  it("is the kind of field marked x-function", () => {
    const props = schema.properties as Record<string, JsonSchema>;
    expect(fieldKind(props.function!)).toBe("function");
  });

  it("offers the project's functions by name and sets the name", async () => {
    const fetchMock = vi.fn(async (_url: string) => ({
      ok: true,
      status: 200,
      json: async () => ({ success: true, data: [{ id: "fn_1", name: "double", kind: "code" }, { id: "fn_2", name: "research", kind: "ai" }] }),
    }));
    vi.stubGlobal("fetch", fetchMock);
    const changes: JsonObject[] = [];
    function Harness() {
      const [config, setConfig] = useState<JsonObject>({});
      return (
        <SchemaForm nodeId="call" schema={schema} config={config} suggestions={[]}
          onChange={(next) => { changes.push(next); setConfig(next); }} />
      );
    }
    render(<Harness />);
    const select = (await screen.findByTestId("field-function")) as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/v1/functions?limit=100");
    expect([...select.options].map((option) => option.textContent)).toEqual(["— no function —", "double (code)", "research (AI)"]);
    fireEvent.change(select, { target: { value: "double" } });
    expect(changes.at(-1)?.function).toBe("double");
  });
});

describe("a missing function's problem", () => {
  it("links to the new function page with its action's label", () => {
    const href = "/functions/new/?kind=code&name=validateCustomerData";
    render(
      <ProblemsList
        onFocusNode={() => undefined}
        problems={[{
          nodeId: "call", nodeName: "Call",
          problem: { path: "nodes[1].config.function", code: "UNKNOWN_FUNCTION", message: "no function", link: href,
            action: { label: "Create function validateCustomerData", href } },
        }]}
      />,
    );
    const link = screen.getByTestId("problem-link");
    expect(link.textContent).toBe("Create function validateCustomerData");
    expect(link.getAttribute("href")).toBe(href);
  });
});

describe("completion in the code editor", () => {
  const names = [
    { name: "validateCustomerData", kind: "code" },
    { name: "slack.postMessage", kind: "http" },
    { name: "orderTotal", kind: "code" },
  ];

  async function complete(doc: string, self: string | null = "orderTotal") {
    const { CompletionContext } = await import("@codemirror/autocomplete");
    const { ctxCompletions } = await import("../src/functions/completions");
    const state = EditorState.create({ doc });
    const result = await ctxCompletions(() => names, self)(new CompletionContext(state, doc.length, false));
    return result && { from: result.from, labels: result.options.map((o) => o.label) };
  }

  it("offers the project's other functions inside ctx.call(\"…\") and after ctx.api.", async () => {
    const call = 'def main(input, ctx):\n    return ctx.call("sl';
    expect(await complete(call)).toEqual({ from: call.length - 2, labels: ["validateCustomerData", "slack.postMessage"] });
    const api = "    ctx.api.";
    expect(await complete(api)).toEqual({ from: api.length, labels: ["validateCustomerData", "slack.postMessage"] });
  });

  it("offers ctx's members after ctx., and nothing elsewhere", async () => {
    expect((await complete("    ctx.l"))!.labels).toEqual(["log", "call", "api", "http", "credentials"]);
    expect(await complete("    input.")).toBeNull();
    expect(await complete('    print("ctx')).toBeNull();
  });
});
