import { useEffect, useRef, useState } from "react";
import type { JsonValue } from "../types";

/**
 * Text a user is typing for a value that is not text (a number, JSON): the text stays as
 * typed while it is half-finished, and is replaced only when the value changes from outside
 * (undo, another node selected).
 */
export function useDraftText(value: JsonValue | undefined, format: (value: JsonValue | undefined) => string) {
  const [text, setText] = useState(() => format(value));
  const emitted = useRef<string>(JSON.stringify(value ?? null));
  useEffect(() => {
    const incoming = JSON.stringify(value ?? null);
    if (incoming !== emitted.current) {
      emitted.current = incoming;
      setText(format(value));
    }
    // `format` is a pure formatter; only the value matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const remember = (next: JsonValue | undefined) => {
    emitted.current = JSON.stringify(next ?? null);
  };
  return { text, setText, remember };
}
