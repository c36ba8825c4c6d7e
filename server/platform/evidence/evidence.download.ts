import { EVIDENCE_EXTENSIONS, kindOfMime, type EvidenceKind } from './evidence.sniff.js';

/** Kinds whose bytes hold nothing a reader does not see: the original is its own viewing copy. */
const NOTHING_HIDDEN: ReadonlySet<EvidenceKind> = new Set<EvidenceKind>(['text']);

/** Which stored copies of a file a member of staff may download (R20, R15). */
export interface EvidenceCopies {
  /** The original as received, with its Exif/GPS: only for those who work the case. */
  original: boolean;
  /** The copy without location and device data, where one was made. */
  viewing: boolean;
}

/**
 * Originals are for the people who work the case (intake, supervisors, the assigned investigator).
 * Anyone else who may see the case, a board member for one, gets the stripped viewing copy only,
 * and no file at all where there is no such copy and the original may carry hidden metadata.
 */
export function evidenceCopiesFor(
  worksTheCase: boolean,
  file: { sniffed_type: string; viewing_name: string | null },
): EvidenceCopies {
  const kind = kindOfMime(file.sniffed_type);
  const harmless = kind !== undefined && NOTHING_HIDDEN.has(kind);
  return { original: worksTheCase || harmless, viewing: file.viewing_name !== null };
}

/** The copy to send for a request, or undefined when this viewer may have neither. */
export function copyToSend(copies: EvidenceCopies, askedForViewing: boolean): 'original' | 'viewing' | undefined {
  if (askedForViewing && copies.viewing) return 'viewing';
  if (copies.original) return 'original';
  return copies.viewing ? 'viewing' : undefined;
}

/**
 * The name a file is downloaded under: the resident's name with the extension of the type sniffed
 * from its bytes, so `statement.html` that is a JPEG downloads as `statement.jpg` and is opened as
 * one. A name that already ends in one of the type's extensions is kept as it is.
 */
export function evidenceDownloadName(originalName: string, mime: string): string {
  const kind = kindOfMime(mime);
  const extensions = kind ? EVIDENCE_EXTENSIONS[kind] : ['bin'];
  const dot = originalName.lastIndexOf('.');
  const extension = dot > 0 ? originalName.slice(dot + 1).toLowerCase() : '';
  if (extensions.includes(extension)) return originalName;
  const stem = dot > 0 ? originalName.slice(0, dot) : originalName;
  return `${stem === '' ? 'file' : stem}.${extensions[0]}`;
}
