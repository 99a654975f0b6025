/**
 * Two editors, one draft: autosave sends If-Match, keeps the latest ETag, and on 412 stops
 * and asks — Reload (theirs) or Keep mine (overwrite with the fresh ETag).
 */
import { ReactFlowProvider } from "@xyflow/react";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { draftKey, judgeStaleSave, stableJson } from "../src/editor/draftSync";
import { EditorApp } from "../src/editor/EditorApp";
import type { Definition, JsonObject } from "../src/types";
import { leadFlow, NODE_TYPE_LIST } from "./fixtures";

interface Save {
  ifMatch: string | undefined;
  definition: Definition;
  status: number;
}

/** A fake server holding one workflow at a revision, refusing stale If-Match like the real one. */
function fakeServer() {
  const state = { revision: 1, definition: leadFlow() as Definition, status: "draft" };
  const saves: Save[] = [];
  const etag = () => `"r${state.revision}"`;
  const workflow = () => ({ id: "wf_1", name: "Lead routing", description: "", status: state.status, definition: state.definition, published_version: null, problems: [] });
  const answer = (data: unknown, status = 200) =>
    new Response(JSON.stringify({ success: status < 400, data }), { status, headers: { ETag: etag() } });
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      const headers = (init.headers ?? {}) as Record<string, string>;
      if (url.endsWith("/node-types")) return new Response(JSON.stringify({ success: true, data: NODE_TYPE_LIST }));
      if (url.includes("/validate")) return new Response(JSON.stringify({ success: true, data: { valid: true, problems: [] } }));
      if (method === "GET") return answer(workflow());
      if (method === "PATCH") {
        const body = JSON.parse(String(init.body)) as { definition: Definition };
        const ifMatch = headers["If-Match"];
        if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== etag()) {
          saves.push({ ifMatch, definition: body.definition, status: 412 });
          const error = { code: "PRECONDITION_FAILED", message: "The resource changed since you read it.", field: "If-Match" };
          return new Response(JSON.stringify({ success: false, error }), { status: 412 });
        }
        saves.push({ ifMatch, definition: body.definition, status: 200 });
        state.definition = body.definition;
        state.revision += 1;
        return answer(workflow());
      }
      return new Response(JSON.stringify({ success: false, error: { code: "NOT_FOUND", message: "nope" } }), { status: 404 });
    }),
  );
  return {
    state,
    saves,
    /** Someone else saves the draft (another tab, another person). */
    editElsewhere(variables: JsonObject) {
      state.definition = { ...state.definition, variables };
      state.revision += 1;
    },
    /** Someone publishes or activates: a new revision, the same draft. */
    touchElsewhere() {
      state.status = "active";
      state.revision += 1;
    },
  };
}

function renderEditor() {
  return render(
    <div id="editor-root">
      <ReactFlowProvider>
        <EditorApp workflowId="wf_1" canEdit wsUrl="/ws/executions/" />
      </ReactFlowProvider>
    </div>,
  );
}

function setVariables(variables: Record<string, unknown>) {
  fireEvent.change(screen.getByTestId("field-variables"), { target: { value: JSON.stringify(variables) } });
}

// Generous bounds: the machine running the suite may be busy (they bound waits, never assert speed).
const SAVE_WAIT = { timeout: 10_000 };

beforeEach(() => {
  document.cookie = "csrftoken=tok123";
});
afterEach(() => vi.unstubAllGlobals());

describe("comparing drafts", () => {
  it("ignores key order at every depth", () => {
    expect(stableJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } })).toBe(stableJson({ a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 }));
    expect(stableJson({ a: [1, 2] })).not.toBe(stableJson({ a: [2, 1] }));
  });

  it("retries when only something besides the draft changed, and calls a changed draft a conflict", () => {
    const base = draftKey(leadFlow());
    expect(judgeStaleSave(base, JSON.parse(JSON.stringify(leadFlow())))).toBe("retry");
    expect(judgeStaleSave(base, { ...leadFlow(), variables: { other: true } })).toBe("conflict");
    expect(judgeStaleSave(null, leadFlow())).toBe("conflict");
  });
});

describe("autosave with If-Match", { timeout: 60_000 }, () => {
  it("sends the ETag it loaded, then the one each save answered", async () => {
    const server = fakeServer();
    renderEditor();
    await waitFor(() => expect(screen.getByTestId("field-variables")).toBeTruthy(), SAVE_WAIT);

    setVariables({ v: 1 });
    await waitFor(() => expect(server.saves).toHaveLength(1), SAVE_WAIT);
    setVariables({ v: 2 });
    await waitFor(() => expect(server.saves).toHaveLength(2), SAVE_WAIT);

    expect(server.saves.map((s) => [s.ifMatch, s.status])).toEqual([
      ['"r1"', 200],
      ['"r2"', 200],
    ]);
    expect(screen.getByTestId("save-status").getAttribute("data-state")).toBe("saved");
  });

  it("saves again with the new ETag, without asking, when only a publish or activation moved on", async () => {
    const server = fakeServer();
    renderEditor();
    await waitFor(() => expect(screen.getByTestId("field-variables")).toBeTruthy(), SAVE_WAIT);
    server.touchElsewhere();

    setVariables({ v: 1 });
    await waitFor(() => expect(server.saves.filter((s) => s.status === 200)).toHaveLength(1), SAVE_WAIT);

    expect(server.saves.map((s) => [s.ifMatch, s.status])).toEqual([
      ['"r1"', 412],
      ['"r2"', 200],
    ]);
    expect(server.state.definition.variables).toEqual({ v: 1 });
    expect(screen.queryByTestId("conflict-banner")).toBeNull();
  });

  it("stops on a draft changed elsewhere and shows the banner, keeping both versions", async () => {
    const server = fakeServer();
    renderEditor();
    await waitFor(() => expect(screen.getByTestId("field-variables")).toBeTruthy(), SAVE_WAIT);
    server.editElsewhere({ theirs: true });

    setVariables({ mine: true });
    await waitFor(() => expect(screen.getByTestId("conflict-banner")).toBeTruthy(), SAVE_WAIT);

    expect(screen.getByTestId("conflict-banner").textContent).toContain("This workflow was changed elsewhere");
    expect(screen.getByTestId("save-status").getAttribute("data-state")).toBe("conflict");
    expect(server.state.definition.variables).toEqual({ theirs: true });
    expect(screen.getByTestId("field-variables").textContent).toContain("mine");
    // Autosave has stopped: a further edit is not sent, however long the debounce is waited out.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      setVariables({ mine: 2 });
      await act(async () => {
        vi.advanceTimersByTime(60_000);
      });
    } finally {
      vi.useRealTimers();
    }
    expect(server.saves.map((s) => s.status)).toEqual([412]);
  });

  it("keeps mine: overwrites with the fresh ETag and resumes autosave", async () => {
    const server = fakeServer();
    renderEditor();
    await waitFor(() => expect(screen.getByTestId("field-variables")).toBeTruthy(), SAVE_WAIT);
    server.editElsewhere({ theirs: true });
    setVariables({ mine: true });
    await waitFor(() => expect(screen.getByTestId("conflict-banner")).toBeTruthy(), SAVE_WAIT);

    fireEvent.click(screen.getByTestId("conflict-keep-mine"));

    await waitFor(() => expect(server.state.definition.variables).toEqual({ mine: true }), SAVE_WAIT);
    expect(server.saves.at(-1)).toMatchObject({ ifMatch: '"r2"', status: 200 });
    await waitFor(() => expect(screen.queryByTestId("conflict-banner")).toBeNull(), SAVE_WAIT);
    setVariables({ mine: 2 });
    await waitFor(() => expect(server.state.definition.variables).toEqual({ mine: 2 }), SAVE_WAIT);
    expect(server.saves.at(-1)).toMatchObject({ ifMatch: '"r3"', status: 200 });
  });

  it("reloads theirs: the canvas shows the server's draft and later saves build on it", async () => {
    const server = fakeServer();
    renderEditor();
    await waitFor(() => expect(screen.getByTestId("field-variables")).toBeTruthy(), SAVE_WAIT);
    server.editElsewhere({ theirs: true });
    setVariables({ mine: true });
    await waitFor(() => expect(screen.getByTestId("conflict-banner")).toBeTruthy(), SAVE_WAIT);

    fireEvent.click(screen.getByTestId("conflict-reload"));

    await waitFor(() => expect(screen.queryByTestId("conflict-banner")).toBeNull(), SAVE_WAIT);
    // The field follows the reloaded draft in its own effect, a render after the banner goes
    // (waitFor's DOM observer can look in between): wait for it rather than read it at once.
    await waitFor(
      () => expect((screen.getByTestId("field-variables") as HTMLTextAreaElement).value).toContain("theirs"),
      SAVE_WAIT,
    );
    expect(server.state.definition.variables).toEqual({ theirs: true });
    setVariables({ theirs: true, more: 1 });
    await waitFor(() => expect(server.state.definition.variables).toEqual({ theirs: true, more: 1 }), SAVE_WAIT);
    expect(server.saves.at(-1)).toMatchObject({ ifMatch: '"r2"', status: 200 });
  });
});
