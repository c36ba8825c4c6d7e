/**
 * Metadata-free viewing copies of image evidence: the entry point, which picks the format. Each
 * format's walker is in its own module, evidence.strip.<format>.ts.
 */

import type { EvidenceKind } from './evidence.sniff.js';
import { heicWithoutMetadata } from './evidence.strip.heic.js';
import { jpegWithoutMetadata } from './evidence.strip.jpeg.js';
import { pngWithoutMetadata } from './evidence.strip.png.js';

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
