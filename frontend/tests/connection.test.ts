import { describe, expect, it } from "vitest";
import { checkConnection } from "../src/connection";
import { definitionToFlow } from "../src/mapping";
import { leadFlow, NODE_TYPES } from "./fixtures";

const { nodes, edges } = definitionToFlow(leadFlow());
const check = (source: string, sourceHandle: string | null, target: string) =>
  checkConnection({ source, sourceHandle, target }, nodes, edges, NODE_TYPES);

describe("connection rules", () => {
  it("accepts a new link from an existing port into a node's input", () => {
    expect(check("log", "out", "give_up")).toEqual({ ok: true });
    expect(check("check", "error", "give_up")).toEqual({ ok: true });
  });

  it("refuses a link into a trigger, saying why", () => {
    const verdict = check("log", "out", "start");
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/trigger/i);
  });

  it("refuses a node linked to itself", () => {
    expect(check("log", "out", "log")).toEqual({ ok: false, reason: "A node can't connect to itself." });
  });

  it("refuses a second identical link", () => {
    const verdict = check("check", "true", "notify");
    expect(!verdict.ok && verdict.reason).toMatch(/already connected/);
  });

  it("allows the same pair from a different port", () => {
    expect(check("check", "false", "notify").ok).toBe(true);
  });

  it("refuses a port the node does not have", () => {
    const verdict = check("start", "error", "check");
    expect(!verdict.ok && verdict.reason).toMatch(/no “error” output/);
  });

  it("defaults a missing handle to the out port", () => {
    expect(check("log", null, "give_up").ok).toBe(true);
  });

  it("refuses links to nodes that are not on the canvas", () => {
    expect(check("log", "out", "ghost").ok).toBe(false);
  });
});
