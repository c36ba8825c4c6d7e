/**
 * HEIC/HEIF: the viewing copy zeroes the bytes of the Exif and XMP items of the top-level `meta`
 * box in place (see evidence.strip.ts), reading the ISO base media file format's boxes.
 */

/** The file is not what its header says; withoutMetadata turns this into no copy. */
class Malformed extends Error {}

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
export function heicWithoutMetadata(data: Buffer): Buffer | undefined {
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
