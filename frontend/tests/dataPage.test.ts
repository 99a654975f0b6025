// The Data pages' script (static/js/data.js, plain JS served as is): its pure helpers, loaded the
// way Node loads it (the file exports them when `module` exists and wires the page otherwise).
// @ts-expect-error -- Node's own types are not installed here; Vitest runs the test in Node.
import { createRequire } from "node:module";

type Column = { name: string; type: string };
type Helpers = {
  errorMessage: (status: number, body: unknown) => string;
  numericColumn: (columns: unknown[], rows: unknown[][], skip: number) => number;
  chartPoints: (rows: unknown[][], label: number, value: number) => { labels: string[]; values: (number | null)[]; skipped: number };
  summary: (data: { row_count: number; elapsed_ms: number; truncated: boolean; columns?: Column[] }) => string;
  formatMs: (ms: number) => string;
  cellText: (value: unknown) => string;
  parseJson: (text: string) => unknown;
};

const helpers = createRequire(import.meta.url)("../../static/js/data.js") as Helpers;

describe("the Data page's helpers", () => {
  it("shows the API envelope's message, and plain words when there is none", () => {
    const refused = { success: false, error: { code: "FILE_NOT_UTF8", message: "Byte 0xe9 on line 2 is not UTF-8." } };
    expect(helpers.errorMessage(400, refused)).toBe("Byte 0xe9 on line 2 is not UTF-8.");
    expect(helpers.errorMessage(413, null)).toMatch(/larger than the upload limit/);
    expect(helpers.errorMessage(0, null)).toMatch(/could not be reached/);
    expect(helpers.errorMessage(502, "<html>Bad gateway</html>")).toMatch(/answered 502/);
    expect(helpers.errorMessage(500, { error: {} })).toMatch(/answered 500/);
  });

  it("parses JSON or answers null for a proxy's HTML page", () => {
    expect(helpers.parseJson('{"success": true}')).toEqual({ success: true });
    expect(helpers.parseJson("<html>")).toBeNull();
    expect(helpers.parseJson("")).toBeNull();
  });

  it("picks the first numeric column for the values, decimals as strings included", () => {
    const rows = [["east", "300.00", 1], ["north", "162.75", 2], ["south", null, 2]];
    expect(helpers.numericColumn(["region", "revenue", "orders"], rows, 0)).toBe(1);
    expect(helpers.numericColumn(["a", "b"], [["x", "y"]], -1)).toBe(-1);
    expect(helpers.numericColumn(["n"], [[null], [null]], -1)).toBe(-1); // all nulls: nothing to chart
    expect(helpers.numericColumn(["n", "m"], [["1e3", " "]], -1)).toBe(0);
    expect(helpers.numericColumn(["n"], [[Infinity]], -1)).toBe(-1);
  });

  it("turns rows into labels and values, counting values that are not numbers", () => {
    const rows = [["east", "300.5"], [null, 2], ["west", "n/a"], [true, ""]];
    expect(helpers.chartPoints(rows, 0, 1)).toEqual({
      labels: ["east", "(empty)", "west", "true"],
      values: [300.5, 2, null, null],
      skipped: 2,
    });
  });

  it("says how many rows came back and how long it took", () => {
    expect(helpers.summary({ row_count: 1, elapsed_ms: 3.4, truncated: false })).toBe("1 row in 3 ms");
    expect(helpers.summary({ row_count: 1200, elapsed_ms: 2500, truncated: true })).toBe(
      "1,200 rows in 2.50 s (first rows only: the connection's row limit cut the rest)",
    );
    expect(helpers.formatMs(0)).toBe("0 ms");
  });

  it("writes any cell as text: null empty, objects as JSON, markup as plain text", () => {
    expect(helpers.cellText(null)).toBe("");
    expect(helpers.cellText(undefined)).toBe("");
    expect(helpers.cellText({ a: [1] })).toBe('{"a":[1]}');
    expect(helpers.cellText("<img src=x onerror=alert(1)>")).toBe("<img src=x onerror=alert(1)>");
    expect(helpers.cellText(false)).toBe("false");
  });
});
