import type { EvidenceKind } from './evidence.sniff.js';

/**
 * A copy of an image for staff to look at, without the metadata a phone writes into it (GPS
 * position, device, owner, time, comments), so viewing evidence does not spread where a resident
 * lives. The original stays untouched as the evidence itself. Only bytes are removed or zeroed,
 * never re-encoded, so the picture is exactly the one received.
 *
 * undefined means no viewing copy: a kind we do not clean, or a file whose structure we cannot
 * walk with certainty. Never throws.
 */
export function withoutMetadata(kind: EvidenceKind, original: Buffer): Buffer | undefined {
  try {
    switch (kind) {
      case 'jpeg':
        return jpegWithoutMetadata(original);
      case 'png':
        return pngWithoutMetadata(original);
      case 'heic':
        return heicWithoutMetadata(original);
      default:
        return undefined;
    }
  } catch {
    // A read past the end (RangeError) or a Malformed: the file is not what its header says.
    return undefined;
  }
}

/** The kinds withoutMetadata can give a copy of, so callers need not read other files into memory. */
export const STRIPPABLE_KINDS: ReadonlySet<EvidenceKind> = new Set<EvidenceKind>(['jpeg', 'png', 'heic']);

class Malformed extends Error {}

const startsWith = (data: Buffer, prefix: string) =>
  data.length >= prefix.length && data.toString('latin1', 0, prefix.length) === prefix;

// ---------------------------------------------------------------------------------------------- JPEG

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

/**
 * Walks the marker segments up to EOI and keeps all but the application segments (APPn) and
 * comments, apart from three that carry no personal data and change how the picture looks: JFIF
 * (APP0), the ICC colour profile (APP2) and Adobe's colour transform (APP14). Anything after EOI
 * (camera trailers, a second image, an appended script) is left out. The Exif orientation, the one
 * Exif tag that changes the picture, is written back on its own so phone photos stay upright.
 */
function jpegWithoutMetadata(data: Buffer): Buffer | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== SOI) return undefined;
  const parts: Buffer[] = [data.subarray(0, 2)];
  let orientationAt: number | undefined;
  let orientation: number | undefined;
  let i = 2;
  for (;;) {
    if (i >= data.length || data[i] !== 0xff) return undefined;
    while (data[i] === 0xff) i++; // fill bytes
    const marker = data[i];
    if (marker === undefined || marker === 0x00 || marker === SOI) return undefined;
    i++;
    if (marker === EOI) {
      if (orientationAt !== undefined && orientation !== undefined && orientation !== 1) {
        parts.splice(orientationAt, 0, orientationSegment(orientation));
      }
      parts.push(Buffer.from([0xff, EOI]));
      return Buffer.concat(parts);
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(Buffer.from([0xff, marker])); // TEM, RSTn: no length
      continue;
    }
    if (i + 2 > data.length) return undefined;
    const length = data.readUInt16BE(i);
    if (length < 2 || i + length > data.length) return undefined;
    const payload = data.subarray(i + 2, i + length);
    if (keepJpegSegment(marker, payload)) {
      parts.push(data.subarray(i - 2, i + length));
    } else if (marker === APP1 && orientationAt === undefined && startsWith(payload, 'Exif\0\0')) {
      orientationAt = parts.length;
      orientation = exifOrientation(payload.subarray(6));
    }
    i += length;
    if (marker === SOS) {
      // Entropy-coded data runs to the next marker; 0xFF00 is a stuffed byte and RSTn stay inside.
      const start = i;
      while (i < data.length) {
        if (data[i] === 0xff) {
          const next = data[i + 1];
          if (next === undefined) return undefined;
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      parts.push(data.subarray(start, i));
    }
  }
}

function keepJpegSegment(marker: number, payload: Buffer): boolean {
  if (marker === COM) return false;
  if (marker < APP0 || marker > APP15) return true;
  if (marker === APP0) return startsWith(payload, 'JFIF\0') || startsWith(payload, 'JFXX\0');
  if (marker === APP2) return startsWith(payload, 'ICC_PROFILE\0');
  if (marker === APP14) return startsWith(payload, 'Adobe') && payload.length === 12;
  return false;
}

const ORIENTATION_TAG = 0x0112;
const TIFF_SHORT = 3;

/** The Orientation tag (1 to 8) of IFD0 in an Exif TIFF block, if present and sane. */
function exifOrientation(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let n = 0; n < count; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) !== ORIENTATION_TAG) continue;
    if (u16(entry + 2) !== TIFF_SHORT || u32(entry + 4) !== 1) return undefined;
    const value = u16(entry + 8);
    return value >= 1 && value <= 8 ? value : undefined;
  }
  return undefined;
}

/** An APP1 Exif segment holding one tag, Orientation, and nothing else. */
function orientationSegment(orientation: number): Buffer {
  const segment = Buffer.alloc(36);
  segment.writeUInt16BE(0xff00 | APP1, 0);
  segment.writeUInt16BE(34, 2); // length: itself + 'Exif\0\0' + 26 bytes of TIFF
  segment.write('Exif\0\0MM', 4, 'latin1');
  segment.writeUInt16BE(42, 12);
  segment.writeUInt32BE(8, 14); // IFD0 right after the TIFF header
  segment.writeUInt16BE(1, 18); // one entry
  segment.writeUInt16BE(ORIENTATION_TAG, 20);
  segment.writeUInt16BE(TIFF_SHORT, 22);
  segment.writeUInt32BE(1, 24);
  segment.writeUInt16BE(orientation, 28);
  // bytes 30..31 pad the value, 32..35 (next IFD offset) stay 0
  return segment;
}

// ----------------------------------------------------------------------------------------------- PNG

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

function pngWithoutMetadata(data: Buffer): Buffer | undefined {
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

// ---------------------------------------------------------------------------------------------- HEIC

interface Box {
  type: string;
  start: number;
  /** First byte after the box header (size, type, largesize, uuid). */
  body: number;
  end: number;
}

/**
 * HEIF keeps Exif and XMP as items of the top-level `meta` box: `iinf` names them (item type
 * `Exif`, or a `mime` item of type application/rdf+xml) and `iloc` says where their bytes are.
 * Those bytes are overwritten with zeros in the copy; nothing moves, so every offset stays valid.
 * Only items stored in the file itself (construction method 0) inside an `mdat` are handled.
 */
function heicWithoutMetadata(data: Buffer): Buffer | undefined {
  const top = readBoxes(data, 0, data.length);
  const meta = only(top, 'meta');
  if (!meta) return undefined;
  const children = readBoxes(data, meta.body + 4, meta.end); // meta is a FullBox
  const iinf = only(children, 'iinf');
  const iloc = only(children, 'iloc');
  if (!iinf || !iloc) return undefined;

  const targets = metadataItems(data, iinf);
  const locations = itemLocations(data, iloc);
  const mdats = top.filter((box) => box.type === 'mdat');
  const copy = Buffer.from(data);
  for (const id of targets) {
    const location = locations.get(id);
    if (!location || location.constructionMethod !== 0 || location.dataReferenceIndex !== 0) return undefined;
    for (const extent of location.extents) {
      const start = location.baseOffset + extent.offset;
      const end = start + extent.length;
      if (extent.length === 0 || !mdats.some((mdat) => start >= mdat.body && end <= mdat.end)) return undefined;
      copy.fill(0, start, end);
    }
  }
  return copy;
}

function readBoxes(data: Buffer, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let i = from;
  while (i < to) {
    if (to - i < 8) throw new Malformed('box header');
    let size = data.readUInt32BE(i);
    const type = data.toString('latin1', i + 4, i + 8);
    let header = 8;
    if (size === 1) {
      if (to - i < 16) throw new Malformed('largesize');
      size = safeNumber(data.readBigUInt64BE(i + 8));
      header = 16;
    } else if (size === 0) {
      size = to - i; // to the end of the enclosing box
    }
    if (type === 'uuid') header += 16;
    if (size < header || size > to - i) throw new Malformed(`box ${type}`);
    boxes.push({ type, start: i, body: i + header, end: i + size });
    i += size;
  }
  return boxes;
}

function only(boxes: Box[], type: string): Box | undefined {
  const found = boxes.filter((box) => box.type === type);
  if (found.length > 1) throw new Malformed(`more than one ${type}`);
  return found[0];
}

/** The ids of the Exif and XMP items listed in `iinf`. */
function metadataItems(data: Buffer, iinf: Box): number[] {
  const version = byteAt(data, iinf.body, iinf.end);
  let p = iinf.body + 4;
  if (p + (version === 0 ? 2 : 4) > iinf.end) throw new Malformed('iinf');
  const count = version === 0 ? data.readUInt16BE(p) : data.readUInt32BE(p);
  p += version === 0 ? 2 : 4;
  const entries = readBoxes(data, p, iinf.end).filter((box) => box.type === 'infe');
  if (entries.length !== count) throw new Malformed('iinf entry count');

  const ids: number[] = [];
  for (const infe of entries) {
    const infeVersion = byteAt(data, infe.body, infe.end);
    let q = infe.body + 4;
    let id: number;
    let itemType: string | undefined;
    if (infeVersion >= 2) {
      const idSize = infeVersion === 2 ? 2 : 4;
      if (q + idSize + 2 + 4 > infe.end) throw new Malformed('infe');
      id = idSize === 2 ? data.readUInt16BE(q) : data.readUInt32BE(q);
      q += idSize + 2; // item_ID, item_protection_index
      itemType = data.toString('latin1', q, q + 4);
      q += 4;
    } else {
      if (q + 4 > infe.end) throw new Malformed('infe');
      id = data.readUInt16BE(q);
      q += 4; // item_ID, item_protection_index
    }
    let contentType: string | undefined;
    if (infeVersion < 2 || itemType === 'mime') {
      const name = cString(data, q, infe.end); // item_name
      contentType = cString(data, name.next, infe.end).value;
    }
    if (itemType === 'Exif' || contentType?.trim().toLowerCase() === 'application/rdf+xml') ids.push(id);
  }
  return ids;
}

interface ItemLocation {
  constructionMethod: number;
  dataReferenceIndex: number;
  baseOffset: number;
  extents: Array<{ offset: number; length: number }>;
}

function itemLocations(data: Buffer, iloc: Box): Map<number, ItemLocation> {
  const version = byteAt(data, iloc.body, iloc.end);
  if (version > 2) throw new Malformed('iloc version');
  let p = iloc.body + 4;
  const sizes = byteAt(data, p, iloc.end);
  const more = byteAt(data, p + 1, iloc.end);
  p += 2;
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 0x0f;
  const baseOffsetSize = more >> 4;
  const indexSize = version === 0 ? 0 : more & 0x0f;
  const read = (size: number): number => {
    if (size !== 0 && size !== 4 && size !== 8) throw new Malformed('iloc field size');
    if (p + size > iloc.end) throw new Malformed('iloc');
    const value = size === 0 ? 0 : size === 4 ? data.readUInt32BE(p) : safeNumber(data.readBigUInt64BE(p));
    p += size;
    return value;
  };
  const read16 = () => {
    if (p + 2 > iloc.end) throw new Malformed('iloc');
    p += 2;
    return data.readUInt16BE(p - 2);
  };

  const count = version < 2 ? read16() : read(4);
  const locations = new Map<number, ItemLocation>();
  for (let n = 0; n < count; n++) {
    const id = version < 2 ? read16() : read(4);
    const constructionMethod = version === 0 ? 0 : read16() & 0x0f;
    const dataReferenceIndex = read16();
    const baseOffset = read(baseOffsetSize);
    const extentCount = read16();
    const extents: ItemLocation['extents'] = [];
    for (let e = 0; e < extentCount; e++) {
      if (indexSize > 0) read(indexSize);
      const offset = read(offsetSize);
      const length = read(lengthSize);
      extents.push({ offset, length });
    }
    if (locations.has(id)) throw new Malformed('iloc duplicate item');
    locations.set(id, { constructionMethod, dataReferenceIndex, baseOffset, extents });
  }
  return locations;
}

function byteAt(data: Buffer, at: number, end: number): number {
  const value = data[at];
  if (value === undefined || at >= end) throw new Malformed('truncated');
  return value;
}

function cString(data: Buffer, from: number, end: number): { value: string; next: number } {
  if (from > end) throw new Malformed('string');
  const nul = data.indexOf(0, from);
  const stop = nul === -1 || nul >= end ? end : nul; // some writers leave off the last NUL
  return { value: data.toString('utf8', from, stop), next: Math.min(stop + 1, end) };
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Malformed('64-bit value');
  return Number(value);
}
