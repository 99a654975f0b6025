/**
 * Completion in the code editor for what a function can reach: `ctx.` members, and the
 * project's functions by name inside `ctx.call("…")` and after `ctx.api.` (D17). Expressions
 * cannot call functions (D3), so their names are offered here, where a call is real code.
 */
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from "@codemirror/autocomplete";

export interface FunctionName {
  name: string;
  kind: string;
}

const CTX_MEMBERS: Completion[] = [
  { label: "log", type: "method", detail: "(*parts)", info: "A line in the run's logs and the test panel." },
  { label: "call", type: "method", detail: "(name, input)", info: "Call another function of the project by name." },
  { label: "api", type: "property", detail: ".name(…)", info: "Call a function as ctx.api.slack.postMessage(…)." },
  { label: "http", type: "method", detail: "(method, url, *, headers, json, body, params)", info: "HTTP to a host the function declares." },
  { label: "credentials", type: "property", detail: "[name]", info: "The credentials the function declares." },
];

function functionOptions(names: FunctionName[], self: string | null): Completion[] {
  return names
    .filter((fn) => fn.name !== self)
    .map((fn) => ({ label: fn.name, type: "function", detail: `${fn.kind} function` }));
}

/**
 * The completion source. `names` is read when asked (the list may still be loading: then only
 * `ctx.` members are offered); `self` is the edited function's own name, never offered.
 */
export function ctxCompletions(names: () => FunctionName[], self: string | null = null): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const quoted = context.matchBefore(/ctx\.call\(\s*["'][\w.]*/);
    if (quoted) {
      const start = quoted.from + quoted.text.search(/["']/) + 1;
      return { from: start, options: functionOptions(names(), self), validFor: /^[\w.]*$/ };
    }
    const api = context.matchBefore(/ctx\.api\.[\w.]*/);
    if (api) return { from: api.from + "ctx.api.".length, options: functionOptions(names(), self), validFor: /^[\w.]*$/ };
    const member = context.matchBefore(/\bctx\.\w*/);
    if (member) return { from: member.from + "ctx.".length, options: CTX_MEMBERS, validFor: /^\w*$/ };
    return null;
  };
}
