import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fieldKind } from "../src/settings/fieldKind";
import { clearPickerCache } from "../src/settings/PickerFields";
import { SchemaForm } from "../src/settings/SchemaForm";
import type { JsonObject, JsonSchema } from "../src/types";

afterEach(() => {
  vi.unstubAllGlobals();
  clearPickerCache();
});

// ai.chat's knowledge_base property as the node types API describes it (integrations/nodes.py).
const schema: JsonSchema = {
  type: "object",
  properties: {
    knowledge_base: { type: "string", "x-knowledge-base": true, description: "Answer from this knowledge base." },
  },
};

function renderPicker() {
  const changes: JsonObject[] = [];
  function Harness() {
    const [config, setConfig] = useState<JsonObject>({});
    return (
      <SchemaForm nodeId="answer" schema={schema} config={config} suggestions={[]}
        onChange={(next) => { changes.push(next); setConfig(next); }} />
    );
  }
  render(<Harness />);
  return changes;
}

const answer = (data: unknown) => vi.fn(async (_url: string) => ({ ok: true, status: 200, json: async () => ({ success: true, data }) }));

describe("ai.chat's knowledge base picker", () => {
  it("is the kind of field marked x-knowledge-base", () => {
    expect(fieldKind((schema.properties as Record<string, JsonSchema>).knowledge_base!)).toBe("knowledgeBase");
  });

  it("offers the project's knowledge bases and sets the id", async () => {
    const fetchMock = answer([{ id: "kb_1", name: "Support", description: "", document_count: 2 }]);
    vi.stubGlobal("fetch", fetchMock);
    const changes = renderPicker();
    const select = (await screen.findByTestId("field-knowledge_base")) as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(2));
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/v1/knowledge-bases?limit=100");
    expect([...select.options].map((option) => option.textContent)).toEqual(["— no knowledge base —", "Support (2 documents)"]);
    fireEvent.change(select, { target: { value: "kb_1" } });
    expect(changes.at(-1)?.knowledge_base).toBe("kb_1");
  });

  it("links to the knowledge bases page when there is none", async () => {
    vi.stubGlobal("fetch", answer([]));
    renderPicker();
    const empty = await screen.findByTestId("field-knowledge_base-empty");
    expect(empty.querySelector("a")?.getAttribute("href")).toBe("/knowledge-bases/");
  });
});
