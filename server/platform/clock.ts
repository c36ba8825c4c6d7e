/**
 * What time it is, injected once by the composition root (server/compose.ts) into everything that
 * asks, so a test can move time for the whole app at once.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
