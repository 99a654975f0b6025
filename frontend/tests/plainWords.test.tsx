import { fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { CHEATSHEET, searchCheatsheet } from "../src/help/cheatsheet";
import { parseInlineMarkdown } from "../src/Markdown";
import { alternativesHint, fieldLabel, humanize, optionLabel, problemPlace } from "../src/plainWords";
import { ExpressionInput } from "../src/settings/ExpressionInput";
import { SchemaForm } from "../src/settings/SchemaForm";
import type { JsonObject } from "../src/types";
import { ProblemsList } from "../src/editor/ProblemsList";
import { nodeType } from "./fixtures";

describe("plain words", () => {
  it("proper-cases labels with acronyms", () => {
    expect(humanize("url")).toBe("URL");
    expect(humanize("http_method")).toBe("HTTP method");
    expect(humanize("timeout_seconds")).toBe("Timeout seconds");
    expect(humanize("form_id")).toBe("Form ID");
    expect(fieldLabel("amount", { title: "Order amount" })).toBe("Order amount");
  });

  it("shows operators as words", () => {
    const operator = nodeType("logic.if").config_schema.properties!.operator!;
    expect(optionLabel("gte", operator)).toBe("is greater than or equal to");
    expect(optionLabel("eq", operator)).toBe("equals");
    expect(optionLabel("POST", {})).toBe("POST");
  });

  it("explains alternatives instead of marking fields “(one of)”", () => {
    expect(alternativesHint(nodeType("logic.if").config_schema)).toBe("Fill in either Condition, or Left and Operator.");
    expect(alternativesHint(nodeType("http.request").config_schema)).toBeNull();
  });

  it("names where a problem is without JSON paths", () => {
    expect(problemPlace("nodes[1].config.url")).toBe("URL");
    expect(problemPlace("nodes[1].config")).toBe("Settings");
    expect(problemPlace("nodes[2].retry.max_attempts")).toBe("Retry: Max attempts");
    expect(problemPlace("settings.timezone")).toBe("Workflow settings: Timezone");
    expect(problemPlace("edges[0].target")).toBeNull();
  });

  it("parses inline Markdown into code, bold and emphasis, leaving stray markers", () => {
    expect(parseInlineMarkdown("Send the input out of `true` or **`false`**.")).toEqual([
      { kind: "text", text: "Send the input out of " },
      { kind: "code", text: "true" },
      { kind: "text", text: " or " },
      { kind: "strong", text: "`false`" },
      { kind: "text", text: "." },
    ]);
    expect(parseInlineMarkdown("a ` lone tick and 2 * 3")).toEqual([{ kind: "text", text: "a ` lone tick and 2 * 3" }]);
    expect(parseInlineMarkdown("<b>not html</b>")).toEqual([{ kind: "text", text: "<b>not html</b>" }]);
  });
});

describe("the If settings form", () => {
  function Harness() {
    const [config, setConfig] = useState<JsonObject>({});
    const info = nodeType("logic.if");
    return <SchemaForm nodeId="check" schema={info.config_schema} config={config} suggestions={[]} onChange={setConfig} />;
  }

  it("offers operators as words, without “(one of)”", () => {
    render(<Harness />);
    const select = screen.getByTestId("field-operator");
    const options = within(select).getAllByRole("option").map((option) => option.textContent);
    expect(options).toContain("is greater than");
    expect(options).not.toContain("gt");
    expect(document.body.textContent).not.toContain("(one of)");
    expect(screen.getByTestId("alternatives-hint").textContent).toBe("Fill in either Condition, or Left and Operator.");
  });
});

describe("the problems list", () => {
  it("shows the node's name, the field's label and the sentence, keeping the path as data", () => {
    const problem = { path: "nodes[1].config.url", code: "INVALID_NODE_CONFIG", message: "URL can't be empty" };
    render(<ProblemsList problems={[{ problem, nodeId: "call", nodeName: "Call the API" }]} onFocusNode={() => undefined} />);
    const item = screen.getByTestId("problem-item");
    expect(item.textContent).toBe("Call the API · URLURL can't be empty");
    expect(item.textContent).not.toContain("nodes[1]");
    expect(item.getAttribute("data-path")).toBe("nodes[1].config.url");
  });
});

describe("the expressions cheat-sheet", () => {
  it("maps n8n expressions and lists the date helpers", () => {
    const n8n = CHEATSHEET.find((section) => section.id === "n8n")!;
    expect(n8n.rows.map((row) => row.code)).toContain("{{ $json.x }} → {{ input.x }}");
    const dates = CHEATSHEET.find((section) => section.id === "dates")!.rows.map((row) => row.code).join(" ");
    for (const helper of ["now()", "today()", "| date", "format_date", "add_days", "days_between"]) expect(dates).toContain(helper);
  });

  it("searches rows and section titles", () => {
    expect(searchCheatsheet("$json").flatMap((s) => s.rows.map((r) => r.code))).toEqual(["{{ $json.x }} → {{ input.x }}", "{{ $json.x ?? 'none' }} → {{ input.x | default('none') }}"]);
    expect(searchCheatsheet("dates and").map((s) => s.id)).toEqual(["dates"]);
    expect(searchCheatsheet("zzz-nothing")).toEqual([]);
    expect(searchCheatsheet("  ")).toBe(CHEATSHEET);
  });

  it("opens from an expression field's help button and closes on Escape", () => {
    render(<ExpressionInput id="x" value="{{ input.x }}" onChange={() => undefined} suggestions={[]} />);
    fireEvent.click(screen.getByRole("button", { name: "Expressions help" }));
    const help = screen.getByTestId("expression-help");
    expect(within(help).getByText("{{ $json.x }} → {{ input.x }}")).toBeTruthy();
    fireEvent.change(within(help).getByLabelText("Search the expressions help"), { target: { value: "days_between" } });
    expect(within(help).getAllByRole("row")).toHaveLength(1);
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("expression-help")).toBeNull();
  });

  it("is not offered in compact rows", () => {
    render(<ExpressionInput id="y" value="" onChange={() => undefined} suggestions={[]} compact />);
    expect(screen.queryByRole("button", { name: "Expressions help" })).toBeNull();
  });
});
