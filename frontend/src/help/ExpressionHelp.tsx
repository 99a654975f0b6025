/** The expressions cheat-sheet, opened from any expression field's "?" button. */
import { useState } from "react";
import { Modal } from "../editor/Modal";
import { searchCheatsheet } from "./cheatsheet";

export function ExpressionHelp({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState("");
  const sections = searchCheatsheet(query);
  return (
    <Modal title="Expressions help" onClose={onClose} testId="expression-help" wide>
      <input
        className="input"
        type="search"
        placeholder="Search, e.g. date, default, $json"
        aria-label="Search the expressions help"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {sections.length === 0 && <p className="muted">Nothing matches “{query}”.</p>}
      {sections.map((section) => (
        <section key={section.id} className="cheat-section" data-testid={`cheat-${section.id}`}>
          <h3>{section.title}</h3>
          {section.intro && <p className="muted">{section.intro}</p>}
          <table className="cheat-table">
            <tbody>
              {section.rows.map((row) => (
                <tr key={row.code}>
                  <td>
                    <code>{row.code}</code>
                  </td>
                  <td>{row.gives}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Modal>
  );
}
