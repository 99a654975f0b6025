/** An undo/redo stack of serialized definitions (pure, so it is unit-tested). */
export interface History {
  past: string[];
  present: string;
  future: string[];
}

const LIMIT = 100;

export function startHistory(present: string): History {
  return { past: [], present, future: [] };
}

/** Record a new state; `coalesce` replaces the present instead (one entry per burst of typing). */
export function recordState(history: History, next: string, coalesce = false): History {
  if (next === history.present) return history;
  if (coalesce && history.past.length > 0) return { ...history, present: next, future: [] };
  return { past: [...history.past, history.present].slice(-LIMIT), present: next, future: [] };
}

export function undoState(history: History): History {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redoState(history: History): History {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
