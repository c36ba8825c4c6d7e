import type { Kysely } from 'kysely';

// Default allegation categories (common practice among U.S. oversight agencies); admins can add,
// rename or retire them. Frozen in time.

const CATEGORIES = [
  ['force', 'Use of force', 'Uso de la fuerza'],
  ['abuse_of_authority', 'Abuse of authority', 'Abuso de autoridad'],
  ['discourtesy', 'Discourtesy', 'Descortesía'],
  ['offensive_language', 'Offensive language', 'Lenguaje ofensivo'],
  ['bias', 'Bias-based policing', 'Actuación policial basada en prejuicios'],
  ['search_seizure', 'Improper search or seizure', 'Registro o incautación indebidos'],
  ['untruthfulness', 'Untruthfulness', 'Falta de veracidad'],
  ['other', 'Other misconduct', 'Otra conducta indebida'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db
    .insertInto('allegation_categories')
    .values(CATEGORIES.map(([code, en, es], position) => ({ code, name_en: en, name_es: es, position })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db
    .deleteFrom('allegation_categories')
    .where(
      'code',
      'in',
      CATEGORIES.map(([code]) => code),
    )
    .execute();
}
