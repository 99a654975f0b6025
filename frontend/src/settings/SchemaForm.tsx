/** The settings form of a node, generated from its type's JSON Schema. */
import type { ComponentType } from "react";
import { KeyValueField, MultiSelectField, StringListField } from "./CollectionFields";
import { fieldKind, placeholderFor, type FieldKind } from "./fieldKind";
import type { FieldProps } from "./fieldProps";
import { ConnectionField, CredentialField, FormPickerField, FunctionPickerField, KnowledgeBasePickerField } from "./PickerFields";
import { BooleanField, ExpressionField, JsonField, NumberField, SelectField, TextField } from "./ScalarFields";
import type { ExpressionSuggestion } from "../expressions";
import { InlineMarkdown } from "../Markdown";
import { alternativesHint, fieldLabel } from "../plainWords";
import type { JsonObject, JsonSchema, JsonValue } from "../types";

const CONTROLS: Record<FieldKind, ComponentType<FieldProps>> = {
  credential: CredentialField,
  connection: ConnectionField,
  form: FormPickerField,
  knowledgeBase: KnowledgeBasePickerField,
  function: FunctionPickerField,
  select: SelectField,
  boolean: BooleanField,
  number: NumberField,
  keyValue: KeyValueField,
  multiSelect: MultiSelectField,
  stringList: StringListField,
  expression: ExpressionField,
  text: TextField,
  json: JsonField,
};

const KIND_HINT: Partial<Record<FieldKind, string>> = {
  expression: "Accepts {{ expressions }}",
  json: "JSON",
};

export { humanize } from "../plainWords";

interface Props {
  nodeId: string;
  schema: JsonSchema;
  config: JsonObject;
  onChange: (config: JsonObject) => void;
  suggestions: ExpressionSuggestion[];
  example?: JsonObject;
  fieldProblems?: Record<string, string>;
  readOnly?: boolean;
}

export function SchemaForm({ nodeId, schema, config, onChange, suggestions, example = {}, fieldProblems = {}, readOnly = false }: Props) {
  const properties = Object.entries(schema.properties ?? {});
  const always = new Set(schema.required ?? []);
  const hint = alternativesHint(schema);
  if (properties.length === 0) return <p className="muted">This node has no settings.</p>;

  const setField = (name: string, value: JsonValue | undefined) => {
    const next = { ...config };
    if (value === undefined) delete next[name];
    else next[name] = value;
    onChange(next);
  };

  return (
    <div className="schema-form">
      {hint && (
        <p className="field-help alternatives" data-testid="alternatives-hint">
          {hint}
        </p>
      )}
      {properties.map(([name, property]) => {
        const kind = fieldKind(property);
        const Control = CONTROLS[kind];
        const id = `cfg-${nodeId}-${name}`;
        const problem = fieldProblems[name];
        const placeholder = placeholderFor(example[name] ?? property.default);
        return (
          <div className={`field field-${kind}${problem ? " has-problem" : ""}`} key={`${nodeId}-${name}`} data-kind={kind}>
            <label className="field-label" htmlFor={id}>
              {fieldLabel(name, property)}
              {always.has(name) && <span className="required" title="Required"> *</span>}
              {KIND_HINT[kind] && <span className="kind-hint">{KIND_HINT[kind]}</span>}
            </label>
            <Control
              id={id}
              name={name}
              schema={property}
              value={config[name]}
              onChange={(value) => setField(name, value)}
              placeholder={placeholder ? `e.g. ${placeholder}` : ""}
              suggestions={suggestions}
              readOnly={readOnly}
            />
            {property.description && (
              <p className="field-help">
                <InlineMarkdown text={property.description} />
              </p>
            )}
            {problem && <p className="field-error" role="alert">{problem}</p>}
          </div>
        );
      })}
    </div>
  );
}
