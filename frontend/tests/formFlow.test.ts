import { describe, expect, it } from "vitest";
import { formFieldsOf } from "../src/editor/useFormFields";
import { expressionSuggestions } from "../src/expressions";
import { fieldKind } from "../src/settings/fieldKind";
import { nodeType } from "./fixtures";

const FORMS = [
  { id: "form_1", name: "Contact", slug: "contact", fields: [{ key: "full_name", label: "Full name", type: "text" }] },
  { id: "form_2", name: "Other", slug: "other", fields: [] },
];

describe("wiring a form to a flow", () => {
  it("makes the form trigger's form a picker", () => {
    const schema = nodeType("trigger.form").config_schema.properties!.form_id!;
    expect(fieldKind(schema)).toBe("form");
  });

  it("finds the chosen form's fields by id or by slug", () => {
    expect(formFieldsOf(FORMS, "form_1").map((f) => f.key)).toEqual(["full_name"]);
    expect(formFieldsOf(FORMS, "contact").map((f) => f.key)).toEqual(["full_name"]);
    expect(formFieldsOf(FORMS, null)).toEqual([]);
    expect(formFieldsOf(FORMS, "form_missing")).toEqual([]);
  });

  it("offers trigger.data.<key> for each field of the form", () => {
    const offered = expressionSuggestions("next", [{ id: "next", name: "Next" }], [], {}, formFieldsOf(FORMS, "form_1"));
    expect(offered).toContainEqual({ path: "trigger.data.full_name", detail: "Form field “Full name”" });
  });
});
