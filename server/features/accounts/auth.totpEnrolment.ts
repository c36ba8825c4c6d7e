/** Second-factor enrolment: a new TOTP secret, its QR picture, and storing it once a code from it is confirmed. */

import type { StaffUser } from './staffUser.js';
import type { AuthContext } from './auth.context.js';
import { setTotpSecret, consumeTotpStep } from './user.repository.js';
import { enrolment, newTotpSecret, sealSecret, totpStep } from '../../platform/security/totp.js';

/** The enrolment methods of the auth service. */
export function totpEnrolment({ deps, now, audit }: AuthContext) {
  return {
    /** A new secret to show while the user enrols; it is stored only once they confirm a code from it. */
    async startEnrolment(user: StaffUser) {
      const secret = newTotpSecret();
      return { secret, ...(await enrolment(secret, user.email, deps.agencyName)) };
    },

    async enrolmentPicture(user: StaffUser, secret: string) {
      return enrolment(secret, user.email, deps.agencyName);
    },

    async confirmEnrolment(user: StaffUser, secret: string, code: string, requestId?: string): Promise<boolean> {
      const step = totpStep(secret, code, now());
      if (step === undefined) return false;
      await deps.db.transaction().execute(async (trx) => {
        await setTotpSecret(trx, user.id, sealSecret(deps.keys.totp, secret));
        await consumeTotpStep(trx, user.id, step);
        await audit(
          trx,
          'auth.mfa.enrol',
          { type: 'user', id: user.id },
          { object: { type: 'user', id: user.id }, requestId },
        );
      });
      return true;
    },
  };
}
