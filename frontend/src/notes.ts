/**
 * Sticky notes (D24): annotations saved with the definition, drawn as React Flow nodes of their
 * own type, never run or validated as steps. Pure, so the round trip is unit-tested.
 */
import type { Node } from "@xyflow/react";
import type { NoteColor, StickyNote } from "./types";

export const NOTE_NODE = "note";
export const NOTE_COLORS: NoteColor[] = ["yellow", "blue", "green", "pink", "grey"];
export const NOTE_SIZE = { min: 60, max: 2000, width: 260, height: 160 };

export type NoteData = { text: string; color: NoteColor };
export type NoteFlowNode = Node<NoteData, typeof NOTE_NODE>;

const clampSize = (value: number | undefined, fallback: number) =>
  Math.round(Math.min(NOTE_SIZE.max, Math.max(NOTE_SIZE.min, Number.isFinite(value) ? (value as number) : fallback)));

export function noteToFlow(note: StickyNote): NoteFlowNode {
  return {
    id: note.id,
    type: NOTE_NODE,
    position: { x: note.position?.x ?? 0, y: note.position?.y ?? 0 },
    width: clampSize(note.width, NOTE_SIZE.width),
    height: clampSize(note.height, NOTE_SIZE.height),
    zIndex: -1, // under the steps and their edges
    data: { text: note.text ?? "", color: NOTE_COLORS.includes(note.color as NoteColor) ? (note.color as NoteColor) : "yellow" },
  };
}

export function flowNoteToDefinition(node: NoteFlowNode): StickyNote {
  return {
    id: node.id,
    text: node.data.text,
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    width: clampSize(node.width ?? node.measured?.width, NOTE_SIZE.width),
    height: clampSize(node.height ?? node.measured?.height, NOTE_SIZE.height),
    color: node.data.color,
  };
}

/** A note id no step or note uses: `note_1`, `note_2`, … */
export function newNoteId(taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n += 1) if (!used.has(`note_${n}`)) return `note_${n}`;
}

export interface NoteBlock {
  kind: "heading" | "item" | "paragraph";
  text: string;
}

/** A note's Markdown as blocks: `#` headings, `-`/`*` list items, paragraphs; inline marks are the Markdown component's. */
export function noteBlocks(text: string): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const heading = /^#{1,6}\s+(.*)$/.exec(trimmed);
    const item = /^[-*]\s+(.*)$/.exec(trimmed);
    if (heading) blocks.push({ kind: "heading", text: heading[1] ?? "" });
    else if (item) blocks.push({ kind: "item", text: item[1] ?? "" });
    else blocks.push({ kind: "paragraph", text: trimmed });
  }
  return blocks;
}
