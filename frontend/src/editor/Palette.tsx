/** The node palette: every node type grouped by category, then the project's functions; searchable; drag or click to add. */
import { useMemo, useState, type DragEvent } from "react";
import { CATEGORY_ORDER, categoryLook } from "../canvas/categories";
import type { FunctionSummary, NodeTypeInfo } from "../types";
import { FUNCTION_NODE_TYPE, functionMatches, functionPreset, kindLabel, PRESET_MIME, type NodePreset } from "./functionPalette";
import { PaletteItem } from "./PaletteItem";

export const DRAG_MIME = "application/x-flowbuilder-node-type";

interface Props {
  nodeTypes: NodeTypeInfo[];
  /** The project's functions: a "Functions" group of `function.call` presets. */
  functions?: FunctionSummary[];
  onAdd: (nodeType: NodeTypeInfo, preset?: NodePreset) => void;
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

function dragData(event: DragEvent, type: string, preset?: NodePreset) {
  event.dataTransfer.setData(DRAG_MIME, type);
  event.dataTransfer.setData("text/plain", type);
  if (preset) event.dataTransfer.setData(PRESET_MIME, JSON.stringify(preset));
  event.dataTransfer.effectAllowed = "copy";
}

const FUNCTIONS_LOOK = { label: "Functions", color: "#9333ea" };

function FunctionsGroup({ callType, functions, onAdd }: { callType: NodeTypeInfo; functions: FunctionSummary[]; onAdd: Props["onAdd"] }) {
  return (
    <section className="palette-group" data-testid="palette-functions">
      <h2 className="palette-heading" style={{ ["--category-color" as string]: FUNCTIONS_LOOK.color }}>{FUNCTIONS_LOOK.label}</h2>
      {[...functions]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((fn) => {
          const preset = functionPreset(fn);
          return (
            <PaletteItem
              key={fn.id}
              testId={`palette-function-${fn.name}`}
              addTestId={`palette-add-function-${fn.name}`}
              type={FUNCTION_NODE_TYPE}
              category={callType.category}
              color={FUNCTIONS_LOOK.color}
              label={fn.name}
              description={`${kindLabel(fn.kind)} function${fn.description ? `: ${fn.description}` : ""}`}
              onDragStart={(event) => dragData(event, FUNCTION_NODE_TYPE, preset)}
              onAdd={() => onAdd(callType, preset)}
            />
          );
        })}
    </section>
  );
}

export function Palette({ nodeTypes, functions = [], onAdd }: Props) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => groupByCategory(nodeTypes.filter((t) => matches(t, query.trim()))), [nodeTypes, query]);
  const callType = nodeTypes.find((t) => t.type === FUNCTION_NODE_TYPE);
  const shownFunctions = useMemo(() => (callType ? functions.filter((fn) => functionMatches(fn, query.trim())) : []), [callType, functions, query]);

  return (
    <aside className="palette" aria-label="Node palette" data-testid="palette">
      <div className="palette-search">
        <input
          type="search"
          className="input"
          placeholder="Search nodes and functions…"
          aria-label="Search nodes"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <div className="palette-groups">
        {groups.length === 0 && shownFunctions.length === 0 && <p className="muted pad">No node matches “{query}”.</p>}
        {groups.map(([category, list]) => {
          const look = categoryLook(category);
          return (
            <section key={category} className="palette-group">
              <h2 className="palette-heading" style={{ ["--category-color" as string]: look.color }}>{look.label}</h2>
              {list.map((nodeType) => (
                <PaletteItem
                  key={nodeType.type}
                  testId={`palette-item-${nodeType.type}`}
                  addTestId={`palette-add-${nodeType.type}`}
                  type={nodeType.type}
                  category={category}
                  color={look.color}
                  label={nodeType.label}
                  description={nodeType.description}
                  onDragStart={(event) => dragData(event, nodeType.type)}
                  onAdd={() => onAdd(nodeType)}
                />
              ))}
            </section>
          );
        })}
        {callType && shownFunctions.length > 0 && <FunctionsGroup callType={callType} functions={shownFunctions} onAdd={onAdd} />}
        {callType && functions.length === 0 && !query.trim() && (
          <section className="palette-group" data-testid="palette-functions">
            <h2 className="palette-heading" style={{ ["--category-color" as string]: FUNCTIONS_LOOK.color }}>{FUNCTIONS_LOOK.label}</h2>
            <p className="muted pad">
              No functions yet. <a href="/functions/new/?kind=code" target="_blank" rel="noopener">Write one</a>: it appears here.
            </p>
          </section>
        )}
      </div>
    </aside>
  );
}
