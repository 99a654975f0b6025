/** The settings form of a node, generated from its type's JSON Schema. */
import type { ComponentType } from "react";
import { KeyValueField, MultiSelectField, StringListField } from "./CollectionFields";
import { fieldKind, placeholderFor, type FieldKind } from "./fieldKind";
import type { FieldProps } from "./fieldProps";
import { ConnectionField, CredentialField, FormPickerField } from "./PickerFields";
import { BooleanField, ExpressionField, JsonField, NumberField, SelectField, TextField } from "./ScalarFields";
import type { ExpressionSuggestion } from "../expressions";
import type { JsonObject, JsonSchema, JsonValue } from "../types";

const CONTROLS: Record<FieldKind, ComponentType<FieldProps>> = {
  credential: CredentialField,
  connection: ConnectionField,
  form: FormPickerField,
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

/** `http_auth` → "Http auth"; `timeout_seconds` → "Timeout seconds". */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Fields that the schema requires in every case, or in one of its `oneOf` alternatives. */
function requiredFields(schema: JsonSchema): { always: Set<string>; someOf: Set<string> } {
  const always = new Set(schema.required ?? []);
  const someOf = new Set<string>();
  for (const option of schema.oneOf ?? []) for (const name of option.required ?? []) someOf.add(name);
  return { always, someOf };
}

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
  const { always, someOf } = requiredFields(schema);
  if (properties.length === 0) return <p className="muted">This node has no settings.</p>;

  const setField = (name: string, value: JsonValue | undefined) => {
    const next = { ...config };
    if (value === undefined) delete next[name];
    else next[name] = value;
    onChange(next);
  };

  return (
    <div className="schema-form">
      {properties.map(([name, property]) => {
        const kind = fieldKind(property);
        const Control = CONTROLS[kind];
        const id = `cfg-${nodeId}-${name}`;
        const problem = fieldProblems[name];
        const placeholder = placeholderFor(example[name] ?? property.default);
        return (
          <div className={`field field-${kind}${problem ? " has-problem" : ""}`} key={`${nodeId}-${name}`} data-kind={kind}>
            <label className="field-label" htmlFor={id}>
              {humanize(name)}
              {always.has(name) && <span className="required" title="Required"> *</span>}
              {!always.has(name) && someOf.has(name) && <span className="optional" title="One of the alternatives is required"> (one of)</span>}
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
            {property.description && <p className="field-help">{property.description}</p>}
            {problem && <p className="field-error" role="alert">{problem}</p>}
          </div>
        );
      })}
    </div>
  );
}
