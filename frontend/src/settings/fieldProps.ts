import type { ExpressionSuggestion } from "../expressions";
import type { JsonSchema, JsonValue } from "../types";

/** What every generated form control receives; `undefined` means "leave the key out". */
export interface FieldProps {
  id: string;
  name: string;
  schema: JsonSchema;
  value: JsonValue | undefined;
  onChange: (value: JsonValue | undefined) => void;
  placeholder: string;
  suggestions: ExpressionSuggestion[];
  readOnly: boolean;
}
