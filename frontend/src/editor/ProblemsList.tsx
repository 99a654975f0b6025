/** Validation problems of the draft; clicking one selects and centres its node. */
import { problemPlace } from "../plainWords";
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
                data-path={problem.path}
                title={problem.path}
                disabled={!nodeId}
                onClick={() => nodeId && onFocusNode(nodeId)}
              >
                <span className="problem-where">
                  {nodeName ?? "Workflow"}
                  {problemPlace(problem.path) && <span className="problem-field"> · {problemPlace(problem.path)}</span>}
                </span>
                <span className="problem-message">{problem.message}</span>
              </button>
              {problem.link && (
                <a className="problem-link" data-testid="problem-link" href={problem.link} target="_blank" rel="noopener">
                  {problem.action?.href === problem.link && problem.action?.label ? problem.action.label : linkLabel(problem.link)}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function linkLabel(link: string): string {
  if (link.startsWith("/credentials/new/")) return "Create the credential";
  if (link.startsWith("/credentials")) return "Open credentials";
  if (link.startsWith("/connections")) return "Open connections";
  if (link.startsWith("/forms")) return "Open forms";
  if (link.startsWith("/functions")) return "Open functions";
  return "Open";
}
