/** What an expression field may refer to, and how `{{ … }}` splits a value for highlighting. */
import type { DefinitionEdge, JsonObject } from "./types";

export interface ExpressionSuggestion {
  /** The text placed inside `{{ }}`. */
  path: string;
  detail: string;
}

/** Every node from which `nodeId` can be reached by following edges forwards. */
export function upstreamNodeIds(nodeId: string, edges: Pick<DefinitionEdge, "source" | "target">[]): string[] {
  const incoming = new Map<string, string[]>();
  for (const edge of edges) {
    const list = incoming.get(edge.target) ?? [];
    list.push(edge.source);
    incoming.set(edge.target, list);
  }
  const seen = new Set<string>();
  const queue = [...(incoming.get(nodeId) ?? [])];
  while (queue.length) {
    const id = queue.shift() as string;
    if (seen.has(id) || id === nodeId) continue;
    seen.add(id);
    queue.push(...(incoming.get(id) ?? []));
  }
  return [...seen];
}

export function expressionSuggestions(
  nodeId: string,
  nodes: { id: string; name: string }[],
  edges: Pick<DefinitionEdge, "source" | "target">[],
  variables: JsonObject,
  formFields: { key: string; label: string }[] = [],
): ExpressionSuggestion[] {
  const names = new Map(nodes.map((node) => [node.id, node.name]));
  const upstream = upstreamNodeIds(nodeId, edges).sort();
  return [
    { path: "input", detail: "Output of the previous node" },
    { path: "trigger", detail: "Payload that started the run" },
    ...formFields.map((field) => ({ path: `trigger.data.${field.key}`, detail: `Form field “${field.label}”` })),
    ...Object.keys(variables)
      .sort()
      .map((name) => ({ path: `vars.${name}`, detail: "Workflow variable" })),
    ...upstream.map((id) => ({ path: `steps.${id}.output`, detail: `Output of “${names.get(id) || id}”` })),
  ];
}

export interface ExpressionToken {
  text: string;
  expression: boolean;
}

/** Split text into literal runs and `{{ … }}` runs (an unclosed `{{` runs to the end). */
export function tokenizeExpression(text: string): ExpressionToken[] {
  const tokens: ExpressionToken[] = [];
  let rest = text;
  while (rest.length) {
    const open = rest.indexOf("{{");
    if (open === -1) {
      tokens.push({ text: rest, expression: false });
      break;
    }
    if (open > 0) tokens.push({ text: rest.slice(0, open), expression: false });
    const close = rest.indexOf("}}", open + 2);
    const end = close === -1 ? rest.length : close + 2;
    tokens.push({ text: rest.slice(open, end), expression: true });
    rest = rest.slice(end);
  }
  return tokens;
}

export function hasExpression(text: string): boolean {
  return /\{\{[\s\S]*?\}\}/.test(text);
}

/**
 * Insert `path` at `cursor`: inside an open `{{` just the path, otherwise a whole
 * `{{ path }}`. Returns the new text and where the cursor goes.
 */
export function insertSuggestion(text: string, cursor: number, path: string): { text: string; cursor: number } {
  const before = text.slice(0, cursor);
  const after = text.slice(cursor);
  const open = before.lastIndexOf("{{");
  const insideOpen = open !== -1 && before.indexOf("}}", open) === -1;
  if (insideOpen) {
    const head = before.slice(0, open + 2);
    const closing = after.trimStart().startsWith("}}") ? "" : " }}";
    const inserted = `${head} ${path}${closing}`;
    return { text: inserted + after, cursor: inserted.length };
  }
  const inserted = `${before}{{ ${path} }}`;
  return { text: inserted + after, cursor: inserted.length };
}
