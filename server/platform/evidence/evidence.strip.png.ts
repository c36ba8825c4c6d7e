/**
 * PNG: the viewing copy keeps the chunks that make up the picture and drops text, eXIf, tIME and
 * private chunks (see evidence.strip.ts).
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Chunks that make up the picture (critical ones, colour, transparency, animation). Everything
 * else is dropped: the text chunks (tEXt, zTXt, iTXt), eXIf and tIME, and any private chunk, which
 * can hold the same data under another name.
 */
const PNG_KEPT_CHUNKS = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'cICP',
  'mDCV',
  'mDCv',
  'cLLI',
  'cLLi',
  'bKGD',
  'hIST',
  'pHYs',
  'sPLT',
  'acTL',
  'fcTL',
  'fdAT',
]);

export function pngWithoutMetadata(data: Buffer): Buffer | undefined {
  if (data.length < PNG_SIGNATURE.length || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  const parts: Buffer[] = [PNG_SIGNATURE];
  let i = PNG_SIGNATURE.length;
  while (i + 12 <= data.length) {
    const length = data.readUInt32BE(i);
    if (length > 0x7fffffff || i + 12 + length > data.length) return undefined;
    const type = data.toString('latin1', i + 4, i + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) return undefined;
    if ((i === PNG_SIGNATURE.length) !== (type === 'IHDR')) return undefined; // IHDR first, and once
    const critical = type.charCodeAt(0) < 0x61;
    if (PNG_KEPT_CHUNKS.has(type)) parts.push(data.subarray(i, i + 12 + length));
    else if (critical) return undefined; // a critical chunk we do not know: we cannot vouch for the copy
    i += 12 + length;
    if (type === 'IEND') return Buffer.concat(parts); // whatever follows IEND is not part of the image
  }
  return undefined; // no IEND
}
