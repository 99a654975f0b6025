/**
 * Keeping the editor's draft and the server's in step when others edit too.
 *
 * Each save says which revision of the workflow it builds on (`If-Match` with the ETag of
 * the last answer); the server refuses a save built on an older one with 412. The editor
 * then reads the server's workflow: if its draft is still the one our edits started from,
 * only something else moved on (a publish, an activation, a rename — none of which a draft
 * save touches), so saving again with the new ETag overwrites nobody. Otherwise someone
 * changed the draft itself, and the builder decides: reload theirs, or keep mine.
 */
import { ApiError } from "../api";
import { normalizeDefinition } from "../mapping";
import type { Definition } from "../types";

/** JSON with object keys sorted at every depth, so equal definitions compare equal. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** The comparable form of a draft as the server stores it. */
export function draftKey(definition: Partial<Definition> | null | undefined): string {
  return stableJson(normalizeDefinition(definition ?? {}));
}

export function isStaleSave(problem: unknown): boolean {
  return problem instanceof ApiError && problem.status === 412;
}

export type StaleVerdict = "retry" | "conflict";

/**
 * After a 412: `retry` when the server's draft is still `baseKey` (the draft our edits build
 * on), `conflict` when someone changed the draft itself.
 */
export function judgeStaleSave(baseKey: string | null, serverDefinition: Partial<Definition> | null | undefined): StaleVerdict {
  return baseKey !== null && draftKey(serverDefinition) === baseKey ? "retry" : "conflict";
}
