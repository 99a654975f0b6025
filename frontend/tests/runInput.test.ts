import { describe, expect, it } from "vitest";
import { initialRunInput, recalledRunInput, rememberRunInput } from "../src/run/runInput";
import { nodeType } from "./fixtures";

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: (key, value) => void data.set(key, value),
  };
}

describe("the run's test input", () => {
  it("starts from the trigger node's declared sample input", () => {
    const sample = { customer: "Ada", amount: 250 };
    expect(initialRunInput(null, { sample_input: sample }, nodeType("trigger.manual"))).toEqual(sample);
  });

  it("prefers the input last used over the sample", () => {
    expect(initialRunInput({ amount: 5 }, { sample_input: { amount: 250 } }, nodeType("trigger.manual"))).toEqual({ amount: 5 });
  });

  it("falls back to an empty object", () => {
    expect(initialRunInput(null, {}, nodeType("trigger.manual"))).toEqual({});
    expect(initialRunInput({}, undefined, undefined)).toEqual({});
  });

  it("is remembered per workflow across reloads", () => {
    const storage = memoryStorage();
    rememberRunInput("wf_1", { amount: 7 }, storage);
    expect(recalledRunInput("wf_1", storage)).toEqual({ amount: 7 });
    expect(recalledRunInput("wf_2", storage)).toBeNull();
  });
});
