/** Credential and connection pickers, filled from the API; a plain id box when it is not there yet. */
import { useEffect, useState } from "react";
import { api } from "../api";
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

function Picker({ choices, noun, props }: { choices: Choice[] | "unavailable" | null; noun: string; props: FieldProps }) {
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
      {choices !== null && choices.length === 0 && <p className="field-help">{`No ${noun}s of this type yet.`}</p>}
    </>
  );
}

export function CredentialField(props: FieldProps) {
  const type = String(props.schema["x-credential-type"] ?? "");
  const choices = useChoices(`credentials:${type}`, () => api.credentials(type));
  return <Picker choices={choices} noun="credential" props={props} />;
}

export function ConnectionField(props: FieldProps) {
  const choices = useChoices("connections", () => api.connections());
  return <Picker choices={choices} noun="connection" props={props} />;
}

/** Forget loaded choices (tests; after a credential is created elsewhere). */
export function clearPickerCache(): void {
  cache.clear();
}
