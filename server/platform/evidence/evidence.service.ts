import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { sniffEvidence, type EvidenceKind } from './evidence.sniff.js';
import type { EvidenceStorage } from './evidence.storage.js';
import { STRIPPABLE_KINDS, withoutMetadata } from './evidence.strip.js';

export interface StoredEvidence {
  /** The original, byte for byte as received: the evidence. */
  storedName: string;
  /** A copy without Exif/GPS/text metadata, for viewing in the browser; null when there is none. */
  viewingName: string | null;
  /** The resident's file name, cleaned for display only; never used as a path. */
  originalName: string;
  mime: string;
  kind: EvidenceKind;
  sizeBytes: number;
  /** Hex SHA-256 of the original, so anyone can later show the file is the one received. */
  sha256: string;
}

export type AcceptResult = { ok: true; file: StoredEvidence } | { ok: false; reason: 'type' | 'empty' };

/** What the upload middleware (multer's disk storage) hands over. */
export interface UploadedFile {
  path: string;
  originalname: string;
  size: number;
}

export type EvidenceService = ReturnType<typeof evidenceService>;

/**
 * Turns an uploaded temp file into stored evidence, or refuses it. The temp file is always gone
 * afterwards; a refusal is an answer, a filesystem failure an error (the caller's 500/503), and a
 * failure half-way leaves nothing stored.
 */
export function evidenceService(deps: { storage: EvidenceStorage }) {
  const { storage } = deps;

  const removeAll = async (names: Array<string | null>) => {
    const results = await Promise.allSettled(names.flatMap((name) => (name ? [storage.remove(name)] : [])));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };

  const store = async (file: UploadedFile, stored: string[]): Promise<AcceptResult> => {
    if ((await stat(file.path)).size === 0) return { ok: false, reason: 'empty' };
    const type = await sniffEvidence(file.path);
    if (!type) return { ok: false, reason: 'type' };

    // Images are read once: the hash and the viewing copy come from the same bytes. Other files
    // (video can be large) are hashed as a stream.
    let digest: { sha256: string; sizeBytes: number };
    let viewing: Buffer | undefined;
    if (STRIPPABLE_KINDS.has(type.kind)) {
      const original = await readFile(file.path);
      digest = { sha256: createHash('sha256').update(original).digest('hex'), sizeBytes: original.length };
      viewing = withoutMetadata(type.kind, original);
    } else {
      digest = await sha256OfFile(file.path);
    }

    const storedName = await storage.put(file.path);
    stored.push(storedName);
    const viewingName = viewing ? await storage.putBuffer(viewing) : null;
    if (viewingName) stored.push(viewingName);
    return {
      ok: true,
      file: {
        storedName,
        viewingName,
        originalName: evidenceDisplayName(file.originalname),
        mime: type.mime,
        kind: type.kind,
        ...digest,
      },
    };
  };

  return {
    async accept(file: UploadedFile): Promise<AcceptResult> {
      const stored: string[] = [];
      try {
        const result = await store(file, stored);
        await rm(file.path, { force: true }); // refused, or a copy was left behind by a cross-device move
        return result;
      } catch (error) {
        await removeAll(stored).catch(() => undefined); // the first error is the one to report
        await rm(file.path, { force: true }).catch(() => undefined);
        throw error;
      }
    },

    /** Removes stored files: an expired draft, or a batch refused after some files were stored. */
    discard: (names: Array<string | null>): Promise<void> => removeAll(names),
  };
}

async function sha256OfFile(filePath: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

const MAX_NAME_LENGTH = 255;

/** Characters that reorder or hide text (bidi embeddings, overrides, isolates and marks). */
const isBidiControl = (code: number) =>
  code === 0x061c ||
  code === 0x200e ||
  code === 0x200f ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

/**
 * The client's file name as something safe to show: the last path segment (either separator), no
 * control or bidi characters (so U+202E cannot make `invoice\u202Egpj.exe` read as `invoiceexe.jpg`),
 * at most 255 characters.
 */
export function evidenceDisplayName(clientName: string): string {
  const visible = Array.from(clientName)
    .filter((char) => {
      const code = char.codePointAt(0)!;
      return !isControl(code) && !isBidiControl(code);
    })
    .join('');
  const base = (visible.split(/[/\\]/).pop() ?? '').trim();
  const capped = Array.from(base).slice(0, MAX_NAME_LENGTH).join('').trim();
  return capped === '' || capped === '.' || capped === '..' ? 'file' : capped;
}
