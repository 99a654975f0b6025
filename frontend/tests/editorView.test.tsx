import { act, render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { EditorViewContext, EditorViewStore, useNodeRunState, type EditorView } from "../src/canvas/EditorContext";

const renders: Record<string, number> = {};

function Card({ id }: { id: string }) {
  const state = useNodeRunState(id);
  renders[id] = (renders[id] ?? 0) + 1;
  return <span data-testid={`card-${id}`}>{state ?? "idle"}</span>;
}

const view = (runStates: EditorView["runStates"]): EditorView => ({ nodeTypes: {}, runStates, problems: {}, readOnly: false, pinned: {} });

describe("the editor view store", () => {
  it("re-renders only the card whose slice changed", () => {
    const store = new EditorViewStore();
    store.set(view({}));
    const ids = ["a", "b", "c"];
    const { getByTestId } = render(
      <EditorViewContext.Provider value={store}>
        {ids.map((id) => (
          <Card key={id} id={id} />
        ))}
      </EditorViewContext.Provider>,
    );
    const before = { ...renders };

    act(() => store.set(view({ b: "running" })));

    expect(getByTestId("card-b").textContent).toBe("running");
    expect(renders.b).toBe((before.b ?? 0) + 1);
    expect(renders.a).toBe(before.a);
    expect(renders.c).toBe(before.c);
  });
});
