/** The value a setting's expression gives, under the field: the engine's answer on test data (D24). */
import { createContext, useContext, useEffect, useState } from "react";
import { previewLine, wantsPreview } from "../testData";
import type { PreviewResult } from "../types";

/** Evaluates a setting's text of the selected node on the server; null where there is nothing to ask. */
export type PreviewFn = (text: string) => Promise<PreviewResult>;
export const ExpressionPreviewContext = createContext<PreviewFn | null>(null);

const DEBOUNCE_MS = 400;

export function ExpressionPreview({ text }: { text: string }) {
  const preview = useContext(ExpressionPreviewContext);
  const [line, setLine] = useState<ReturnType<typeof previewLine> | null>(null);
  useEffect(() => {
    if (!preview || !wantsPreview(text)) {
      setLine(null);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      preview(text)
        .then((result) => live && setLine(previewLine(result)))
        .catch(() => live && setLine(null)); // a node not saved yet, a network blip: no line, no noise
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [preview, text]);
  if (!line) return null;
  return (
    <div className={`expr-preview expr-preview-${line.kind}`} data-testid="expression-preview" data-kind={line.kind} role="status">
      <span aria-hidden="true">{line.kind === "error" ? "⚠ " : "= "}</span>
      {line.text}
    </div>
  );
}
