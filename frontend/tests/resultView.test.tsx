import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { cellText, resultOf, ResultView, SHOWN_ROWS } from "../src/run/ResultView";

const columns = [
  { name: "name", type: "text" },
  { name: "orders", type: "int8" },
];

describe("a query's result", () => {
  it("is read from {columns, rows, answer} and nothing else", () => {
    expect(resultOf({ columns, rows: [], answer: "None." })).toEqual({ answer: "None.", columns: ["name", "orders"], rows: [] });
    expect(resultOf({ columns: ["a"], rows: [[1]] })?.columns).toEqual(["a"]);
    expect(resultOf({ rows: [] })).toBeNull();
    expect(resultOf({ columns: [{ type: "x" }], rows: [] })).toBeNull();
    expect(resultOf([1, 2])).toBeNull();
  });

  it("reads cells from object rows by name and array rows by position", () => {
    expect(cellText({ name: "Ada", orders: 2 }, "orders", 1)).toBe("2");
    expect(cellText(["Ada", { a: 1 }], "x", 1)).toBe('{"a":1}');
    expect(cellText({ name: null }, "name", 0)).toBe("");
  });

  it("shows the sentence and a table with a header of column names", () => {
    const rows = Array.from({ length: SHOWN_ROWS + 5 }, (_, i) => ({ name: `c${i}`, orders: i }));
    render(<ResultView value={{ columns, rows, answer: "c54 ordered most." }} />);
    expect(screen.getByTestId("result-answer").textContent).toBe("c54 ordered most.");
    expect(screen.getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["name", "orders"]);
    expect(screen.getAllByRole("row")).toHaveLength(SHOWN_ROWS + 1);
    expect(screen.getByText(/The first 50 of 55 rows/)).toBeTruthy();
  });
});
