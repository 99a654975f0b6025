import type { NodeTypes } from "@xyflow/react";
import { WORKFLOW_NODE } from "../mapping";
import { NOTE_NODE } from "../notes";
import { StickyNoteCard } from "./StickyNoteCard";
import { WorkflowNodeCard } from "./WorkflowNodeCard";

/** Declared once at module scope so React Flow never re-creates its node renderers. */
export const flowNodeTypes: NodeTypes = { [WORKFLOW_NODE]: WorkflowNodeCard, [NOTE_NODE]: StickyNoteCard };
