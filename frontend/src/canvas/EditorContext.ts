/**
 * What every node card reads besides its own data: types, live run state, problems.
 *
 * Held in a small store rather than a React context value: a card subscribes to its own slice
 * (its run state, its problems, its type), so a run lighting up one node re-renders that node
 * alone instead of all 500 (issue 25).
 */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { NodeRunState, NodeTypeInfo, PinnedData, Problem } from "../types";

export interface EditorView {
  nodeTypes: Record<string, NodeTypeInfo>;
  runStates: Record<string, NodeRunState>;
  problems: Record<string, Problem[]>;
  readOnly: boolean;
  /** Nodes with pinned test data (a pin badge on the card). */
  pinned: Record<string, PinnedData>;
}

const EMPTY_VIEW: EditorView = { nodeTypes: {}, runStates: {}, problems: {}, readOnly: true, pinned: {} };
const NO_PROBLEMS: Problem[] = [];

export class EditorViewStore {
  private view: EditorView = EMPTY_VIEW;
  private listeners = new Set<() => void>();

  get = (): EditorView => this.view;

  set(view: EditorView): void {
    if (view === this.view) return;
    this.view = view;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export const EditorViewContext = createContext<EditorViewStore>(new EditorViewStore());

/** One slice of the view; the component re-renders only when that slice changes (by identity). */
export function useEditorSlice<T>(select: (view: EditorView) => T): T {
  const store = useContext(EditorViewContext);
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

export const useNodeTypeInfo = (type: string) => useEditorSlice((view) => view.nodeTypes[type]);
export const useNodeRunState = (id: string) => useEditorSlice((view) => view.runStates[id]);
export const useNodeProblems = (id: string) => useEditorSlice((view) => view.problems[id] ?? NO_PROBLEMS);
export const useNodePinned = (id: string) => useEditorSlice((view) => id in view.pinned);
export const useReadOnly = () => useEditorSlice((view) => view.readOnly);
