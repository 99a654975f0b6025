import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { TestDataPanel } from "../src/editor/TestDataPanel";
import { ExpressionPreview, ExpressionPreviewContext, type PreviewFn } from "../src/settings/ExpressionPreview";
import type { PinnedData } from "../src/types";

function panel(pin: PinnedData | undefined, fromRun: PinnedData | null = null) {
  const onPin = vi.fn();
  const onTestStep = vi.fn();
  render(<TestDataPanel nodeId="shape" pin={pin} fromRun={fromRun} readOnly={false} busy={false} onPin={onPin} onTestStep={onTestStep} />);
  return { onPin, onTestStep };
}

describe("the test data panel", () => {
  it("pins the run's output, or typed JSON once it is valid", () => {
    const { onPin } = panel(undefined, { output: { total: 6 }, port: "out" });
    fireEvent.click(screen.getByTestId("pin-from-run"));
    expect(onPin).toHaveBeenLastCalledWith({ output: { total: 6 }, port: "out" });

    fireEvent.click(screen.getByTestId("pin-json"));
    fireEvent.change(screen.getByTestId("pin-json-text"), { target: { value: "{total: 1}" } });
    fireEvent.click(screen.getByTestId("pin-json-save"));
    expect(screen.getByRole("alert").textContent).toMatch(/not valid JSON/);
    expect(onPin).toHaveBeenCalledTimes(1);
    fireEvent.change(screen.getByTestId("pin-json-text"), { target: { value: '{"total": 1}' } });
    fireEvent.click(screen.getByTestId("pin-json-save"));
    expect(onPin).toHaveBeenLastCalledWith({ output: { total: 1 } });
  });

  it("shows a pin with its badge and unpins in one click; without run data it cannot pin from the run", () => {
    const { onPin, onTestStep } = panel({ output: [1] });
    expect(screen.getByTestId("pin-badge")).toBeTruthy();
    expect((screen.getByTestId("pin-from-run") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("unpin-button"));
    expect(onPin).toHaveBeenLastCalledWith(null);
    fireEvent.click(screen.getByTestId("test-step-button"));
    expect(onTestStep).toHaveBeenCalled();
  });
});

describe("the expression preview", () => {
  it("asks only for text holding an expression, once typing stops, and shows the engine's answer", async () => {
    const preview: PreviewFn = vi.fn(async (text: string) => ({ value: text.length, error: null, data_from: "run" as const, execution_id: "e" }));
    const { rerender } = render(
      <ExpressionPreviewContext.Provider value={preview}>
        <ExpressionPreview text="plain" />
      </ExpressionPreviewContext.Provider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(preview).not.toHaveBeenCalled();
    rerender(
      <ExpressionPreviewContext.Provider value={preview}>
        <ExpressionPreview text="{{ 1 }}" />
      </ExpressionPreviewContext.Provider>,
    );
    await waitFor(() => expect(screen.getByTestId("expression-preview").textContent).toBe("= 7  · from the last run"));
    expect(preview).toHaveBeenCalledTimes(1);
  });

  it("shows nothing when the server cannot answer", async () => {
    const preview: PreviewFn = vi.fn(async () => Promise.reject(new Error("400")));
    render(
      <ExpressionPreviewContext.Provider value={preview}>
        <ExpressionPreview text="{{ input.x }}" />
      </ExpressionPreviewContext.Provider>,
    );
    await waitFor(() => expect(preview).toHaveBeenCalled());
    expect(screen.queryByTestId("expression-preview")).toBeNull();
  });
});
