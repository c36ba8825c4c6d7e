/** A signed-in member of staff (StaffUser), and how a user row with its roles becomes one. */

import type { StaffUser } from '../../domain/vocabulary.js';
import type { UserWithRoles } from './user.repository.js';

export type { StaffUser };

export function staffUserOf(row: UserWithRoles): StaffUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    language: row.language,
    roles: [...row.roles].sort(),
    totpEnrolled: row.totp_secret !== null,
  };
}
