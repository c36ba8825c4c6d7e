import { parse as parseCookies } from 'cookie';
import { Router, type Request } from 'express';
import { DEFAULT_LANGUAGE, LANGUAGES, isLanguage, type Language, type Translator } from '../i18n.js';

const COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Chooses the language: the switch (?lang=, remembered in a cookie), else the cookie, else
 * Accept-Language, else English. Sets req.language, req.t and the view locals.
 */
export function setUpLanguage(translator: Translator, secureCookies: boolean): Router {
  const router = Router();
  router.use((req, res, next) => {
    const chosen = req.query['lang'];
    let language: Language;
    if (isLanguage(chosen)) {
      language = chosen;
      res.cookie(COOKIE, language, { maxAge: ONE_YEAR_MS, httpOnly: true, sameSite: 'lax', secure: secureCookies });
    } else {
      const remembered = parseCookies(req.headers.cookie ?? '')[COOKIE];
      language = isLanguage(remembered) ? remembered : negotiated(req);
    }
    req.language = language;
    req.t = translator.t(language);
    res.vary('Accept-Language');
    res.vary('Cookie');
    res.locals['lang'] = language;
    res.locals['t'] = req.t;
    res.locals['languageOptions'] = LANGUAGES.filter((code) => code !== language).map((code) => ({
      code,
      label: translator.t(code)('language.name'),
      href: withLanguage(req.originalUrl, code),
    }));
    next();
  });
  return router;
}

function negotiated(req: Request): Language {
  const best = req.acceptsLanguages(...LANGUAGES);
  return isLanguage(best) ? best : DEFAULT_LANGUAGE;
}

function withLanguage(originalUrl: string, language: Language): string {
  // Request targets such as '//[' are not URLs; the switch then leads to the home page.
  if (!URL.canParse(originalUrl, 'http://placeholder')) return `/?lang=${language}`;
  const url = new URL(originalUrl, 'http://placeholder');
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}
