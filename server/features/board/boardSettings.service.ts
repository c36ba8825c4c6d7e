import type { Db } from '../../platform/db/database.js';
import { BOARD_SEES_IDENTITY } from '../../platform/db/caseAccess.js';
import { boardMembers, boardSettingValues } from './boardSettings.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import { putSetting } from '../../platform/db/settings.repository.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import {
  DEFAULT_BOARD_RULES,
  TIE_RULES,
  quorumOf,
  type BoardRules,
  type QuorumRule,
  type TieRule,
} from './board.rules.js';

const RULES = 'board.rules';
const SEATED = 'board.seated';
const PUBLIC_NAMES = 'board.public_member_names';

export interface BoardSettings extends BoardRules {
  /** The seated members' ids: users with the board role the admin has seated (all of them until set). */
  seated: string[];
  seesIdentity: boolean;
  /** Whether the public minutes name the members and their votes. */
  publicMemberNames: boolean;
}

export interface BoardSettingsView extends BoardSettings {
  members: Array<{ id: string; name: string; seated: boolean }>;
  /** The votes that make a quorum now. */
  quorumNow: number;
}

/** A stored rule that is no longer valid (hand-edited) falls back to the default. */
function rulesOf(stored: unknown): BoardRules {
  const value = (stored ?? {}) as { quorum?: QuorumRule; tieRule?: TieRule };
  const quorum =
    value.quorum?.kind === 'fixed' && Number.isInteger(value.quorum.count) && value.quorum.count >= 1
      ? { kind: 'fixed' as const, count: value.quorum.count }
      : DEFAULT_BOARD_RULES.quorum;
  const tieRule = TIE_RULES.includes(value.tieRule as TieRule) ? value.tieRule! : DEFAULT_BOARD_RULES.tieRule;
  return { quorum, tieRule };
}

/** The board's settings as they stand, read inside the caller's transaction (one statement). */
export async function boardSettingsIn(db: Executor): Promise<BoardSettings> {
  const { values, memberIds } = await boardSettingValues(db, [RULES, SEATED, BOARD_SEES_IDENTITY, PUBLIC_NAMES]);
  const stored = values[SEATED] as string[] | undefined;
  const seated = memberIds.filter((id) => stored === undefined || stored.includes(id));
  return {
    ...rulesOf(values[RULES]),
    seated,
    seesIdentity: values[BOARD_SEES_IDENTITY] === true,
    publicMemberNames: values[PUBLIC_NAMES] === true,
  };
}

export type BoardSettingsService = ReturnType<typeof boardSettingsService>;

/** The admin's board settings: seated members, quorum, tie rule, and what members and the public see. */
export function boardSettingsService(deps: { db: Db; audit: AuditService }) {
  const { db, audit } = deps;
  return {
    async view(): Promise<BoardSettingsView> {
      const settings = await boardSettingsIn(db);
      const members = (await boardMembers(db)).map((m) => ({
        id: m.id,
        name: m.display_name,
        seated: settings.seated.includes(m.id),
      }));
      return { ...settings, members, quorumNow: quorumOf(settings.quorum, settings.seated.length) };
    },

    /** Saves the settings; seated ids that are not board members are refused by the caller's schema. */
    async save(adminId: string, next: BoardSettings, requestId?: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const members = new Set((await boardMembers(trx)).map((m) => m.id));
        const seated = next.seated.filter((id) => members.has(id));
        await putSetting(trx, RULES, { quorum: next.quorum, tieRule: next.tieRule });
        await putSetting(trx, SEATED, seated);
        await putSetting(trx, BOARD_SEES_IDENTITY, next.seesIdentity);
        await putSetting(trx, PUBLIC_NAMES, next.publicMemberNames);
        await audit.record(trx, {
          type: 'board.settings.change',
          actor: { type: 'user', id: adminId },
          object: { type: 'settings', id: 'board' },
          requestId,
          details: {
            quorum: next.quorum.kind === 'fixed' ? `fixed:${next.quorum.count}` : 'majority',
            tieRule: next.tieRule,
            seated: seated.length,
            seesIdentity: next.seesIdentity,
            publicMemberNames: next.publicMemberNames,
          },
        });
      });
    },
  };
}
