/** The fields of the form a `trigger.form` node listens to, for `trigger.data.<key>` suggestions. */
import { useEffect, useState } from "react";
import { api } from "../api";
import type { FormFieldSummary, FormSummary } from "../types";

export function formFieldsOf(forms: FormSummary[], formId: string | null): FormFieldSummary[] {
  if (!formId) return [];
  return forms.find((form) => form.id === formId || form.slug === formId)?.fields ?? [];
}

export function useFormFields(formId: string | null): FormFieldSummary[] {
  const [forms, setForms] = useState<FormSummary[]>([]);
  useEffect(() => {
    if (!formId) return;
    let live = true;
    api
      .forms()
      .then((list) => live && setForms(list))
      .catch(() => undefined); // suggestions are a help: without them, typing still works
    return () => {
      live = false;
    };
  }, [formId]);
  return formFieldsOf(forms, formId);
}
