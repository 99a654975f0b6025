/** The node palette: every node type grouped by category, searchable; drag or click to add. */
import { useMemo, useState, type DragEvent } from "react";
import { InlineMarkdown } from "../Markdown";
import { CATEGORY_ORDER, categoryLook } from "../canvas/categories";
import { NodeIcon } from "../canvas/NodeIcon";
import type { NodeTypeInfo } from "../types";

export const DRAG_MIME = "application/x-flowbuilder-node-type";

interface Props {
  nodeTypes: NodeTypeInfo[];
  onAdd: (nodeType: NodeTypeInfo) => void;
}

function matches(nodeType: NodeTypeInfo, query: string): boolean {
  const text = `${nodeType.label} ${nodeType.type} ${nodeType.description} ${nodeType.category}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

export function groupByCategory(nodeTypes: NodeTypeInfo[]): [string, NodeTypeInfo[]][] {
  const groups = new Map<string, NodeTypeInfo[]>();
  for (const nodeType of nodeTypes) groups.set(nodeType.category, [...(groups.get(nodeType.category) ?? []), nodeType]);
  const rank = (category: string) => {
    const index = CATEGORY_ORDER.indexOf(category);
    return index === -1 ? CATEGORY_ORDER.length : index;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, list]) => [category, [...list].sort((a, b) => a.label.localeCompare(b.label))]);
}

export function Palette({ nodeTypes, onAdd }: Props) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => groupByCategory(nodeTypes.filter((t) => matches(t, query.trim()))), [nodeTypes, query]);

  const onDragStart = (event: DragEvent, nodeType: NodeTypeInfo) => {
    event.dataTransfer.setData(DRAG_MIME, nodeType.type);
    event.dataTransfer.setData("text/plain", nodeType.type);
    event.dataTransfer.effectAllowed = "copy";
  };

  return (
    <aside className="palette" aria-label="Node palette" data-testid="palette">
      <div className="palette-search">
        <input
          type="search"
          className="input"
          placeholder="Search nodes…"
          aria-label="Search nodes"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <div className="palette-groups">
        {groups.length === 0 && <p className="muted pad">No node matches “{query}”.</p>}
        {groups.map(([category, list]) => {
          const look = categoryLook(category);
          return (
            <section key={category} className="palette-group">
              <h2 className="palette-heading" style={{ ["--category-color" as string]: look.color }}>{look.label}</h2>
              {list.map((nodeType) => (
                <div
                  key={nodeType.type}
                  className="palette-item"
                  draggable
                  tabIndex={0}
                  data-testid={`palette-item-${nodeType.type}`}
                  title={`${nodeType.description.replaceAll("`", "")}\nDrag onto the canvas, or press Enter or Add to add it after the selected node.`}
                  style={{ ["--category-color" as string]: look.color }}
                  onDragStart={(event) => onDragStart(event, nodeType)}
                  onKeyDown={(event) => {
                    if (event.key === "Enter" && event.target === event.currentTarget) {
                      event.preventDefault();
                      onAdd(nodeType);
                    }
                  }}
                >
                  <span className="palette-icon" aria-hidden="true">
                    <NodeIcon type={nodeType.type} category={category} />
                  </span>
                  <span className="palette-text">
                    <strong>{nodeType.label}</strong>
                    <small>
                      <InlineMarkdown text={nodeType.description} />
                    </small>
                  </span>
                  <button type="button" className="palette-add" data-testid={`palette-add-${nodeType.type}`} aria-label={`Add ${nodeType.label}`} onClick={() => onAdd(nodeType)}>
                    Add
                  </button>
                </div>
              ))}
            </section>
          );
        })}
      </div>
    </aside>
  );
}
