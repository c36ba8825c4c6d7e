/**
 * JPEG: the viewing copy keeps the marker segments that make up the picture and drops the
 * application segments and comments that carry Exif, XMP and the like (see evidence.strip.ts).
 */

const startsWith = (data: Buffer, prefix: string) =>
  data.length >= prefix.length && data.toString('latin1', 0, prefix.length) === prefix;

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
export function jpegWithoutMetadata(data: Buffer): Buffer | undefined {
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
