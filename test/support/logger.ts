import { createLogger } from '../../server/logger.js';

export const silentLogger = createLogger('silent');
