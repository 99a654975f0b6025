/**
 * Autosave of the draft: ~800 ms after the last edit, PATCH ?validate=false (a work in
 * progress is never refused), then ask the server for its problems. Saves run one at a time.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "../api";
import type { Definition, Problem } from "../types";

export type SaveStatus = "saved" | "unsaved" | "saving" | "error";
const DEBOUNCE_MS = 800;

interface Options {
  workflowId: string;
  definitionJson: string;
  /** False while loading, dragging or read-only. */
  enabled: boolean;
  onValidated: (problems: Problem[], definition: Definition) => void;
}

export function useAutosave({ workflowId, definitionJson, enabled, onValidated }: Options) {
  const [status, setStatus] = useState<SaveStatus>("saved");
  const [error, setError] = useState<string | null>(null);
  const savedJson = useRef<string | null>(null);
  const latestJson = useRef(definitionJson);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const validatedRef = useRef(onValidated);
  latestJson.current = definitionJson;
  validatedRef.current = onValidated;

  const validate = useCallback(
    async (json: string = latestJson.current) => {
      const definition = JSON.parse(json) as Definition;
      try {
        const result = await api.validate(workflowId, definition);
        validatedRef.current(result.problems ?? [], definition);
        return result;
      } catch (problem) {
        if (problem instanceof ApiError && problem.field) {
          const problems = [{ path: problem.field, code: problem.code, message: problem.message }];
          validatedRef.current(problems, definition);
        }
        return null;
      }
    },
    [workflowId],
  );

  const saveNow = useCallback(() => {
    chain.current = chain.current.then(async () => {
      const json = latestJson.current;
      if (json === savedJson.current) {
        setStatus("saved");
        return;
      }
      setStatus("saving");
      try {
        await api.saveDraft(workflowId, JSON.parse(json) as Definition);
        savedJson.current = json;
        setError(null);
        setStatus(latestJson.current === json ? "saved" : "unsaved");
        await validate(json);
      } catch (problem) {
        setStatus("error");
        setError(problem instanceof Error ? problem.message : "Save failed");
      }
    });
    return chain.current;
  }, [workflowId, validate]);

  useEffect(() => {
    if (!enabled || savedJson.current === null) return;
    if (definitionJson === savedJson.current) {
      setStatus((current) => (current === "unsaved" ? "saved" : current));
      return;
    }
    setStatus("unsaved");
    const timer = window.setTimeout(() => void saveNow(), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [definitionJson, enabled, saveNow]);

  // Leaving with unsaved edits asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (savedJson.current !== null && latestJson.current !== savedJson.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  /** The draft as loaded (or restored) from the server: nothing to save yet. */
  const markSaved = useCallback((json: string) => {
    savedJson.current = json;
    setStatus("saved");
    setError(null);
  }, []);

  return { status, error, saveNow, validate, markSaved };
}
