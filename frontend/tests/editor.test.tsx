import { ReactFlowProvider } from "@xyflow/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EditorApp } from "../src/editor/EditorApp";
import { leadFlow, NODE_TYPE_LIST } from "./fixtures";

interface Call {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A fake of the public API: node types, one workflow, saves and validation. */
function fakeApi(problemsAfterSave: unknown[] = [], definition: unknown = leadFlow()) {
  const calls: Call[] = [];
  const ok = (data: unknown) => new Response(JSON.stringify({ success: true, data }), { status: 200 });
  const workflow = { id: "wf_1", name: "Lead routing", description: "", status: "draft", definition, published_version: null, problems: [] };
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : null, headers: (init.headers ?? {}) as Record<string, string> });
    if (url.endsWith("/node-types")) return ok(NODE_TYPE_LIST);
    if (url.includes("/validate")) return ok({ valid: problemsAfterSave.length === 0, problems: problemsAfterSave });
    if (url.startsWith("/api/v1/workflows/wf_1")) return ok(workflow);
    return new Response(JSON.stringify({ success: false, error: { code: "NOT_FOUND", message: "nope" } }), { status: 404 });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

function renderEditor(canEdit: boolean) {
  return render(
    <div id="editor-root">
      <ReactFlowProvider>
        <EditorApp workflowId="wf_1" canEdit={canEdit} wsUrl="/ws/executions/" />
      </ReactFlowProvider>
    </div>,
  );
}

beforeEach(() => {
  document.cookie = "csrftoken=tok123";
});
afterEach(() => vi.unstubAllGlobals());

describe("the editor page", () => {
  it("shows the palette, the flow's nodes and the builder's controls to an editor", async () => {
    fakeApi();
    renderEditor(true);
    await waitFor(() => expect(screen.getByTestId("node-notify")).toBeTruthy());
    expect(screen.getByTestId("palette-item-http.request")).toBeTruthy();
    expect(screen.getByTestId("run-button")).toBeTruthy();
    expect(screen.getByTestId("publish-button")).toBeTruthy();
    expect(screen.getByTestId("save-status").textContent).toBe("All changes saved");
    expect(screen.getByTestId("node-notify").getAttribute("data-status")).toBe("idle");
  });

  it("shows a viewer the flow with no palette, no editing and no run or publish", async () => {
    fakeApi();
    renderEditor(false);
    await waitFor(() => expect(screen.getByTestId("node-notify")).toBeTruthy());
    expect(screen.queryByTestId("palette")).toBeNull();
    expect(screen.queryByTestId("run-button")).toBeNull();
    expect(screen.queryByTestId("publish-button")).toBeNull();
    expect(screen.queryByTestId("save-status")).toBeNull();
    expect(screen.getByTestId("versions-button")).toBeTruthy();
  });

  it("saves edited workflow variables with the draft", async () => {
    const calls = fakeApi();
    renderEditor(true);
    await waitFor(() => expect(screen.getByTestId("field-variables")).toBeTruthy());
    fireEvent.change(screen.getByTestId("field-variables"), { target: { value: '{"threshold": 500}' } });
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true), { timeout: 15_000 });
    const saved = calls.find((c) => c.method === "PATCH")!.body as { definition: { variables: unknown } };
    expect(saved.definition.variables).toEqual({ threshold: 500 });
  });

  it("lays out a definition whose nodes have no positions", async () => {
    const stacked = leadFlow();
    stacked.nodes = stacked.nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } }));
    fakeApi([], stacked);
    renderEditor(false);
    await waitFor(() => expect(screen.getByTestId("node-notify")).toBeTruthy());
    const transforms = new Set(
      [...document.querySelectorAll(".react-flow__node")].map((node) => (node as HTMLElement).style.transform),
    );
    expect(transforms.size).toBe(stacked.nodes.length);
  });

  it("adds a palette node on Enter or Add, never on a plain click of the card", async () => {
    fakeApi([]);
    renderEditor(true);
    await waitFor(() => expect(screen.getByTestId("node-notify")).toBeTruthy());
    const before = document.querySelectorAll(".react-flow__node").length;
    fireEvent.click(screen.getByTestId("palette-item-data.set"));
    expect(document.querySelectorAll(".react-flow__node").length).toBe(before);
    fireEvent.keyDown(screen.getByTestId("palette-item-data.set"), { key: "Enter" });
    await waitFor(() => expect(document.querySelectorAll(".react-flow__node").length).toBe(before + 1));
  });

  it("autosaves an edit as a draft, then shows the server's problems on the node and in the list", async () => {
    const problems = [{ path: "nodes[2].config.url", code: "REQUIRED", message: "url is required", node_id: "notify" }];
    const calls = fakeApi(problems);
    renderEditor(true);
    await waitFor(() => expect(screen.getByTestId("node-notify")).toBeTruthy());
    fireEvent.click(screen.getByTestId("palette-add-data.set"));
    await waitFor(() => expect(screen.getByTestId("save-status").getAttribute("data-state")).toBe("unsaved"));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true), { timeout: 15_000 });
    const save = calls.find((c) => c.method === "PATCH")!;
    expect(save.url).toBe("/api/v1/workflows/wf_1?validate=false");
    expect(save.headers["X-CSRFToken"]).toBe("tok123");
    expect((save.body as { definition: { nodes: { id: string }[] } }).definition.nodes.map((n) => n.id)).toContain("set");
    await waitFor(() => expect(screen.getByTestId("node-problems-notify").textContent).toBe("1"));
    expect(screen.getAllByTestId("problem-item")[0]!.textContent).toContain("url is required");
    fireEvent.click(screen.getAllByTestId("problem-item")[0]!);
    await waitFor(() => expect(screen.getByTestId("settings-panel")).toBeTruthy());
    expect(screen.getByText("url is required", { selector: ".field-error" })).toBeTruthy();
  });
});
