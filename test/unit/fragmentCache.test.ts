import { expect } from 'chai';
import { fragmentCache } from '../../server/platform/http/fragmentCache.js';

describe('fragment cache (rendered public figures kept between statistics refreshes)', () => {
  it('renders a key once, even when many requests ask for it at the same time', async () => {
    const cache = fragmentCache({ maxCharacters: 1_000 });
    let renders = 0;
    const render = async () => {
      renders += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return '<p>figures</p>';
    };
    const pages = await Promise.all(Array.from({ length: 10 }, () => cache('2026-11-30T00:00:00Z|en|a', render)));
    expect(pages).to.deep.equal(Array(10).fill('<p>figures</p>'));
    expect(await cache('2026-11-30T00:00:00Z|en|a', render)).to.equal('<p>figures</p>');
    expect(renders).to.equal(1);
  });

  it('keeps each key apart: another language or refresh renders again', async () => {
    const cache = fragmentCache({ maxCharacters: 1_000 });
    expect(await cache('t1|en', async () => 'english')).to.equal('english');
    expect(await cache('t1|es', async () => 'español')).to.equal('español');
    expect(await cache('t2|en', async () => 'newer')).to.equal('newer');
    expect(await cache('t1|en', async () => 'not asked')).to.equal('english');
  });

  it('keeps nothing of a rendering that failed: the next request tries again', async () => {
    const cache = fragmentCache({ maxCharacters: 1_000 });
    let error: unknown;
    try {
      await cache('k', () => Promise.reject(new Error('no such year')));
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(Error).with.property('message', 'no such year');
    expect(await cache('k', async () => 'made')).to.equal('made');
  });

  it('stays within its size, dropping the least recently used first', async () => {
    const cache = fragmentCache({ maxCharacters: 25 });
    await cache('a', async () => 'a'.repeat(10));
    await cache('b', async () => 'b'.repeat(10));
    await cache('a', async () => 'not asked');
    await cache('c', async () => 'c'.repeat(10));
    expect(await cache('a', async () => 'not asked')).to.equal('a'.repeat(10));
    expect(await cache('b', async () => 'again')).to.equal('again');
  });
});
