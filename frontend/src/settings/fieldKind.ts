/** Which form control a JSON Schema property gets. One schema, one form: no field is described twice. */
import type { JsonSchema, JsonValue } from "../types";

export type FieldKind =
  | "credential"
  | "connection"
  | "form"
  | "knowledgeBase"
  | "function"
  | "select"
  | "boolean"
  | "number"
  | "keyValue"
  | "multiSelect"
  | "stringList"
  | "expression"
  | "text"
  | "json";

const SCALARS = new Set(["string", "number", "integer", "boolean"]);

export function schemaTypes(schema: JsonSchema | undefined): string[] {
  if (!schema || schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function isScalarSchema(schema: JsonSchema | boolean | undefined): boolean {
  if (schema === undefined || typeof schema === "boolean") return false;
  if (schema["x-expression"] && schema.type === undefined) return true;
  const types = schemaTypes(schema);
  return types.length > 0 && types.every((type) => SCALARS.has(type));
}

export function fieldKind(schema: JsonSchema): FieldKind {
  const types = schemaTypes(schema);
  if (Array.isArray(schema["x-credential-types"])) return "credential";
  if (Array.isArray(schema["x-connection-kinds"])) return "connection";
  if (schema["x-form"]) return "form";
  if (schema["x-knowledge-base"]) return "knowledgeBase";
  if (schema["x-function"]) return "function";
  if (Array.isArray(schema.enum)) return "select";
  if (types.length === 1 && types[0] === "boolean") return "boolean";
  if (types.length === 1 && (types[0] === "number" || types[0] === "integer")) return "number";
  if (types.length === 1 && types[0] === "object" && isScalarSchema(schema.additionalProperties)) return "keyValue";
  if (types.length === 1 && types[0] === "array" && schema.items) {
    if (Array.isArray(schema.items.enum)) return "multiSelect";
    if (schemaTypes(schema.items).join() === "string") return "stringList";
  }
  if (schema["x-expression"]) return "expression";
  if (types.length === 1 && types[0] === "string") return "text";
  return "json";
}

/** Whether the values of a key-value field accept `{{ }}` expressions. */
export function keyValueAcceptsExpressions(schema: JsonSchema): boolean {
  const values = schema.additionalProperties;
  return Boolean(schema["x-expression"] || (typeof values === "object" && values["x-expression"]));
}

/** How a schema default or an example value reads as a placeholder. */
export function placeholderFor(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
