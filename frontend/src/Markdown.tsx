/** Inline Markdown for descriptions: `code`, **bold** and *emphasis*, as React elements (never HTML strings). */
import type { ReactNode } from "react";

export interface MarkdownToken {
  kind: "text" | "code" | "strong" | "em";
  text: string;
}

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/g;

/** Split text into plain runs and inline-Markdown runs; unmatched markers stay as typed. */
export function parseInlineMarkdown(text: string): MarkdownToken[] {
  const tokens: MarkdownToken[] = [];
  let position = 0;
  for (const match of text.matchAll(INLINE)) {
    const raw = match[0];
    const start = match.index ?? 0;
    if (start > position) tokens.push({ kind: "text", text: text.slice(position, start) });
    if (raw.startsWith("`")) tokens.push({ kind: "code", text: raw.slice(1, -1) });
    else if (raw.startsWith("**")) tokens.push({ kind: "strong", text: raw.slice(2, -2) });
    else tokens.push({ kind: "em", text: raw.slice(1, -1) });
    position = start + raw.length;
  }
  if (position < text.length) tokens.push({ kind: "text", text: text.slice(position) });
  return tokens;
}

export function InlineMarkdown({ text }: { text: string }): ReactNode {
  return parseInlineMarkdown(text).map((token, index) => {
    if (token.kind === "code") return <code key={index}>{token.text}</code>;
    if (token.kind === "strong") return <strong key={index}>{token.text}</strong>;
    if (token.kind === "em") return <em key={index}>{token.text}</em>;
    return <span key={index}>{token.text}</span>;
  });
}
