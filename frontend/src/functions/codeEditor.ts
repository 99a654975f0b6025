/** CodeMirror 6 over the page's source textarea: Python highlighting, completion, errors marked by line. */
import { autocompletion, completionKeymap, type CompletionSource } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

export interface CodeEditor {
  view: EditorView;
  value(): string;
  /** Mark a 1-based line with a message (a syntax or runtime error); null clears the marks. */
  markError(line: number | null, message?: string): void;
}

export function lineDiagnostic(state: EditorState, line: number, message: string): Diagnostic {
  const safe = Math.min(Math.max(1, line), state.doc.lines);
  const { from, to } = state.doc.line(safe);
  return { from, to, severity: "error", message };
}

/**
 * Replace the textarea with an editor that writes back to it, so the form still posts the source.
 * `complete` adds a completion source beside Python's own (local names, keywords).
 */
export function mountCodeEditor(textarea: HTMLTextAreaElement, complete?: CompletionSource): CodeEditor {
  const readOnly = textarea.readOnly || textarea.disabled;
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        history(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        python(),
        autocompletion(),
        ...(complete ? [EditorState.languageData.of(() => [{ autocomplete: complete }])] : []),
        lintGutter(),
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorState.readOnly.of(readOnly),
        EditorView.contentAttributes.of({ "aria-label": "Source", "data-testid": "code-editor" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.insertAdjacentElement("afterend", view.dom);
  view.dom.classList.add("code-editor");
  return {
    view,
    value: () => view.state.doc.toString(),
    markError(line, message = "error") {
      const diagnostics = line ? [lineDiagnostic(view.state, line, message)] : [];
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
  };
}
