/** A text box for values that may hold `{{ … }}` expressions: highlighted, with in-scope suggestions. */
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { insertSuggestion, tokenizeExpression, type ExpressionSuggestion } from "../expressions";
import { ExpressionHelp } from "../help/ExpressionHelp";
import { ExpressionPreview } from "./ExpressionPreview";

interface Props {
  id: string;
  value: string;
  onChange: (text: string) => void;
  suggestions: ExpressionSuggestion[];
  placeholder?: string;
  testId?: string;
  readOnly?: boolean;
  rows?: number;
  label?: string;
  /** Hide the insert button where space is tight (key-value rows); typing `{{` still suggests. */
  compact?: boolean;
}

/** The partial path typed after an unclosed `{{`, or null when the cursor is not inside one. */
function openExpressionQuery(text: string, cursor: number): string | null {
  const before = text.slice(0, cursor);
  const open = before.lastIndexOf("{{");
  if (open === -1 || before.indexOf("}}", open) !== -1) return null;
  return before.slice(open + 2).trim();
}

export function ExpressionInput({ id, value, onChange, suggestions, placeholder, testId, readOnly, rows = 1, label, compact = false }: Props) {
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [cursor, setCursor] = useState(value.length);
  const [focused, setFocused] = useState(false);
  const [forced, setForced] = useState(false);
  const [active, setActive] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);

  // Grow with the text, so long URLs and multi-line values stay readable and the
  // highlighted mirror behind the box never scrolls out of step with it.
  useLayoutEffect(() => {
    const box = inputRef.current;
    if (!box) return;
    box.style.height = "auto";
    if (box.scrollHeight > 0) box.style.height = `${box.scrollHeight + 2}px`;
  }, [value]);

  const query = openExpressionQuery(value, cursor);
  const shown = focused && !readOnly && (forced || query !== null);
  const matches = suggestions.filter((s) => !query || s.path.startsWith(query) || s.path.includes(query));

  const choose = (suggestion: ExpressionSuggestion) => {
    const next = insertSuggestion(value, cursor, suggestion.path);
    onChange(next.text);
    setCursor(next.cursor);
    setForced(false);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(next.cursor, next.cursor));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!shown || matches.length === 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => (index + step + matches.length) % matches.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      const suggestion = matches[Math.min(active, matches.length - 1)];
      if (suggestion) {
        event.preventDefault();
        choose(suggestion);
      }
    } else if (event.key === "Escape") {
      setForced(false);
      setFocused(false);
    }
  };

  return (
    <div className="expr">
      <div className="expr-box">
        <div className="expr-mirror" aria-hidden="true">
          {tokenizeExpression(value).map((token, index) =>
            token.expression ? (
              <mark key={index} className="expr-token">
                {token.text}
              </mark>
            ) : (
              <span key={index}>{token.text}</span>
            ),
          )}
          {"\u200b"}
        </div>
        <textarea
          ref={inputRef}
          id={id}
          className="expr-input nodrag"
          value={value}
          rows={rows}
          spellCheck={false}
          placeholder={placeholder}
          readOnly={readOnly}
          aria-label={label}
          data-testid={testId}
          data-expression="true"
          onChange={(event) => {
            onChange(event.target.value);
            setCursor(event.target.selectionStart ?? event.target.value.length);
            setActive(0);
          }}
          onSelect={(event) => setCursor(event.currentTarget.selectionStart ?? value.length)}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            setForced(false);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      {!readOnly && !compact && (
        <button
          type="button"
          className="expr-insert"
          title="Insert a reference to data in scope"
          aria-label="Insert a reference"
          onMouseDown={(event) => {
            event.preventDefault();
            inputRef.current?.focus();
            setFocused(true);
            setForced(true);
          }}
        >
          {"{ }"}
        </button>
      )}
      {!compact && (
        <button
          type="button"
          className="expr-help"
          title="Expressions help: what you can write inside {{ }}"
          aria-label="Expressions help"
          data-testid="expression-help-button"
          onClick={() => setHelpOpen(true)}
        >
          ?
        </button>
      )}
      {helpOpen && <ExpressionHelp onClose={() => setHelpOpen(false)} />}
      <ExpressionPreview text={value} />
      {shown && matches.length > 0 && (
        <ul className="expr-suggestions" role="listbox" data-testid="expression-suggestions">
          {matches.map((suggestion, index) => (
            <li key={suggestion.path} role="option" aria-selected={index === active}>
              <button
                type="button"
                className={index === active ? "active" : undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(suggestion);
                }}
              >
                <code>{suggestion.path}</code>
                <small>{suggestion.detail}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
