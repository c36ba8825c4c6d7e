import { createReadStream } from 'node:fs';
import { fileTypeFromFile } from 'file-type';

/**
 * The evidence a resident may upload, each with the one MIME type we ever store or send for it.
 * The type is decided from the content alone: the client's file name and MIME type are never read.
 */
export const EVIDENCE_KINDS = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  heic: 'image/heic',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  text: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

/** The file name extensions of each kind, the one a download is named with first. */
export const EVIDENCE_EXTENSIONS: Record<EvidenceKind, readonly string[]> = {
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  heic: ['heic', 'heif'],
  pdf: ['pdf'],
  mp4: ['mp4', 'm4v'],
  mov: ['mov', 'qt'],
  mp3: ['mp3'],
  m4a: ['m4a'],
  wav: ['wav'],
  text: ['txt', 'text'],
  docx: ['docx'],
};

/** The kind a stored MIME type was sniffed as; undefined for a type we never store. */
export function kindOfMime(mime: string): EvidenceKind | undefined {
  return (Object.keys(EVIDENCE_KINDS) as EvidenceKind[]).find((kind) => EVIDENCE_KINDS[kind] === mime);
}

/**
 * What file-type 21 answers for each allowed kind, as `ext mime`. Both must match, so a variant
 * under the same extension (an HEIF image sequence, a JPEG-LS file) stays out.
 */
const DETECTED: Record<string, EvidenceKind> = {
  'jpg image/jpeg': 'jpeg',
  'png image/png': 'png',
  'heic image/heic': 'heic', // major brand heic/heix (iPhone photos)
  'heic image/heif': 'heic', // major brand mif1
  'pdf application/pdf': 'pdf',
  'mp4 video/mp4': 'mp4', // any ISO-BMFF brand file-type has no better name for (isom, mp41, mp42...)
  'mov video/quicktime': 'mov',
  'mp3 audio/mpeg': 'mp3',
  'm4a audio/x-m4a': 'm4a',
  'wav audio/wav': 'wav',
  'docx application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

export async function sniffEvidence(filePath: string): Promise<{ kind: EvidenceKind; mime: string } | undefined> {
  let detected: { ext: string; mime: string } | undefined;
  try {
    detected = await fileTypeFromFile(filePath);
  } catch (error) {
    // A file the detector cannot parse is simply not evidence we accept; a failing disk is the caller's problem.
    if (isSystemError(error)) throw error;
    return undefined;
  }
  if (detected) {
    const kind = DETECTED[`${detected.ext} ${detected.mime}`];
    return kind ? { kind, mime: EVIDENCE_KINDS[kind] } : undefined;
  }
  return (await isPlainText(filePath)) ? { kind: 'text', mime: EVIDENCE_KINDS.text } : undefined;
}

const TAB = 0x09;
const LF = 0x0a;
const FF = 0x0c;
const CR = 0x0d;
const SPACE = 0x20;
const LESS_THAN = 0x3c;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Non-empty UTF-8 with no control characters but tab, line feed, form feed and carriage return,
 * read as a stream so memory stays flat. Text whose first visible character is `<` is refused: it is
 * HTML, SVG or XML in all but name, a document a browser would run rather than a statement to read.
 */
async function isPlainText(filePath: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let size = 0;
  let seenVisible = false;
  try {
    for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte < SPACE && byte !== TAB && byte !== LF && byte !== FF && byte !== CR) return false;
        // Multi-byte UTF-8 never contains bytes below 0x80, so this byte test is exact.
        if (!seenVisible) {
          const position = size + i;
          const blank = byte <= SPACE || (position < UTF8_BOM.length && byte === UTF8_BOM[position]);
          if (!blank && byte === LESS_THAN) return false;
          seenVisible = !blank;
        }
      }
      size += chunk.length;
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) return false; // invalid UTF-8
    throw error;
  }
  return size > 0;
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
