// The cookie jar of one bench virtual user (an autocannon client), part one: keeps the cookies a
// response sets (the status lookup's case pass). autocannon's worker thread loads it with
// require(), so it is CommonJS and default-exports one function; bench.jar.send.cts sends them.
// autocannon empties the context each time a client starts its requests again: one jar per lookup.

type Headers = Record<string, string | string[] | undefined>;

function keepCookies(_status: number, _body: string, context: { jar?: Record<string, string> }, headers: Headers) {
  const jar = (context.jar ??= {});
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'set-cookie' || value === undefined) continue;
    for (const cookie of [value].flat()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const ended = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (ended) delete jar[pair.slice(0, at)];
      else jar[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
}

export = keepCookies;
