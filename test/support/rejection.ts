/** What the promise was rejected with (undefined if it was not), for `expect(...).to.be.instanceOf(...)`. */
export const rejection = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );
