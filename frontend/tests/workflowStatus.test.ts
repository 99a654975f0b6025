import { describe, expect, it } from "vitest";
import { statusLabel } from "../src/workflowStatus";

describe("statusLabel", () => {
  it("says Draft before anything is published", () => {
    expect(statusLabel("draft", null).text).toBe("Draft");
  });
  it("says Published vN once a version is frozen and the triggers are off", () => {
    expect(statusLabel("draft", 2).text).toBe("Published v2");
    expect(statusLabel("inactive", 3).text).toBe("Published v3");
  });
  it("says Active when the triggers run, with the version in its title", () => {
    expect(statusLabel("active", 2)).toEqual({ key: "active", text: "Active", title: "Triggers run v2" });
  });
});
