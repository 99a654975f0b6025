/** Validation problems of the draft; clicking one selects and centres its node. */
import type { Problem } from "../types";

interface Props {
  problems: { problem: Problem; nodeId: string | null; nodeName: string | null }[];
  onFocusNode: (nodeId: string) => void;
}

export function ProblemsList({ problems, onFocusNode }: Props) {
  return (
    <section className="problems" data-testid="problems-list" aria-label="Problems">
      <h2>
        {problems.length === 0 ? "No problems" : `${problems.length} problem${problems.length === 1 ? "" : "s"}`}
      </h2>
      {problems.length === 0 ? (
        <p className="muted">The draft is valid and ready to run or publish.</p>
      ) : (
        <ul>
          {problems.map(({ problem, nodeId, nodeName }, index) => (
            <li key={`${problem.path}-${index}`}>
              <button
                type="button"
                className="problem-item"
                data-testid="problem-item"
                data-node-id={nodeId ?? ""}
                disabled={!nodeId}
                onClick={() => nodeId && onFocusNode(nodeId)}
              >
                <span className="problem-where">{nodeName ?? (problem.path || "workflow")}</span>
                <span className="problem-message">{problem.message}</span>
                <code className="problem-path">{problem.path}</code>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
