import { z } from 'zod';

/** The one shape of a record id: a UUID as PostgreSQL writes it (any version), in either case. */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from a request can be a record id at all (else it is simply not found). */
export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** A record id in a form or API body; `error` is the catalogue key of its message. */
export const idSchema = (error = 'validation.invalid') =>
  z.string().regex(ID_PATTERN, { error }).meta({ format: 'uuid' });
