/** A sticky note on the canvas: Markdown text, resizable, in one of a few colours; never a step (D24). */
import { NodeResizer, type NodeProps } from "@xyflow/react";
import { createContext, memo, useContext, useState } from "react";
import { InlineMarkdown } from "../Markdown";
import { NOTE_COLORS, NOTE_SIZE, noteBlocks, type NoteData, type NoteFlowNode } from "../notes";

export interface NoteActions {
  update: (id: string, patch: Partial<NoteData>) => void;
  remove: (id: string) => void;
  readOnly: boolean;
}

export const NoteActionsContext = createContext<NoteActions>({ update: () => undefined, remove: () => undefined, readOnly: true });

function NoteText({ text }: { text: string }) {
  const blocks = noteBlocks(text);
  if (blocks.length === 0) return <p className="muted">Double-click to write a note (Markdown).</p>;
  return (
    <>
      {blocks.map((block, index) => {
        const inline = <InlineMarkdown text={block.text} />;
        if (block.kind === "heading") return <h4 key={index}>{inline}</h4>;
        if (block.kind === "item") return <li key={index}>{inline}</li>;
        return <p key={index}>{inline}</p>;
      })}
    </>
  );
}

function StickyNoteView({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const { update, remove, readOnly } = useContext(NoteActionsContext);
  const [editing, setEditing] = useState(false);
  return (
    <div className={`sticky-note note-${data.color}`} data-testid={`note-${id}`} data-color={data.color} onDoubleClick={() => !readOnly && setEditing(true)}>
      {!readOnly && <NodeResizer isVisible={selected} minWidth={NOTE_SIZE.min} minHeight={NOTE_SIZE.min} maxWidth={NOTE_SIZE.max} maxHeight={NOTE_SIZE.max} />}
      {editing ? (
        <textarea
          className="note-editor nodrag nowheel"
          data-testid={`note-text-${id}`}
          aria-label="Note text (Markdown)"
          autoFocus
          value={data.text}
          onChange={(event) => update(id, { text: event.target.value })}
          onBlur={() => setEditing(false)}
          onKeyDown={(event) => event.key === "Escape" && setEditing(false)}
        />
      ) : (
        <div className="note-body" data-testid={`note-body-${id}`}>
          <NoteText text={data.text} />
        </div>
      )}
      {selected && !readOnly && !editing && (
        <div className="note-tools nodrag">
          {NOTE_COLORS.map((color) => (
            <button key={color} type="button" className={`note-swatch note-${color}`} aria-label={`Colour ${color}`} aria-pressed={color === data.color} data-testid={`note-color-${color}`} onClick={() => update(id, { color })} />
          ))}
          <button type="button" className="note-tool" data-testid={`note-edit-${id}`} onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" className="note-tool" aria-label="Delete note" onClick={() => remove(id)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}

export const StickyNoteCard = memo(StickyNoteView);
