/** The expressions cheat-sheet: what a builder can write inside `{{ }}` (docs/design.md D16). */

export interface CheatRow {
  /** What to write. */
  code: string;
  /** What it gives, in words. */
  gives: string;
}

export interface CheatSection {
  id: string;
  title: string;
  intro?: string;
  rows: CheatRow[];
}

export const CHEATSHEET: CheatSection[] = [
  {
    id: "data",
    title: "Data you can use",
    rows: [
      { code: "{{ input.amount }}", gives: "a field of what the previous step sent" },
      { code: "{{ trigger.email }}", gives: "a field of what started the run (form: trigger.data.email)" },
      { code: "{{ steps.check.output.total }}", gives: "a field of an earlier step's output, by its id" },
      { code: "{{ vars.threshold }}", gives: "a workflow variable" },
      { code: "{{ execution.id }}", gives: "this run's id" },
      { code: "{{ loop.index }}", gives: "inside a For each: the item's position" },
    ],
  },
  {
    id: "n8n",
    title: "Coming from n8n",
    rows: [
      { code: "{{ $json.x }} → {{ input.x }}", gives: "the previous step's data" },
      { code: "{{ $('Check').item.json.x }} → {{ steps.check.output.x }}", gives: "another step's data (by id)" },
      { code: "{{ $vars.x }} → {{ vars.x }}", gives: "a variable" },
      { code: "{{ $now }} → {{ now() }}", gives: "the current time" },
      { code: "{{ $today }} → {{ today() }}", gives: "today's date" },
      { code: "{{ $json.x ?? 'none' }} → {{ input.x | default('none') }}", gives: "a fallback" },
      { code: "{{ $execution.id }} → {{ execution.id }}", gives: "the run's id" },
      { code: "{{ a && b }} → {{ a and b }}", gives: "also or, not; text joins with ~" },
    ],
  },
  {
    id: "text",
    title: "Text and values",
    intro: "A field holding only {{ … }} keeps the value's type (a number, a list, true). Inside text, values are written as JSON.",
    rows: [
      { code: "Flag: {{ input.flag }}", gives: "Flag: true" },
      { code: "Tags: {{ input.tags }}", gives: 'Tags: ["a","b"]' },
      { code: "{{ input.name | tojson }}", gives: '"Ada" — quoted, for JSON you build yourself' },
      { code: "{{ 'Total: ' ~ input.amount }}", gives: "Total: 150" },
      { code: "{{ input.name | upper }}", gives: "ADA (also lower, title, trim, replace('a', 'b'))" },
    ],
  },
  {
    id: "rows",
    title: "Rows from a query",
    intro: "A query's rows are objects keyed by column name; columns lists the names in order. There is no {% for %}: list rows with a filter.",
    rows: [
      { code: "{{ input.rows[0].name }}", gives: "a column of the first row, by name" },
      { code: "{{ input.rows | table(input.columns) }}", gives: "the rows as a text table under a header of column names" },
      { code: "{{ input.rows | lines('Order {id}: {total}') }}", gives: "one line per row, each {name} filled from that row" },
      { code: "{{ input.rows | map(attribute='id') | join(', ') }}", gives: "one column's values: 41, 42" },
    ],
  },
  {
    id: "missing",
    title: "Missing and empty values",
    intro: "A key that is not there is missing: empty inside text, null on its own. Comparing or adding it fails the step and says which key is missing.",
    rows: [
      { code: "{{ input.nickname | default('friend') }}", gives: "a fallback for missing or null" },
      { code: "{{ input.nickname or 'friend' }}", gives: "a fallback for anything empty" },
      { code: "{{ input.nickname is defined }}", gives: "true when the key is there" },
      { code: "{{ input.customer.name | default('anon') }}", gives: "works even when customer is missing" },
    ],
  },
  {
    id: "compare",
    title: "Comparisons",
    intro: "true and false are not numbers: true == 1 is false, and true > 0 is an error.",
    rows: [
      { code: "{{ input.amount > vars.threshold }}", gives: "greater than (also <, >=, <=)" },
      { code: "{{ input.status == 'paid' }}", gives: "equals (!= for does not equal)" },
      { code: "{{ 'vip' in input.tags }}", gives: "contains" },
      { code: "{{ input.total is number }}", gives: "true for 3 or 2.5, false for true" },
      { code: "{{ 'big' if input.amount > 100 else 'small' }}", gives: "choose between two values" },
    ],
  },
  {
    id: "dates",
    title: "Dates and times",
    intro: "now() and today() use the workflow's time zone (settings.timezone, UTC when unset). Dates become ISO text like 2026-01-31 in JSON.",
    rows: [
      { code: "{{ now() }}", gives: "the current date and time" },
      { code: "{{ today() }}", gives: "today's date" },
      { code: "{{ '2026-01-31' | date }}", gives: "a date from text (or | date('%d/%m/%Y'))" },
      { code: "{{ input.at | datetime }}", gives: "a date and time from ISO text or Unix seconds" },
      { code: "{{ now() | format_date('%d %b %Y') }}", gives: "31 Jan 2026 (%H:%M for the time)" },
      { code: "{{ today() | add_days(7) }}", gives: "a week later (also add_hours, add_minutes; negative goes back)" },
      { code: "{{ days_between(input.due, today()) }}", gives: "whole days from one date to another" },
      { code: "{{ seconds_between(input.start, now()) }}", gives: "seconds between two times" },
    ],
  },
];

/** Sections and rows whose text contains the query (case-insensitive); all of them for an empty query. */
export function searchCheatsheet(query: string, sections: CheatSection[] = CHEATSHEET): CheatSection[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return sections;
  return sections
    .map((section) => ({
      ...section,
      rows: section.title.toLowerCase().includes(needle)
        ? section.rows
        : section.rows.filter((row) => `${row.code} ${row.gives}`.toLowerCase().includes(needle)),
    }))
    .filter((section) => section.rows.length > 0);
}
