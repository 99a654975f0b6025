import type { NodeTypes } from "@xyflow/react";
import { WORKFLOW_NODE } from "../mapping";
import { WorkflowNodeCard } from "./WorkflowNodeCard";

/** Declared once at module scope so React Flow never re-creates its node renderers. */
export const flowNodeTypes: NodeTypes = { [WORKFLOW_NODE]: WorkflowNodeCard };
