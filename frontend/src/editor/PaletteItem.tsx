/** One entry of the palette: draggable onto the canvas, added after the selection with Enter or Add. */
import type { DragEvent } from "react";
import { InlineMarkdown } from "../Markdown";
import { NodeIcon } from "../canvas/NodeIcon";

interface Props {
  testId: string;
  addTestId: string;
  type: string;
  category: string;
  color: string;
  label: string;
  description: string;
  onDragStart: (event: DragEvent) => void;
  onAdd: () => void;
}

export function PaletteItem({ testId, addTestId, type, category, color, label, description, onDragStart, onAdd }: Props) {
  return (
    <div
      className="palette-item"
      draggable
      tabIndex={0}
      data-testid={testId}
      title={`${description.replaceAll("`", "")}\nDrag onto the canvas, or press Enter or Add to add it after the selected node.`}
      style={{ ["--category-color" as string]: color }}
      onDragStart={onDragStart}
      onKeyDown={(event) => {
        if (event.key === "Enter" && event.target === event.currentTarget) {
          event.preventDefault();
          onAdd();
        }
      }}
    >
      <span className="palette-icon" aria-hidden="true">
        <NodeIcon type={type} category={category} />
      </span>
      <span className="palette-text">
        <strong>{label}</strong>
        <small>
          <InlineMarkdown text={description} />
        </small>
      </span>
      <button type="button" className="palette-add" data-testid={addTestId} aria-label={`Add ${label}`} onClick={onAdd}>
        Add
      </button>
    </div>
  );
}
