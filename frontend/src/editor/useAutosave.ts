/**
 * Autosave of the draft: ~800 ms after the last edit, PATCH ?validate=false (a work in
 * progress is never refused), then ask the server for its problems. Saves run one at a time.
 *
 * Every save carries `If-Match` with the latest ETag the server gave us. When the draft was
 * changed elsewhere the save is refused (412); autosave then stops and `conflict` holds the
 * server's workflow until the builder picks `reload` (take theirs) or `keepMine` (overwrite
 * theirs with the fresh ETag). See draftSync.ts.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError } from "../api";
import type { Definition, Problem, Workflow } from "../types";
import { draftKey, isStaleSave, judgeStaleSave } from "./draftSync";

export type SaveStatus = "saved" | "unsaved" | "saving" | "error" | "conflict";
/** What a save ended in: the server holds the canvas's draft, the save failed, or a conflict stops it. */
export type SaveOutcome = "saved" | "failed" | "conflict";
const DEBOUNCE_MS = 800;

/** The server's workflow as it was when our save was refused, and the ETag that names it. */
export interface Conflict {
  workflow: Workflow;
  etag: string | null;
}

interface Options {
  workflowId: string;
  definitionJson: string;
  /** False while loading, dragging or read-only. */
  enabled: boolean;
  onValidated: (problems: Problem[], definition: Definition) => void;
  /** Put the server's workflow on the canvas (Reload); it calls `markSaved` in turn. */
  onReload: (workflow: Workflow, etag: string | null) => void;
}

export function useAutosave({ workflowId, definitionJson, enabled, onValidated, onReload }: Options) {
  const [status, setStatus] = useState<SaveStatus>("saved");
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflictState] = useState<Conflict | null>(null);
  const savedJson = useRef<string | null>(null);
  const latestJson = useRef(definitionJson);
  const etag = useRef<string | null>(null);
  /** The server's draft our edits build on (draftKey form). */
  const baseKey = useRef<string | null>(null);
  const conflictRef = useRef<Conflict | null>(null);
  const chain = useRef<Promise<SaveOutcome>>(Promise.resolve("saved"));
  const validatedRef = useRef(onValidated);
  const reloadRef = useRef(onReload);
  latestJson.current = definitionJson;
  validatedRef.current = onValidated;
  reloadRef.current = onReload;

  const setConflict = useCallback((next: Conflict | null) => {
    conflictRef.current = next;
    setConflictState(next);
  }, []);

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

  /** One conditional save; after a 412, once more if only something other than the draft moved on. */
  const send = useCallback(
    async (json: string) => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const saved = await api.saveDraft(workflowId, JSON.parse(json) as Definition, etag.current);
          etag.current = saved.etag ?? etag.current;
          baseKey.current = draftKey(saved.data.definition);
          return;
        } catch (problem) {
          if (!isStaleSave(problem)) throw problem;
          const server = await api.workflow(workflowId);
          if (attempt > 0 || judgeStaleSave(baseKey.current, server.data.definition) === "conflict") {
            setConflict({ workflow: server.data, etag: server.etag });
            return;
          }
          etag.current = server.etag;
        }
      }
    },
    [workflowId, setConflict],
  );

  /** Save the latest draft now. */
  const saveNow = useCallback(() => {
    chain.current = chain.current.then(async (): Promise<SaveOutcome> => {
      if (conflictRef.current) return "conflict"; // stopped until the builder picks a side
      const json = latestJson.current;
      if (json === savedJson.current) {
        setStatus("saved");
        return "saved";
      }
      setStatus("saving");
      try {
        await send(json);
        if (conflictRef.current) {
          setStatus("conflict");
          return "conflict";
        }
        savedJson.current = json;
        setError(null);
        setStatus(latestJson.current === json ? "saved" : "unsaved");
        await validate(json);
        return "saved";
      } catch (problem) {
        setStatus("error");
        setError(problem instanceof Error ? problem.message : "Save failed");
        return "failed";
      }
    });
    return chain.current;
  }, [send, validate]);

  useEffect(() => {
    if (!enabled || savedJson.current === null || conflict) return;
    if (definitionJson === savedJson.current) {
      setStatus((current) => (current === "unsaved" ? "saved" : current));
      return;
    }
    setStatus("unsaved");
    const timer = window.setTimeout(() => void saveNow(), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [definitionJson, enabled, saveNow, conflict]);

  // Leaving with unsaved edits asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (savedJson.current !== null && latestJson.current !== savedJson.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  /** The draft as loaded (or restored) from the server, with its ETag: nothing to save yet. */
  const markSaved = useCallback(
    (json: string, serverEtag: string | null) => {
      savedJson.current = json;
      etag.current = serverEtag;
      baseKey.current = draftKey(JSON.parse(json) as Definition);
      setConflict(null);
      setStatus("saved");
      setError(null);
    },
    [setConflict],
  );

  /** Take the server's current draft, dropping the edits made here since the last save. */
  const reload = useCallback(async () => {
    try {
      const server = await api.workflow(workflowId);
      reloadRef.current(server.data, server.etag);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : "Reload failed");
    }
  }, [workflowId]);

  /** Overwrite the server's draft with the one on the canvas, building on the revision just seen. */
  const keepMine = useCallback(() => {
    const current = conflictRef.current;
    if (!current) return Promise.resolve<SaveOutcome>("saved");
    etag.current = current.etag;
    baseKey.current = draftKey(current.workflow.definition);
    savedJson.current = ""; // never equal to a draft: send even when the canvas equals what this tab saved last
    setConflict(null);
    return saveNow();
  }, [saveNow, setConflict]);

  /** The revision the next save builds on; a change made beside the draft (a rename) moves it on. */
  const revision = useMemo(
    () => ({ current: () => etag.current, adopt: (next: string | null) => void (next && (etag.current = next)) }),
    [],
  );

  return { status, error, conflict, saveNow, validate, markSaved, reload, keepMine, revision };
}
