/** A workflow's status in the one vocabulary of every page: Draft / Published vN / Active.
 * Same rule as workflows/status.py on the server side. */
import type { WorkflowStatus } from "./types";

export interface StatusLabel {
  key: "draft" | "published" | "active";
  text: string;
  title: string;
}

export function statusLabel(status: WorkflowStatus, publishedVersion: number | null): StatusLabel {
  if (status === "active") {
    const version = publishedVersion ? `v${publishedVersion}` : "the published version";
    return { key: "active", text: "Active", title: `Triggers run ${version}` };
  }
  if (publishedVersion) {
    return { key: "published", text: `Published v${publishedVersion}`, title: "Triggers are off until you activate it" };
  }
  return { key: "draft", text: "Draft", title: "Not published yet" };
}
