/** Loading the workflow and node types, and the workflow-level actions: publish, restore, (de)activate. */
import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { normalizeDefinition, problemsByNode } from "../mapping";
import type { Definition, NodeTypeInfo, Problem, Workflow } from "../types";
import type { SaveOutcome } from "./useAutosave";
import type { Notify } from "./useToasts";

export interface ProblemsState {
  list: Problem[];
  byNode: Record<string, Problem[]>;
  definition: Pick<Definition, "nodes" | "edges">;
}

const NO_PROBLEMS: ProblemsState = { list: [], byNode: {}, definition: { nodes: [], edges: [] } };

interface Hooks {
  workflowId: string;
  notify: Notify;
  /** Put a definition from the server on the canvas and mark it saved at that ETag. */
  loadDefinition: (definition: Definition, etag: string | null) => void;
  /** Flush pending edits before acting on the draft. */
  saveNow: () => Promise<SaveOutcome>;
  /** The revision the draft was saved at, and how to move it on after a rename (D13). */
  revision: { current: () => string | null; adopt: (etag: string | null) => void };
}

export function useWorkflowActions({ workflowId, notify, loadDefinition, saveNow, revision }: Hooks) {
  const [nodeTypeList, setNodeTypeList] = useState<NodeTypeInfo[]>([]);
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblemsState] = useState<ProblemsState>(NO_PROBLEMS);

  const setProblems = useCallback((list: Problem[], definition: Pick<Definition, "nodes" | "edges">) => {
    setProblemsState({ list, byNode: problemsByNode(list, definition), definition });
  }, []);

  useEffect(() => {
    let live = true;
    Promise.all([api.nodeTypes(), api.workflow(workflowId)])
      .then(([types, { data: loaded, etag }]) => {
        if (!live) return;
        const definition = normalizeDefinition(loaded.definition ?? {});
        setNodeTypeList(types);
        setWorkflow(loaded);
        loadDefinition(definition, etag);
        setProblems(loaded.problems ?? [], definition);
      })
      .catch((problem: Error) => live && setLoadError(problem.message));
    return () => {
      live = false;
    };
    // Loads once per workflow; loadDefinition is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workflowId]);

  const publish = useCallback(
    async (note: string) => {
      if ((await saveNow()) === "conflict") {
        notify("Couldn't publish: this workflow was changed elsewhere. Reload or keep yours first.", "error");
        return false;
      }
      try {
        const version = await api.publish(workflowId, note);
        notify(`Published version ${version.number}.`, "success");
        setWorkflow((current) => (current ? { ...current, published_version: version.number } : current));
        return true;
      } catch (problem) {
        notify(`Couldn't publish: ${problem instanceof Error ? problem.message : String(problem)}`, "error");
        return false;
      }
    },
    [workflowId, notify, saveNow],
  );

  const restore = useCallback(
    async (number: number) => {
      await saveNow();
      try {
        const { data: restored, etag } = await api.restoreVersion(workflowId, number);
        const definition = normalizeDefinition(restored.definition ?? {});
        setWorkflow(restored);
        loadDefinition(definition, etag);
        setProblems(restored.problems ?? [], definition);
        notify(`Version ${number} restored to the draft.`, "success");
        return true;
      } catch (problem) {
        notify(`Couldn't restore: ${problem instanceof Error ? problem.message : String(problem)}`, "error");
        return false;
      }
    },
    [workflowId, notify, saveNow, loadDefinition, setProblems],
  );

  const toggleActive = useCallback(async () => {
    if (!workflow) return;
    const activating = workflow.status !== "active";
    try {
      const updated = activating ? await api.activate(workflowId) : await api.deactivate(workflowId);
      setWorkflow((current) => (current ? { ...current, status: updated.status, published_version: updated.published_version ?? current.published_version } : current));
      notify(activating ? "Workflow activated: its triggers now run the published version." : "Workflow deactivated.", "success");
    } catch (problem) {
      notify(`Couldn't ${activating ? "activate" : "deactivate"}: ${problem instanceof Error ? problem.message : String(problem)}`, "error");
    }
  }, [workflow, workflowId, notify]);

  /** Rename from the header: only over the revision this tab saw (If-Match), like every save. */
  const rename = useCallback(
    async (name: string) => {
      const wanted = name.trim();
      if (!wanted) {
        notify("A workflow needs a name.", "error");
        return false;
      }
      if ((await saveNow()) === "conflict") {
        notify("Couldn't rename: this workflow was changed elsewhere. Reload or keep yours first.", "error");
        return false;
      }
      try {
        const { data, etag } = await api.rename(workflowId, wanted, revision.current());
        revision.adopt(etag);
        setWorkflow((current) => (current ? { ...current, name: data.name } : current));
        notify(`Renamed to “${data.name}”.`, "success");
        return true;
      } catch (problem) {
        const stale = problem instanceof ApiError && problem.status === 412;
        const why = stale ? "this workflow was changed elsewhere; reload to see the latest version" : problem instanceof Error ? problem.message : String(problem);
        notify(`Couldn't rename: ${why}`, "error");
        return false;
      }
    },
    [workflowId, notify, saveNow, revision],
  );

  /** The server's workflow replaces ours (Reload after a conflict). */
  const replaceWorkflow = useCallback(
    (next: Workflow, etag: string | null) => {
      const definition = normalizeDefinition(next.definition ?? {});
      setWorkflow(next);
      loadDefinition(definition, etag);
      setProblems(next.problems ?? [], definition);
    },
    [loadDefinition, setProblems],
  );

  return { nodeTypeList, workflow, loadError, problems, setProblems, publish, restore, toggleActive, replaceWorkflow, rename };
}
