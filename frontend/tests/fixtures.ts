/** Node types as the engine's registry describes them (GET /api/v1/node-types), and a sample flow. */
import nodeTypeList from "./fixtures/node-types.json";
import type { Definition, NodeTypeInfo } from "../src/types";

export const NODE_TYPE_LIST = nodeTypeList as unknown as NodeTypeInfo[];
export const NODE_TYPES: Record<string, NodeTypeInfo> = Object.fromEntries(NODE_TYPE_LIST.map((t) => [t.type, t]));

export function nodeType(type: string): NodeTypeInfo {
  const found = NODE_TYPES[type];
  if (!found) throw new Error(`no node type ${type} in the fixture`);
  return found;
}

/** webhook → check (if) → true: notify (http) / false: log (set); notify.error → fail. */
export function leadFlow(): Definition {
  return {
    nodes: [
      { id: "start", type: "trigger.webhook", name: "New lead", config: { methods: ["POST"] }, position: { x: 0, y: 0 } },
      { id: "check", type: "logic.if", name: "Big?", config: { condition: "{{ input.amount > vars.threshold }}" }, position: { x: 300, y: 0 } },
      {
        id: "notify",
        type: "http.request",
        name: "Notify sales",
        config: { method: "POST", url: "https://example.com/{{ steps.start.output.id }}", headers: { "X-Team": "sales" } },
        position: { x: 600, y: -80 },
        retry: { max_attempts: 3, backoff_seconds: 2 },
        timeout_seconds: 30,
      },
      { id: "log", type: "data.set", name: "Log", config: { fields: { note: "small" } }, position: { x: 600, y: 80 } },
      { id: "give_up", type: "logic.fail", name: "Give up", config: {}, position: { x: 900, y: -80 } },
    ],
    edges: [
      { id: "e1", source: "start", source_port: "out", target: "check" },
      { id: "e2", source: "check", source_port: "true", target: "notify" },
      { id: "e3", source: "check", source_port: "false", target: "log" },
      { id: "e4", source: "notify", source_port: "error", target: "give_up" },
    ],
    variables: { threshold: 100, team: "sales" },
    settings: { timeout_seconds: 3600, max_steps: 10000 },
  };
}
