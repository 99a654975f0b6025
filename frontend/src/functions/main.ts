/** The function page: code editor, fields of the chosen kind, and the test panel. */
import { ApiError, request } from "../api";
import type { FunctionSummary } from "../types";
import { mountCodeEditor, type CodeEditor } from "./codeEditor";
import { ctxCompletions, type FunctionName } from "./completions";
import { describeResult, errorLine, parseSampleInput, type TestResult } from "./testPanel";
import "./functions.css";

function showKindFields(form: HTMLFormElement, kind: string): void {
  form.dataset.kind = kind;
  for (const group of form.querySelectorAll<HTMLFieldSetElement>("fieldset[data-kinds]")) {
    const shown = (group.dataset.kinds ?? "").split(" ").includes(kind);
    group.hidden = !shown;
    group.disabled = !shown;
  }
}

function element(tag: string, text: string, attrs: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function renderResult(target: HTMLElement, result: TestResult, editor: CodeEditor | null): void {
  const view = describeResult(result);
  target.replaceChildren(element("p", view.headline, { class: `test-status ${view.status}`, "data-testid": "test-status" }));
  target.append(element("h3", view.status === "ok" ? "Output" : "Error"));
  target.append(element("pre", view.body, { "data-testid": view.status === "ok" ? "test-output" : "test-error" }));
  if (view.limits.length) target.append(element("p", `Limits hit: ${view.limits.join(", ")}`, { class: "error" }));
  target.append(element("h3", "Logs"));
  target.append(element("pre", view.logs || "(none)", { "data-testid": "test-logs" }));
  editor?.markError(view.line, view.body);
}

function renderProblem(target: HTMLElement, message: string): void {
  target.replaceChildren(element("p", message, { class: "error", role: "alert", "data-testid": "test-problem" }));
}

async function saveSourceIfChanged(functionId: string, editor: CodeEditor, saved: { source: string }): Promise<void> {
  const source = editor.value();
  if (source === saved.source) return;
  await request("PATCH", `functions/${encodeURIComponent(functionId)}`, { source });
  saved.source = source;
}

/** The credentials picked in the test panel for the keys the function leaves to each node. */
function chosenCredentials(panel: HTMLElement): Record<string, string> {
  const selects = [...panel.querySelectorAll<HTMLSelectElement>("select[data-test-credential]")];
  return Object.fromEntries(selects.filter((select) => select.value).map((select) => [select.dataset.testCredential ?? "", select.value]));
}

function wireTestPanel(panel: HTMLElement, editor: CodeEditor | null): void {
  const button = panel.querySelector<HTMLButtonElement>("#run-test");
  const input = panel.querySelector<HTMLTextAreaElement>("#test-input");
  const target = panel.querySelector<HTMLElement>("#test-result");
  const functionId = panel.dataset.functionId ?? "";
  if (!button || !input || !target) return;
  const saved = { source: editor?.value() ?? "" };
  button.addEventListener("click", async () => {
    const parsed = parseSampleInput(input.value);
    if (!parsed.ok) return renderProblem(target, parsed.message);
    button.disabled = true;
    target.replaceChildren(element("p", "Running…", { class: "muted" }));
    try {
      if (editor) await saveSourceIfChanged(functionId, editor, saved);
      const result = await request<TestResult>("POST", `functions/${encodeURIComponent(functionId)}/test`, {
        input: parsed.value,
        credentials: chosenCredentials(panel),
      });
      renderResult(target, result, editor);
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      renderProblem(target, error instanceof ApiError && error.field === "source" ? `Not saved: ${message}` : message);
      editor?.markError(errorLine(message), message);
    } finally {
      button.disabled = false;
    }
  });
}

/** The project's function names for completion, loaded once in the background ([] until then). */
function projectFunctionNames(): () => FunctionName[] {
  let names: FunctionName[] = [];
  request<FunctionSummary[]>("GET", "functions?limit=100").then(
    (list) => (names = list.map((fn) => ({ name: fn.name, kind: fn.kind }))),
    () => undefined,
  );
  return () => names;
}

function start(): void {
  const form = document.querySelector<HTMLFormElement>("#function-form");
  if (!form) return;
  const textarea = form.querySelector<HTMLTextAreaElement>("textarea[data-code-editor]");
  const self = form.querySelector<HTMLInputElement>("input[name=name]")?.value || null;
  const editor = textarea ? mountCodeEditor(textarea, ctxCompletions(projectFunctionNames(), self)) : null;
  const line = Number(form.dataset.errorLine ?? "");
  if (editor && line) editor.markError(line, form.querySelector("[data-testid=field-error-source]")?.textContent ?? "");
  const kind = form.querySelector<HTMLSelectElement>("select[name=kind]");
  kind?.addEventListener("change", () => showKindFields(form, kind.value));
  const panel = document.querySelector<HTMLElement>("#function-test");
  if (panel) wireTestPanel(panel, panel.dataset.kind === "code" ? editor : null);
}

start();
