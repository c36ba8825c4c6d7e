// The cookie jar of one bench virtual user, part two: sends what bench.jar.keep.cts kept (the case
// pass) with the next request, as a browser would after the lookup's redirect. CommonJS, for
// autocannon's worker thread (see bench.jar.keep.cts).

interface Request {
  headers?: Record<string, string> | undefined;
}

function sendCookies<R extends Request>(request: R, context: { jar?: Record<string, string> }): R {
  const cookie = Object.entries(context.jar ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  return cookie ? { ...request, headers: { ...request.headers, cookie } } : request;
}

export = sendCookies;
