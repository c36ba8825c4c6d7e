import type { Language, Translate } from '../i18n.js';

declare global {
  namespace Express {
    interface Request {
      language: Language;
      t: Translate;
    }
  }
}

export {};
