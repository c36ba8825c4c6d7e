/** Form fields that steer the form rather than answer it. */
const CONTROL_FIELDS = new Set(['_csrf', 'action', 'returnTo']);

export type FormBody = Record<string, string | string[]>;

/** The answering fields of a posted form; repeated fields become lists where a list is expected. */
export function answerFields(body: unknown, lists: string[] = []): FormBody {
  const fields: FormBody = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (CONTROL_FIELDS.has(key)) continue;
    const strings = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : ''));
    fields[key] = lists.includes(key) ? strings : (strings[0] ?? '');
  }
  for (const list of lists) fields[list] ??= [];
  return fields;
}
