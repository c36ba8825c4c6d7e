/** Where the complaint form's pages live, which one follows a step, and which entry a remove button names. */

import type { Request } from 'express';
import { STEPS, type Step } from './complaintForm.steps.js';

export const PATH = '/complaint';
export const stepUrl = (step: Step) => `${PATH}/${step}`;

/** The page after a step: the next step, or back to the check page when the resident came from it. */
export function next(step: Step, req: Request): string {
  if (req.body?.returnTo === 'check') return stepUrl('check');
  return stepUrl(STEPS[STEPS.indexOf(step) + 1] ?? 'check');
}

/** `remove:<n>` on a button removes the n-th officer, witness or file. */
export function removeIndex(action: unknown): number | undefined {
  const match = typeof action === 'string' ? /^remove:(\d{1,2})$/.exec(action) : null;
  return match ? Number(match[1]) : undefined;
}
