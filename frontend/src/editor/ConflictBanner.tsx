/** Shown when a save was refused because the draft changed elsewhere; autosave waits for a choice. */
import { useState } from "react";

interface Props {
  onReload: () => Promise<unknown>;
  onKeepMine: () => Promise<unknown>;
}

export function ConflictBanner({ onReload, onKeepMine }: Props) {
  const [busy, setBusy] = useState(false);
  const act = (action: () => Promise<unknown>) => async () => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="conflict-banner" role="alert" data-testid="conflict-banner">
      <div>
        <strong>This workflow was changed elsewhere</strong>
        <p className="muted small">
          Your latest edits are not saved. Reload to take the other version (your edits here are dropped), or keep
          yours to overwrite it.
        </p>
      </div>
      <div className="conflict-actions">
        <button type="button" className="button" data-testid="conflict-reload" disabled={busy} onClick={act(onReload)}>
          Reload
        </button>
        <button type="button" className="button primary" data-testid="conflict-keep-mine" disabled={busy} onClick={act(onKeepMine)}>
          Keep mine
        </button>
      </div>
    </div>
  );
}
