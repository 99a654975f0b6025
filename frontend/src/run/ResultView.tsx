/** A query's or Ask data's result as people read it: the answer in words and the rows as a table. */
import type { JsonValue } from "../types";

export const SHOWN_ROWS = 50;

export interface Result {
  answer: string | null;
  columns: string[];
  rows: JsonValue[];
}

function columnName(column: JsonValue): string | null {
  if (typeof column === "string") return column;
  if (column && typeof column === "object" && !Array.isArray(column) && typeof column.name === "string") return column.name;
  return null;
}

/** `{columns, rows, answer?}` (db.query, db.ask) as a result; anything else is null. */
export function resultOf(value: JsonValue | undefined): Result | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const { columns, rows, answer } = value;
  if (!Array.isArray(columns) || !Array.isArray(rows)) return null;
  const names = columns.map(columnName);
  if (names.some((name) => name === null)) return null;
  return { answer: typeof answer === "string" ? answer : null, columns: names as string[], rows };
}

/** A cell: rows are objects keyed by column name, or arrays in column order. */
export function cellText(row: JsonValue, name: string, index: number): string {
  let value: JsonValue | undefined;
  if (Array.isArray(row)) value = row[index];
  else if (row && typeof row === "object") value = row[name];
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function ResultView({ value }: { value: JsonValue | undefined }) {
  const result = resultOf(value);
  if (!result) return null;
  const shown = result.rows.slice(0, SHOWN_ROWS);
  return (
    <div className="result-view" data-testid="result-view">
      {result.answer && (
        <p className="result-answer" data-testid="result-answer">
          {result.answer}
        </p>
      )}
      <div className="result-table-wrap">
        <table className="result-table" data-testid="result-table">
          <thead>
            <tr>
              {result.columns.map((name, index) => (
                <th key={`${index}-${name}`} scope="col">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {result.columns.map((name, index) => (
                  <td key={`${index}-${name}`}>{cellText(row, name, index)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.rows.length === 0 && <p className="muted">No rows.</p>}
      {result.rows.length > SHOWN_ROWS && (
        <p className="muted">
          The first {SHOWN_ROWS} of {result.rows.length} rows; all of them are in the JSON below.
        </p>
      )}
    </div>
  );
}
