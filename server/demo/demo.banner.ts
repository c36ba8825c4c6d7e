import { needsSecondFactor } from '../domain/policy.js';
import type { DemoResult } from './demo.service.js';

/**
 * What `npm start` tells the operator about the demo (standard error, apart from the JSON log on
 * standard output: the log must not carry passwords): the accounts, their password, where staff
 * sign in, the second factor the admin must set up, and where captured mail is read. English, as
 * every start-up line is: it is for whoever runs the app, not for the app's users.
 */
export function demoBanner(demo: DemoResult, where: { publicBaseUrl: string; mailCaptured: boolean }): string[] {
  const base = where.publicBaseUrl.replace(/\/+$/, '');
  const lines = ['', '  Demo staff accounts:'];
  for (const account of demo.accounts) lines.push(`    ${account.email.padEnd(28)} ${account.roles.join(', ')}`);
  if (demo.complaints) lines.push(`  ${demo.complaints} demo complaints filed through the workflow.`);
  lines.push(
    demo.password
      ? `  Password for all of them: ${demo.password}`
      : '  Their password was printed when they were created; set DEMO_PASSWORD to reset it.',
  );
  lines.push(`  Staff sign in at ${base}/staff`);
  // The admin role works only after a second factor in the session (R9): the first sign-in leads to setting one up.
  for (const account of demo.accounts.filter((a) => a.roles.some((role) => needsSecondFactor(role)))) {
    lines.push(
      `  ${account.email} must set up two-step sign-in (a code from an authenticator app) before the`,
      `    administration pages open; its first sign-in leads to ${base}/staff/account/two-factor.`,
    );
  }
  if (where.mailCaptured)
    lines.push(`  Mail is not sent but kept: read it at ${base}/dev/mail (from this machine only).`);
  return lines;
}
