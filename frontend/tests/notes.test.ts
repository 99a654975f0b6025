import { describe, expect, it } from "vitest";
import { definitionToFlow, flowToDefinition, normalizeDefinition } from "../src/mapping";
import { newNoteId, noteBlocks, noteToFlow } from "../src/notes";
import type { Definition } from "../src/types";

const definition: Definition = {
  nodes: [{ id: "start", type: "trigger.manual", name: "Start", config: {}, position: { x: 0, y: 0 } }],
  edges: [],
  variables: {},
  settings: {},
  notes: [{ id: "note_1", text: "# Why\n- **one**", position: { x: 10, y: -20 }, width: 300, height: 120, color: "blue" }],
};

describe("sticky notes in the definition", () => {
  it("survive the canvas round trip, apart from the steps", () => {
    const flow = definitionToFlow(definition);
    expect(flow.nodes.map((n) => n.id)).toEqual(["start"]);
    expect(flow.notes.map((n) => [n.id, n.type])).toEqual([["note_1", "note"]]);
    expect(normalizeDefinition(definition)).toEqual(definition);
  });

  it("leave no key when there are none, and read bad sizes and colours as the defaults' bounds", () => {
    const flow = definitionToFlow({ ...definition, notes: [] });
    expect(flowToDefinition(flow.nodes, flow.edges, flow.extras, flow.notes)).not.toHaveProperty("notes");
    const odd = noteToFlow({ id: "n", text: "", position: { x: 0, y: 0 }, width: 5, height: 99999, color: "red" as never });
    expect([odd.width, odd.height, odd.data.color]).toEqual([60, 2000, "yellow"]);
  });

  it("get ids no step or note uses", () => {
    expect(newNoteId(["note_1", "start"])).toBe("note_2");
  });

  it("read Markdown as headings, list items and paragraphs", () => {
    expect(noteBlocks("# Title\n\n- a\n* b\nplain `code`")).toEqual([
      { kind: "heading", text: "Title" },
      { kind: "item", text: "a" },
      { kind: "item", text: "b" },
      { kind: "paragraph", text: "plain `code`" },
    ]);
  });
});
