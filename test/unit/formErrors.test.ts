import { expect } from 'chai';
import { z } from 'zod';
import { fieldErrors } from '../../server/platform/http/formErrors.js';

describe('field errors from a schema', () => {
  const t = (key: string, values?: Record<string, unknown>) => `${key}${values ? ` ${JSON.stringify(values)}` : ''}`;
  const schema = z.object({ name: z.string().max(5), version: z.number().int().max(1000) });

  it('calls text over its cap too long, and a number out of range invalid, not "characters or fewer"', () => {
    const parsed = schema.safeParse({ name: 'far too long', version: Number('99999999999999999999999') });
    expect(parsed.success).to.equal(false);
    const errors = fieldErrors(parsed.error!, t as never);
    expect(errors).to.deep.equal([
      { field: 'name', text: 'validation.tooLong {"max":5}' },
      { field: 'version', text: 'validation.invalid' },
    ]);
  });
});
