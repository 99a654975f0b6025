import { createContext, useContext } from "react";
import type { NodeRunState, NodeTypeInfo, Problem } from "../types";

/** What every node card reads besides its own data: types, live run state, problems. */
export interface EditorView {
  nodeTypes: Record<string, NodeTypeInfo>;
  runStates: Record<string, NodeRunState>;
  problems: Record<string, Problem[]>;
  readOnly: boolean;
}

export const EditorViewContext = createContext<EditorView>({ nodeTypes: {}, runStates: {}, problems: {}, readOnly: true });

export const useEditorView = () => useContext(EditorViewContext);
