import { ReactFlowProvider } from "@xyflow/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EditorApp } from "../src/editor/EditorApp";
import { functionPreset, readPreset } from "../src/editor/functionPalette";
import { Palette } from "../src/editor/Palette";
import type { FunctionSummary } from "../src/types";
import { leadFlow, NODE_TYPE_LIST } from "./fixtures";

const FUNCTIONS: FunctionSummary[] = [
  { id: "fn_2", name: "validateCustomerData", kind: "code", description: "Checks the email", spec: { language: "python", source: "…" } },
  {
    id: "fn_1",
    name: "researchCompany",
    kind: "ai",
    spec: { prompt: "Research {{ input.company }}", input_schema: { type: "object", properties: { company: { type: "string" }, country: {} } } },
  },
  { id: "fn_3", name: "slack.postMessage", kind: "http", spec: { method: "POST", url: "https://slack.example/post" } },
];

describe("a function's palette preset", () => {
  it("names the node and the function; a declared input schema gives the input its shape", () => {
    expect(functionPreset(FUNCTIONS[0]!)).toEqual({
      name: "validateCustomerData",
      config: { function: "validateCustomerData", input: "{{ input }}" },
    });
    expect(functionPreset(FUNCTIONS[1]!).config.input).toEqual({ company: "{{ input.company }}", country: "{{ input.country }}" });
  });

  it("reads a preset back from drag data, and nothing else", () => {
    const preset = functionPreset(FUNCTIONS[2]!);
    expect(readPreset(JSON.stringify(preset))).toEqual(preset);
    expect(readPreset("")).toBeNull();
    expect(readPreset("{not json")).toBeNull();
    expect(readPreset('{"name": "x", "config": [1]}')).toBeNull();
  });
});

describe("the palette's Functions group", () => {
  it("lists the project's functions by name with their kind, and search finds them", () => {
    render(<Palette nodeTypes={NODE_TYPE_LIST} functions={FUNCTIONS} onAdd={() => undefined} />);
    const group = screen.getByTestId("palette-functions");
    expect(group.querySelector("h2")!.textContent).toBe("Functions");
    const names = [...group.querySelectorAll("[data-testid^=palette-function-]")].map((el) => el.getAttribute("data-testid"));
    expect(names).toEqual(["palette-function-researchCompany", "palette-function-slack.postMessage", "palette-function-validateCustomerData"]);
    expect(screen.getByTestId("palette-function-researchCompany").textContent).toContain("AI function");

    fireEvent.change(screen.getByLabelText("Search nodes"), { target: { value: "email" } });
    expect([...document.querySelectorAll("[data-testid^=palette-function-]")].map((el) => el.textContent)).toEqual([
      expect.stringContaining("validateCustomerData"),
    ]);
    fireEvent.change(screen.getByLabelText("Search nodes"), { target: { value: "http function" } });
    expect(screen.getByTestId("palette-function-slack.postMessage")).toBeTruthy();
    expect(screen.queryByTestId("palette-function-researchCompany")).toBeNull();
    expect(screen.queryByTestId("palette-item-http.request")).toBeNull(); // no node type says "function" and "http"
  });

  it("offers to write a function when the project has none, and drags a preset with the node type", () => {
    const { unmount } = render(<Palette nodeTypes={NODE_TYPE_LIST} functions={[]} onAdd={() => undefined} />);
    expect(screen.getByTestId("palette-functions").querySelector("a")!.getAttribute("href")).toBe("/functions/new/?kind=code");
    unmount();

    const onAdd = vi.fn();
    render(<Palette nodeTypes={NODE_TYPE_LIST} functions={FUNCTIONS} onAdd={onAdd} />);
    const data = new Map<string, string>();
    fireEvent.dragStart(screen.getByTestId("palette-function-researchCompany"), {
      dataTransfer: { setData: (k: string, v: string) => data.set(k, v), effectAllowed: "" },
    });
    expect(data.get("application/x-flowbuilder-node-type")).toBe("function.call");
    expect(readPreset(data.get("application/x-flowbuilder-node-preset")!)).toEqual(functionPreset(FUNCTIONS[1]!));
    fireEvent.click(screen.getByTestId("palette-add-function-slack.postMessage"));
    expect(onAdd).toHaveBeenCalledWith(expect.objectContaining({ type: "function.call" }), functionPreset(FUNCTIONS[2]!));
  });

  it("has no Functions group where the server has no function.call node", () => {
    render(<Palette nodeTypes={NODE_TYPE_LIST.filter((t) => t.type !== "function.call")} functions={FUNCTIONS} onAdd={() => undefined} />);
    expect(screen.queryByTestId("palette-functions")).toBeNull();
  });
});

/** The public API as the editor sees it: node types, one workflow, the project's functions, saves. */
function fakeApi() {
  const saves: { definition: { nodes: { id: string; type: string; name: string; config: unknown }[] } }[] = [];
  const ok = (data: unknown) => new Response(JSON.stringify({ success: true, data }), { status: 200 });
  const workflow = { id: "wf_1", name: "Lead routing", description: "", status: "draft", definition: leadFlow(), published_version: null, problems: [] };
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      if (url.endsWith("/node-types")) return ok(NODE_TYPE_LIST);
      if (url.startsWith("/api/v1/functions?")) return ok(FUNCTIONS);
      if (url.includes("/validate")) return ok({ valid: true, problems: [] });
      if (init.method === "PATCH") saves.push(JSON.parse(String(init.body)));
      if (url.startsWith("/api/v1/workflows/wf_1")) return ok(workflow);
      return new Response(JSON.stringify({ success: false, error: { code: "NOT_FOUND", message: "nope" } }), { status: 404 });
    }),
  );
  return saves;
}

describe("functions in the editor", () => {
  beforeEach(() => {
    document.cookie = "csrftoken=tok123";
  });
  afterEach(() => vi.unstubAllGlobals());

  it("drops a function as a function.call node preset with its name and input, and saves it", async () => {
    const saves = fakeApi();
    render(
      <ReactFlowProvider>
        <EditorApp workflowId="wf_1" canEdit wsUrl="/ws/executions/" />
      </ReactFlowProvider>,
    );
    const entry = await screen.findByTestId("palette-function-researchCompany");
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? "", effectAllowed: "", dropEffect: "" };
    fireEvent.dragStart(entry, { dataTransfer });
    fireEvent.drop(screen.getByTestId("canvas"), { dataTransfer, clientX: 400, clientY: 300 });

    await waitFor(() => expect(screen.getByTestId("node-call")).toBeTruthy());
    expect(screen.getByTestId("node-call").textContent).toContain("researchCompany");
    await waitFor(() => expect(saves.length).toBeGreaterThan(0), { timeout: 15_000 });
    const node = saves.at(-1)!.definition.nodes.find((n) => n.id === "call")!;
    expect(node).toMatchObject({ type: "function.call", name: "researchCompany", config: functionPreset(FUNCTIONS[1]!).config });
    // The settings panel opens on it, its function picked.
    await waitFor(() => expect((screen.getByTestId("field-function") as HTMLSelectElement).value).toBe("researchCompany"));
  });
});
