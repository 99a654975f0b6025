import { describe, expect, it } from "vitest";
import {
  definitionToFlow,
  flowToDefinition,
  newEdgeId,
  newNodeId,
  normalizeDefinition,
  outputPorts,
  problemField,
  problemNodeId,
  problemsByNode,
} from "../src/mapping";
import { leadFlow, nodeType } from "./fixtures";

describe("definition → canvas", () => {
  it("turns each node into a workflow card at its position with its data", () => {
    const { nodes } = definitionToFlow(leadFlow());
    const notify = nodes.find((n) => n.id === "notify")!;
    expect(notify.type).toBe("workflow");
    expect(notify.position).toEqual({ x: 600, y: -80 });
    expect(notify.data).toEqual({
      type: "http.request",
      name: "Notify sales",
      config: leadFlow().nodes[2]!.config,
      retry: { max_attempts: 3, backoff_seconds: 2 },
      timeout_seconds: 30,
    });
  });

  it("turns each edge into a connection from the port's handle into the input handle", () => {
    const { edges } = definitionToFlow(leadFlow());
    expect(edges.find((e) => e.id === "e2")).toMatchObject({ source: "check", sourceHandle: "true", target: "notify", targetHandle: "in", data: { port: "true" } });
  });

  it("labels a branch's edge with its port (true/false out of an If), never the plain output", () => {
    const { edges } = definitionToFlow(leadFlow());
    expect(edges.find((e) => e.id === "e2")!.label).toBe("true");
    expect(edges.find((e) => e.id === "e1")!.label).toBeUndefined();
  });

  it("marks edges leaving the error port so they are drawn red", () => {
    const { edges } = definitionToFlow(leadFlow());
    expect(edges.find((e) => e.id === "e4")!.className).toBe("edge-error");
    expect(edges.find((e) => e.id === "e1")!.className).toBeUndefined();
  });

  it("keeps variables and settings aside for the way back", () => {
    expect(definitionToFlow(leadFlow()).extras).toEqual({ variables: { threshold: 100, team: "sales" }, settings: { timeout_seconds: 3600, max_steps: 10000 }, pinned: {} });
  });

  it("accepts a definition with missing parts", () => {
    const flow = definitionToFlow({ nodes: [{ id: "a", type: "trigger.manual" } as never] });
    expect(flow.nodes[0]!.position).toEqual({ x: 0, y: 0 });
    expect(flow.nodes[0]!.data).toEqual({ type: "trigger.manual", name: "", config: {} });
    expect(flow.edges).toEqual([]);
  });
});

describe("canvas → definition", () => {
  it("round-trips a definition unchanged", () => {
    const flow = definitionToFlow(leadFlow());
    expect(flowToDefinition(flow.nodes, flow.edges, flow.extras)).toEqual(leadFlow());
  });

  it("round-trips the canvas unchanged", () => {
    const flow = definitionToFlow(leadFlow());
    const back = definitionToFlow(flowToDefinition(flow.nodes, flow.edges, flow.extras));
    expect(back).toEqual(flow);
  });

  it("writes moved positions as whole pixels and edits of data", () => {
    const flow = definitionToFlow(leadFlow());
    flow.nodes[0] = { ...flow.nodes[0]!, position: { x: 10.6, y: -3.2 }, selected: true, measured: { width: 240, height: 90 } };
    flow.nodes[1] = { ...flow.nodes[1]!, data: { ...flow.nodes[1]!.data, name: "Is it big?" } };
    const definition = flowToDefinition(flow.nodes, flow.edges, flow.extras);
    expect(definition.nodes[0]).toEqual({ ...leadFlow().nodes[0], position: { x: 11, y: -3 } });
    expect(definition.nodes[1]!.name).toBe("Is it big?");
  });

  it("takes the port from the handle for an edge drawn on the canvas", () => {
    const flow = definitionToFlow(leadFlow());
    const edges = [...flow.edges, { id: "new", source: "check", sourceHandle: "false", target: "give_up" }];
    expect(flowToDefinition(flow.nodes, edges, flow.extras).edges.at(-1)).toEqual({ id: "new", source: "check", source_port: "false", target: "give_up" });
  });

  it("leaves retry and timeout out of nodes that have none", () => {
    expect(Object.keys(normalizeDefinition(leadFlow()).nodes[0]!)).toEqual(["id", "type", "name", "config", "position"]);
  });
});

describe("ports", () => {
  it("gives a trigger its outputs and no error port", () => {
    expect(outputPorts(nodeType("trigger.webhook"), {})).toEqual(["out"]);
  });

  it("gives every other node an error port", () => {
    expect(outputPorts(nodeType("http.request"), {})).toEqual(["out", "error"]);
    expect(outputPorts(nodeType("logic.if"), {})).toEqual(["true", "false", "error"]);
  });

  it("names switch ports after its cases, then default", () => {
    const config = { cases: ["free", "pro", true, 3, { port: "vip", when: "{{ input.vip }}" }] };
    expect(outputPorts(nodeType("logic.switch"), config)).toEqual(["free", "pro", "true", "3", "vip", "default", "error"]);
  });

  it("falls back to one out port for an unknown type", () => {
    expect(outputPorts(undefined, {})).toEqual(["out"]);
  });
});

describe("ids and problems", () => {
  it("makes node ids from the type, numbering repeats", () => {
    expect(newNodeId("http.request", [])).toBe("request");
    expect(newNodeId("http.request", ["request", "request_2"])).toBe("request_3");
  });

  it("makes unique edge ids", () => {
    expect(newEdgeId("a", "out", "b", ["a-out-b"])).toBe("a-out-b-2");
  });

  it("finds a problem's node by node_id, else by the index in its path", () => {
    const definition = leadFlow();
    expect(problemNodeId({ path: "nodes[2].config.url", code: "X", message: "m" }, definition)).toBe("notify");
    expect(problemNodeId({ path: "whatever", code: "X", message: "m", node_id: "log" }, definition)).toBe("log");
    expect(problemNodeId({ path: "edges[1].target", code: "X", message: "m" }, definition)).toBe("check");
    expect(problemNodeId({ path: "settings", code: "X", message: "m" }, definition)).toBeNull();
  });

  it("groups problems by node and names their config field", () => {
    const problems = [
      { path: "nodes[2].config.url", code: "REQUIRED", message: "url is required" },
      { path: "nodes[2].retry", code: "BAD", message: "bad retry" },
    ];
    expect(Object.keys(problemsByNode(problems, leadFlow()))).toEqual(["notify"]);
    expect(problemField(problems[0]!)).toBe("url");
    expect(problemField(problems[1]!)).toBeNull();
  });
});
