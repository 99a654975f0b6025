import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { expressionSuggestions } from "../src/expressions";
import { fieldKind } from "../src/settings/fieldKind";
import { clearPickerCache } from "../src/settings/PickerFields";
import { SchemaForm } from "../src/settings/SchemaForm";
import type { JsonObject, JsonSchema } from "../src/types";
import { leadFlow, nodeType } from "./fixtures";

const flow = leadFlow();
const suggestionsFor = (id: string) => expressionSuggestions(id, flow.nodes, flow.edges, flow.variables);

/** The form as the settings panel uses it: config held in state, every change recorded. */
function renderForm(type: string, initial: JsonObject = {}, nodeId = "notify") {
  const changes: JsonObject[] = [];
  const info = nodeType(type);
  function Harness() {
    const [config, setConfig] = useState<JsonObject>(initial);
    return (
      <SchemaForm
        nodeId={nodeId}
        schema={info.config_schema}
        config={config}
        example={info.example}
        suggestions={suggestionsFor(nodeId)}
        onChange={(next) => {
          changes.push(next);
          setConfig(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { changes, last: () => changes.at(-1) };
}

// Pickers ask the API for choices; unless a test answers, the answer never comes.
beforeEach(() => {
  vi.stubGlobal("fetch", vi.fn(() => new Promise(() => undefined)));
});

afterEach(() => {
  vi.unstubAllGlobals();
  clearPickerCache();
});

describe("field kinds from the node types' schemas", () => {
  const props = (type: string) => nodeType(type).config_schema.properties as Record<string, JsonSchema>;
  it("picks a control for every kind of property", () => {
    const http = props("http.request");
    expect(fieldKind(http.url!)).toBe("expression");
    expect(fieldKind(http.method!)).toBe("select");
    expect(fieldKind(http.headers!)).toBe("keyValue");
    expect(fieldKind(http.timeout_seconds!)).toBe("number");
    expect(fieldKind(http.fail_on_http_error!)).toBe("boolean");
    expect(fieldKind(http.credential!)).toBe("credential");
    expect(fieldKind(http.body!)).toBe("expression");
    expect(fieldKind(props("data.set").fields!)).toBe("keyValue");
    expect(fieldKind(props("trigger.message").keywords!)).toBe("stringList");
    expect(fieldKind(props("trigger.webhook").methods!)).toBe("multiSelect");
    expect(fieldKind(props("trigger.schedule").cron!)).toBe("text");
    expect(fieldKind(props("logic.switch").cases!)).toBe("json");
    expect(fieldKind(props("logic.for_each").concurrency!)).toBe("number");
    expect(fieldKind({ type: "string", "x-connection-kinds": ["postgresql"] })).toBe("connection");
    expect(fieldKind({ type: "object" })).toBe("json");
  });
});

describe("the generated settings form", () => {
  it("labels fields, marks required ones and shows help and examples", () => {
    renderForm("http.request");
    expect(screen.getByText("URL").textContent).toContain("*");
    expect(screen.getByText("Credential whose headers (or query parameter) are added to the request.")).toBeTruthy();
    expect(screen.getByTestId("field-url").getAttribute("placeholder")).toBe("e.g. https://api.example.com/leads");
  });

  it("edits a text field and drops the key when emptied", () => {
    const form = renderForm("trigger.schedule", { cron: "0 9 * * *" });
    fireEvent.change(screen.getByTestId("field-cron"), { target: { value: "*/5 * * * *" } });
    expect(form.last()).toEqual({ cron: "*/5 * * * *" });
    fireEvent.change(screen.getByTestId("field-cron"), { target: { value: "" } });
    expect(form.last()).toEqual({});
  });

  it("reads numbers as numbers and refuses other text", () => {
    const form = renderForm("logic.for_each", { items: "{{ input.rows }}" }, "loop");
    const box = screen.getByTestId("field-concurrency");
    fireEvent.change(box, { target: { value: "4" } });
    expect(form.last()).toEqual({ items: "{{ input.rows }}", concurrency: 4 });
    fireEvent.change(box, { target: { value: "four" } });
    expect(screen.getByText("Enter a number.")).toBeTruthy();
    expect(form.changes).toHaveLength(1);
  });

  it("toggles booleans and picks from enums", () => {
    const form = renderForm("http.request", { url: "https://x" });
    fireEvent.click(screen.getByTestId("field-fail_on_http_error"));
    expect(form.last()).toMatchObject({ fail_on_http_error: false });
    fireEvent.change(screen.getByTestId("field-method"), { target: { value: "1" } });
    expect(form.last()).toMatchObject({ method: "POST" });
  });

  it("edits an object of strings as a key-value list", () => {
    const form = renderForm("http.request", { url: "https://x", headers: { Accept: "json" } });
    const headers = screen.getByTestId("field-headers");
    expect((within(headers).getByLabelText("headers key 1") as HTMLInputElement).value).toBe("Accept");
    fireEvent.click(within(headers).getByText("+ Add header"));
    fireEvent.change(within(headers).getByLabelText("headers key 2"), { target: { value: "X-Team" } });
    fireEvent.change(within(headers).getByLabelText("headers value 2"), { target: { value: "{{ vars.team }}" } });
    expect(form.last()!.headers).toEqual({ Accept: "json", "X-Team": "{{ vars.team }}" });
    fireEvent.click(within(headers).getByLabelText("Remove Accept"));
    expect(form.last()!.headers).toEqual({ "X-Team": "{{ vars.team }}" });
  });

  it("edits a list of strings", () => {
    const form = renderForm("trigger.message", { keywords: ["help"] }, "start");
    const list = screen.getByTestId("field-keywords");
    fireEvent.click(within(list).getByText("+ Add item"));
    fireEvent.change(within(list).getByLabelText("keywords 2"), { target: { value: "support" } });
    expect(form.last()).toEqual({ keywords: ["help", "support"] });
  });

  it("edits a list of choices as checkboxes", () => {
    const form = renderForm("trigger.webhook", { methods: ["POST"] }, "start");
    fireEvent.click(within(screen.getByTestId("field-methods")).getByLabelText("GET"));
    expect(form.last()).toEqual({ methods: ["GET", "POST"] });
  });

  it("edits arbitrary JSON, reporting parse errors without saving them", () => {
    const form = renderForm("logic.switch", { cases: ["free"] }, "route");
    const box = screen.getByTestId("field-cases") as HTMLTextAreaElement;
    expect(JSON.parse(box.value)).toEqual(["free"]);
    fireEvent.change(box, { target: { value: '["free", "pro"' } });
    expect(screen.getByText(/Invalid JSON/)).toBeTruthy();
    expect(form.changes).toHaveLength(0);
    fireEvent.change(box, { target: { value: '["free", "pro"]' } });
    expect(screen.queryByText(/Invalid JSON/)).toBeNull();
    expect(form.last()).toEqual({ cases: ["free", "pro"] });
  });

  it("highlights {{ }} in expression fields", () => {
    renderForm("http.request", { url: "https://x/{{ input.id }}" });
    const field = screen.getByTestId("field-url").closest(".expr")!;
    expect(field.querySelector("mark.expr-token")!.textContent).toBe("{{ input.id }}");
  });

  it("suggests what is in scope after {{ and inserts the choice", () => {
    const form = renderForm("http.request", { url: "https://x/" });
    const box = screen.getByTestId("field-url") as HTMLTextAreaElement;
    fireEvent.focus(box);
    expect(screen.queryByTestId("expression-suggestions")).toBeNull();
    fireEvent.change(box, { target: { value: "https://x/{{ st", selectionStart: 15 } });
    const list = screen.getByTestId("expression-suggestions");
    const offered = within(list).getAllByRole("option").map((o) => o.querySelector("code")!.textContent);
    expect(offered).toEqual(["steps.check.output", "steps.start.output"]);
    fireEvent.mouseDown(within(list).getByText("steps.start.output"));
    expect(form.last()).toEqual({ url: "https://x/{{ steps.start.output }}" });
  });

  it("keeps a typed JSON body as an object in an expression field", () => {
    const form = renderForm("http.request", { url: "https://x" });
    fireEvent.change(screen.getByTestId("field-body"), { target: { value: '{"email": "{{ input.email }}"}' } });
    expect(form.last()!.body).toEqual({ email: "{{ input.email }}" });
  });

  it("fills the credential picker from the API, filtered by type", async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ success: true, data: [{ id: "cred_1", name: "CRM token", type: "bearer" }] })));
    vi.stubGlobal("fetch", fetchMock);
    const form = renderForm("http.request", { url: "https://x" });
    await waitFor(() => expect(screen.getByText("CRM token")).toBeTruthy());
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toContain(
      "credentials?type=bearer&type=basic&type=api_key&type=oauth2_token&limit=100",
    );
    fireEvent.change(screen.getByTestId("field-credential"), { target: { value: "cred_1" } });
    expect(form.last()).toMatchObject({ credential: "cred_1" });
  });

  it("links to creating a credential of each accepted type when there is none", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ success: true, data: [] }))));
    renderForm("trigger.webhook", {}, "start");
    const empty = await screen.findByTestId("field-hmac_secret-empty");
    const link = within(empty).getByRole("link");
    expect(link.getAttribute("href")).toBe("/credentials/new/hmac_secret/");
  });

  it("falls back to an id box when credentials can't be listed", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ success: false, error: { code: "NOT_FOUND", message: "Not found" } }), { status: 404 })));
    renderForm("http.request", { url: "https://x" });
    await waitFor(() => expect(screen.getByText(/Couldn't load credentials/)).toBeTruthy());
    await act(async () => undefined);
    expect(screen.getByTestId("field-credential").tagName).toBe("INPUT");
  });

  it("says so when a node has no settings", () => {
    render(<SchemaForm nodeId="start" schema={{ type: "object", properties: {} }} config={{}} onChange={() => undefined} suggestions={[]} />);
    expect(screen.getByText("This node has no settings.")).toBeTruthy();
  });

  it("lets a trigger declare its input schema as JSON", () => {
    const form = renderForm("trigger.manual", {}, "start");
    const box = screen.getByTestId("field-input_schema") as HTMLTextAreaElement;
    expect(box.closest(".field")!.getAttribute("data-kind")).toBe("json");
    const schema = { type: "object", required: ["amount"], properties: { amount: { type: "number" } } };
    fireEvent.change(box, { target: { value: JSON.stringify(schema) } });
    expect(form.last()).toEqual({ input_schema: schema });
    fireEvent.change(box, { target: { value: "" } });
    expect(form.last()).toEqual({});
  });
});
