import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/** Evidence files built byte by byte: camera photos with Exif/GPS, documents, audio and video headers. */

export const GPS = 'GPSLatitude 40.712800 N GPSLongitude 74.006000 W';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
export const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
export const ascii = (text: string) => Buffer.from(text, 'latin1');
export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A TIFF (Exif) block, big-endian: IFD0 with Orientation and an ImageDescription holding `text`. */
export function exifTiff(orientation: number, text: string): Buffer {
  const value = ascii(`${text}\0`);
  const entries = 2;
  const valueOffset = 8 + 2 + entries * 12 + 4;
  return Buffer.concat([
    ascii('MM'),
    u16(42),
    u32(8),
    u16(entries),
    Buffer.concat([u16(0x010e), u16(2), u32(value.length), u32(valueOffset)]), // ImageDescription
    Buffer.concat([u16(0x0112), u16(3), u32(1), u16(orientation), u16(0)]), // Orientation
    u32(0),
    value,
  ]);
}

export const jpegSegment = (marker: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([0xff, marker]), u16(payload.length + 2), payload]);

/**
 * A complete 1×1 grey baseline JPEG: one quantisation table, one-code Huffman tables, and a scan
 * of two bits (DC difference 0, end of block). `extra` segments go after JFIF, as cameras put them.
 */
export function tinyJpeg(extra: Buffer[] = []): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from([...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    ...extra,
    jpegSegment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    jpegSegment(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    jpegSegment(0xc4, Buffer.concat([Buffer.from([0x00, 1]), Buffer.alloc(15), Buffer.from([0])])),
    jpegSegment(0xc4, Buffer.concat([Buffer.from([0x10, 1]), Buffer.alloc(15), Buffer.from([0])])),
    jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    Buffer.from([0x3f, 0xff, 0xd9]),
  ]);
}

/** A phone-style JPEG: Exif with GPS text and orientation 6, XMP, ICC, MPF, IPTC, Adobe, a comment. */
export const cameraJpeg = () =>
  tinyJpeg([
    jpegSegment(0xe1, Buffer.concat([ascii('Exif\0\0'), exifTiff(6, GPS)])),
    jpegSegment(0xe1, ascii(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${GPS}</x:xmpmeta>`)),
    jpegSegment(0xe2, Buffer.concat([ascii('ICC_PROFILE\0'), Buffer.from([1, 1]), Buffer.alloc(32, 7)])),
    jpegSegment(0xe2, ascii('MPF\0MM\0*owner serial 1234')),
    jpegSegment(0xed, ascii('Photoshop 3.0\x008BIM by-line: Jane Resident')),
    jpegSegment(0xee, Buffer.from([...ascii('Adobe'), 0, 100, 0, 0, 0, 0, 1])),
    jpegSegment(0xfe, ascii('taken at 12 Main Street')),
  ]);

export const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([ascii(type), data]);
  return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
};
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 1×1 red PNG carrying eXIf, tEXt, zTXt, iTXt and tIME next to the chunks that draw it. */
export function cameraPng(): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', Buffer.concat([u32(1), u32(1), Buffer.from([8, 2, 0, 0, 0])])),
    pngChunk('sRGB', Buffer.from([0])),
    pngChunk('eXIf', exifTiff(1, GPS)),
    pngChunk('tEXt', ascii(`Comment\0${GPS}`)),
    pngChunk('zTXt', Buffer.concat([ascii('Author\0\0'), deflateSync(ascii('Jane Resident'))])),
    pngChunk('iTXt', ascii(`Location\0\0\0en\0\0${GPS}`)),
    pngChunk('tIME', Buffer.from([0x07, 0xe9, 5, 3, 14, 30, 0])),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const isoBox = (type: string, ...body: Buffer[]) => {
  const payload = Buffer.concat(body);
  return Buffer.concat([u32(payload.length + 8), ascii(type), payload]);
};
export const fullBox = (type: string, version: number, ...body: Buffer[]) =>
  isoBox(type, Buffer.from([version, 0, 0, 0]), ...body);
export const ftyp = (brand: string, ...compatible: string[]) =>
  isoBox('ftyp', ascii(brand), u32(0), ...compatible.map(ascii));

/**
 * A HEIF still with three items in its mdat: the picture (hvc1), Exif and XMP (a mime item),
 * located by an iloc of the given version and construction method.
 */
export function cameraHeic(constructionMethod = 0): { file: Buffer; picture: Buffer; exif: Buffer; xmp: Buffer } {
  const picture = ascii('HEVC-CODED-PICTURE-BYTES');
  const exif = Buffer.concat([u32(6), ascii('Exif\0\0'), exifTiff(1, GPS)]);
  const xmp = ascii(`<x:xmpmeta xmlns:x="adobe:ns:meta/">${GPS}</x:xmpmeta>`);
  const build = (mdatStart: number) => {
    const items = [picture, exif, xmp];
    let offset = mdatStart + 8;
    const locations = items.map((item, index) => {
      const entry = Buffer.concat([
        u16(index + 1),
        u16(constructionMethod),
        u16(0),
        u16(1),
        u32(offset),
        u32(item.length),
      ]);
      offset += item.length;
      return entry;
    });
    const meta = fullBox(
      'meta',
      0,
      fullBox('hdlr', 0, u32(0), ascii('pict'), Buffer.alloc(12), Buffer.from([0])),
      fullBox('pitm', 0, u16(1)),
      fullBox(
        'iinf',
        0,
        u16(3),
        fullBox('infe', 2, u16(1), u16(0), ascii('hvc1'), Buffer.from([0])),
        fullBox('infe', 2, u16(2), u16(0), ascii('Exif'), Buffer.from([0])),
        fullBox('infe', 2, u16(3), u16(0), ascii('mime'), Buffer.from([0]), ascii('application/rdf+xml\0')),
      ),
      fullBox('iloc', 1, Buffer.from([0x44, 0x00]), u16(3), ...locations),
    );
    return { head: Buffer.concat([ftyp('heic', 'mif1', 'heic'), meta]), mdat: isoBox('mdat', ...items) };
  };
  const first = build(0);
  const { head, mdat } = build(first.head.length);
  return { file: Buffer.concat([head, mdat]), picture, exif, xmp };
}

/** A zip of stored (uncompressed) entries, as an Office document is. */
export function zip(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const docx = () =>
  zip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ],
    [
      'word/document.xml',
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        '<w:body><w:p><w:r><w:t>Statement</w:t></w:r></w:p></w:body></w:document>',
    ],
  ]);

export function wav(): Buffer {
  const samples = Buffer.alloc(16);
  const format = Buffer.concat([
    ascii('fmt '),
    Buffer.from([16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0]),
  ]);
  const data = Buffer.concat([ascii('data'), Buffer.from([samples.length, 0, 0, 0]), samples]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + format.length + data.length);
  return Buffer.concat([ascii('RIFF'), size, ascii('WAVE'), format, data]);
}

/** An ID3v2.4 tag (a title) followed by one MPEG-1 Layer III frame header and silence. */
export const mp3 = () =>
  Buffer.concat([
    ascii('ID3'),
    Buffer.from([4, 0, 0, 0, 0, 0, 17]),
    ascii('TIT2'),
    Buffer.from([0, 0, 0, 7, 0, 0, 3]),
    ascii('stop\0\0'),
    Buffer.from([0xff, 0xfb, 0x90, 0x64]),
    Buffer.alloc(413),
  ]);

export const pdf = () =>
  ascii(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
      'trailer<</Root 1 0 R>>\n%%EOF\n',
  );

export const isoMedia = (brand: string, ...compatible: string[]) =>
  Buffer.concat([ftyp(brand, ...compatible), isoBox('free'), isoBox('mdat', Buffer.alloc(32))]);
