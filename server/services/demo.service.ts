import type { Db } from '../db/database.js';
import { insertDistricts, insertOfficers } from '../db/reference.repository.js';
import { countUsers, insertUser, setPasswordHash } from '../db/user.repository.js';
import { DEMO_DISTRICTS, DEMO_STAFF, demoOfficers } from './demo.data.js';
import { generatePassword, hashPassword } from './password.js';

export interface DemoResult {
  created: boolean;
  accounts: ReadonlyArray<{ email: string; roles: string[] }>;
  /** The password, only when this call set it (first start, or DEMO_PASSWORD given). */
  password?: string;
}

export type DemoService = ReturnType<typeof demoService>;

export function demoService(db: Db) {
  return {
    /**
     * On an empty database, creates the demo agency (districts, staff, officers). With a
     * DEMO_PASSWORD on a later start, resets the demo accounts to it, for scripted use.
     */
    async ensureDemoData(demoPassword: string | undefined): Promise<DemoResult> {
      const accounts = DEMO_STAFF.map((s) => ({ email: s.email, roles: [...s.roles] }));
      if ((await countUsers(db)) > 0) {
        if (!demoPassword) return { created: false, accounts };
        const hash = await hashPassword(demoPassword);
        await setPasswordHash(
          db,
          accounts.map((a) => a.email),
          hash,
        );
        return { created: false, accounts, password: demoPassword };
      }
      const password = demoPassword ?? generatePassword();
      const hashes = await Promise.all(DEMO_STAFF.map(() => hashPassword(password)));
      await db.transaction().execute(async (trx) => {
        await insertDistricts(trx, DEMO_DISTRICTS);
        for (const [i, staff] of DEMO_STAFF.entries()) {
          await insertUser(
            trx,
            {
              email: staff.email,
              display_name: staff.name,
              password_hash: hashes[i]!,
              language: staff.language ?? 'en',
            },
            staff.roles,
          );
        }
        await insertOfficers(trx, demoOfficers());
      });
      return { created: true, accounts, password };
    },
  };
}
