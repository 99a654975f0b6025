/** Credential and connection pickers, filled from the API; a plain id box when it is not there yet. */
import { useEffect, useState } from "react";
import { api } from "../api";
import { kindLabel } from "../editor/functionPalette";
import type { FieldProps } from "./fieldProps";
import { TextField } from "./ScalarFields";

interface Choice {
  id: string;
  name: string;
}

type Loader = () => Promise<Choice[]>;
const cache = new Map<string, Promise<Choice[]>>();

function useChoices(cacheKey: string, load: Loader): Choice[] | "unavailable" | null {
  const [choices, setChoices] = useState<Choice[] | "unavailable" | null>(null);
  useEffect(() => {
    let live = true;
    if (!cache.has(cacheKey)) cache.set(cacheKey, load());
    cache
      .get(cacheKey)!
      .then((list) => live && setChoices(list))
      .catch(() => {
        cache.delete(cacheKey);
        if (live) setChoices("unavailable");
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cacheKey]);
  return choices;
}

interface CreateLink {
  href: string;
  label: string;
}

function Picker({
  choices,
  noun,
  props,
  create,
}: {
  choices: Choice[] | "unavailable" | null;
  noun: string;
  props: FieldProps;
  create?: CreateLink[];
}) {
  const { id, name, value, onChange, readOnly } = props;
  if (choices === "unavailable") {
    return (
      <>
        <TextField {...props} placeholder={`${noun} id`} />
        <p className="field-help">{`Couldn't load ${noun}s; enter the id by hand.`}</p>
      </>
    );
  }
  const current = typeof value === "string" ? value : "";
  const known = choices?.some((choice) => choice.id === current) ?? false;
  return (
    <>
      <select
        id={id}
        className="input nodrag"
        data-testid={`field-${name}`}
        value={current}
        disabled={readOnly || choices === null}
        onChange={(event) => onChange(event.target.value || undefined)}
      >
        <option value="">{choices === null ? "Loading…" : `— no ${noun} —`}</option>
        {current && !known && <option value={current}>{current}</option>}
        {(choices ?? []).map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.name}
          </option>
        ))}
      </select>
      {choices !== null && choices.length === 0 && (
        <p className="field-help" data-testid={`field-${name}-empty`}>
          {`No ${noun}s of this type yet. `}
          {(create ?? []).map((link, index) => (
            <span key={link.href}>
              {index > 0 && " · "}
              <a href={link.href} target="_blank" rel="noopener">
                {link.label}
              </a>
            </span>
          ))}
        </p>
      )}
    </>
  );
}

/** The credential types a field accepts, as its schema declares them. */
export function acceptedTypes(schema: FieldProps["schema"], key: "x-credential-types" | "x-connection-kinds"): string[] {
  const declared = schema[key];
  return Array.isArray(declared) ? declared.map(String) : [];
}

export function CredentialField(props: FieldProps) {
  const types = acceptedTypes(props.schema, "x-credential-types");
  const choices = useChoices(`credentials:${types.join(",")}`, () => api.credentials(types));
  const create = types.map((type) => ({
    href: `/credentials/new/${encodeURIComponent(type)}/`,
    label: `Create a ${type.replace(/_/g, " ")} credential`,
  }));
  return <Picker choices={choices} noun="credential" props={props} create={create} />;
}

export function ConnectionField(props: FieldProps) {
  const kinds = acceptedTypes(props.schema, "x-connection-kinds");
  const choices = useChoices(`connections:${kinds.join(",")}`, () => api.connections(kinds));
  return <Picker choices={choices} noun="connection" props={props} create={[{ href: "/connections/", label: "Add a connection" }]} />;
}

export function FormPickerField(props: FieldProps) {
  const choices = useChoices("forms", () => api.forms());
  return <Picker choices={choices} noun="form" props={props} create={[{ href: "/forms/", label: "Create a form" }]} />;
}

export function KnowledgeBasePickerField(props: FieldProps) {
  const choices = useChoices("knowledge-bases", async () =>
    (await api.knowledgeBases()).map((kb) => ({ id: kb.id, name: `${kb.name} (${kb.document_count} documents)` })),
  );
  const create = [{ href: "/knowledge-bases/", label: "Create a knowledge base" }];
  return <Picker choices={choices} noun="knowledge base" props={props} create={create} />;
}

/** A function is named, not referenced by id: the choice's value is the function's name. */
export function FunctionPickerField(props: FieldProps) {
  const choices = useChoices("functions", async () =>
    (await api.functions()).map((fn) => ({ id: fn.name, name: `${fn.name} (${kindLabel(fn.kind)})` })),
  );
  const current = typeof props.value === "string" ? props.value : "";
  const create = [{ href: `/functions/new/?kind=code${current ? `&name=${encodeURIComponent(current)}` : ""}`, label: "Create a function" }];
  return <Picker choices={choices} noun="function" props={props} create={create} />;
}

/** Forget loaded choices (tests; after a credential is created elsewhere). */
export function clearPickerCache(): void {
  cache.clear();
}
