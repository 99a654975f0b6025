/** Editor-wide keyboard shortcuts (the list lives in Dialogs.tsx SHORTCUTS). */
import { useEffect, useRef } from "react";

export interface ShortcutActions {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  selectAll: () => void;
  save: () => void;
  run: () => void;
  fitView: () => void;
  layout: () => void;
  help: () => void;
  deselect: () => void;
  connect: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function useShortcuts(actions: ShortcutActions, readOnly: boolean) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || document.querySelector(".modal")) return;
      const a = latest.current;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const run = (action: () => void) => {
        event.preventDefault();
        action();
      };
      if (mod && key === "z" && !readOnly) return run(event.shiftKey ? a.redo : a.undo);
      if (mod && key === "y" && !readOnly) return run(a.redo);
      if (mod && key === "c") return a.copy();
      if (mod && key === "v" && !readOnly) return run(a.paste);
      if (mod && key === "a") return run(a.selectAll);
      if (mod && key === "s" && !readOnly) return run(a.save);
      if (mod && key === "enter" && !readOnly) return run(a.run);
      if (mod || event.altKey) return;
      if (key === "f") return run(a.fitView);
      if (key === "l" && !readOnly) return run(a.layout);
      if (key === "c" && !readOnly) return run(a.connect);
      if (event.key === "?") return run(a.help);
      if (key === "escape") return a.deselect();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [readOnly]);
}
