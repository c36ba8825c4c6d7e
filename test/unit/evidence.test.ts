import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  evidenceDisplayName,
  evidenceService,
  type AcceptResult,
} from '../../server/platform/evidence/evidence.service.js';
import { EVIDENCE_KINDS, sniffEvidence } from '../../server/platform/evidence/evidence.sniff.js';
import { localEvidenceStorage, type EvidenceStorage } from '../../server/platform/evidence/evidence.storage.js';
import { withoutMetadata } from '../../server/platform/evidence/evidence.strip.js';
import {
  GPS,
  UUID,
  u16,
  u32,
  ascii,
  sha256,
  exifTiff,
  jpegSegment,
  tinyJpeg,
  cameraJpeg,
  pngChunk,
  PNG_SIGNATURE,
  cameraPng,
  isoBox,
  ftyp,
  cameraHeic,
  zip,
  docx,
  wav,
  mp3,
  pdf,
  isoMedia,
} from '../support/evidenceFixtures.js';

// ---------------------------------------------------------------------------------------- tests

describe('evidence files', () => {
  let root: string;
  let storeDir: string;
  let storage: EvidenceStorage;
  let service: ReturnType<typeof evidenceService>;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'evidence-test-'));
    storeDir = path.join(root, 'store');
    storage = localEvidenceStorage(storeDir);
    service = evidenceService({ storage });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  let uploads = 0;
  /** What multer would leave: a temp file with a random name, and the client's name beside it. */
  const upload = async (data: Buffer, originalname = 'upload.bin') => {
    const tempPath = path.join(root, `upload-${++uploads}`);
    await writeFile(tempPath, data);
    return { path: tempPath, originalname, size: data.length };
  };
  const exists = (file: string) =>
    stat(file).then(
      () => true,
      () => false,
    );
  const accepted = (result: AcceptResult) => {
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    return result.file;
  };
  const readStored = (name: string) => readFile(path.join(storeDir, name));

  describe('typing by content', () => {
    const allowed: Array<[string, () => Buffer, keyof typeof EVIDENCE_KINDS]> = [
      ['JPEG', tinyJpeg, 'jpeg'],
      ['PNG', cameraPng, 'png'],
      ['HEIC', () => cameraHeic().file, 'heic'],
      ['HEIF (mif1)', () => Buffer.concat([ftyp('mif1', 'mif1', 'heic'), isoBox('mdat')]), 'heic'],
      ['PDF', pdf, 'pdf'],
      ['MP4', () => isoMedia('isom', 'isom', 'mp42'), 'mp4'],
      ['MOV', () => isoMedia('qt  ', 'qt  '), 'mov'],
      ['M4A', () => isoMedia('M4A ', 'M4A ', 'mp42', 'isom'), 'm4a'],
      ['MP3 with ID3', mp3, 'mp3'],
      ['MP3 without ID3', () => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]), 'mp3'],
      ['WAV', wav, 'wav'],
      ['DOCX', docx, 'docx'],
      ['UTF-8 text', () => Buffer.from('\uFEFFDéclaration\r\n\tOfficer #123 — 3 May, 14:30.\f\n'), 'text'],
    ];
    for (const [label, make, kind] of allowed) {
      it(`accepts ${label} as ${kind} with its canonical MIME type, whatever its name`, async () => {
        const file = await upload(make(), 'whatever.exe');
        expect(await sniffEvidence(file.path)).to.deep.equal({ kind, mime: EVIDENCE_KINDS[kind] });
        const stored = accepted(await service.accept(file));
        expect(stored).to.include({ kind, mime: EVIDENCE_KINDS[kind], originalName: 'whatever.exe' });
      });
    }

    const refused: Array<[string, Buffer, string]> = [
      ['HTML named .jpg', ascii('<!DOCTYPE html><html><script>alert(1)</script></html>'), 'photo.jpg'],
      ['HTML after blank lines', ascii('\n\n  <html><body onload="alert(1)"></body></html>'), 'statement.txt'],
      ['GIF', Buffer.concat([ascii('GIF89a'), Buffer.from([1, 0, 1, 0, 0, 0, 0, 0x3b])]), 'photo.png'],
      ['SVG', ascii('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image.png'],
      ['SVG with XML declaration', ascii('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg'],
      ['EXE', Buffer.concat([ascii('MZ'), Buffer.alloc(126)]), 'statement.pdf'],
      ['generic zip', zip([['notes.txt', 'hello']]), 'statement.docx'],
      ['GIF87a', ascii('GIF87a'), 'x.heic'],
      ['text with a NUL byte', ascii('line one\0line two'), 'a.txt'],
      ['text with an escape sequence', ascii('hello \x1b[31mred'), 'a.txt'],
      ['invalid UTF-8', Buffer.from([0x68, 0x69, 0xc3, 0x28]), 'a.txt'],
      ['UTF-16 text', Buffer.from('\uFEFFhello', 'utf16le'), 'a.txt'],
      ['HEIF image sequence', Buffer.concat([ftyp('msf1', 'msf1'), isoBox('mdat')]), 'burst.heic'],
      ['M4V video', isoMedia('M4V ', 'M4V '), 'clip.mp4'],
    ];
    for (const [label, data, name] of refused) {
      it(`refuses ${label} and removes the temp file`, async () => {
        const file = await upload(data, name);
        expect(await service.accept(file)).to.deep.equal({ ok: false, reason: 'type' });
        expect(await exists(file.path)).to.equal(false);
        expect(await exists(storeDir)).to.equal(false);
      });
    }

    it('refuses an empty file as empty and removes the temp file', async () => {
      const file = await upload(Buffer.alloc(0), 'empty.jpg');
      expect(await service.accept(file)).to.deep.equal({ ok: false, reason: 'empty' });
      expect(await exists(file.path)).to.equal(false);
    });
  });

  describe('storing', () => {
    it('keeps the original byte for byte under a server-made name, with its SHA-256 and size', async () => {
      const original = cameraJpeg();
      const file = await upload(original, 'IMG_0001.JPG');
      const stored = accepted(await service.accept(file));
      expect(stored.storedName).to.match(UUID);
      expect(stored.sha256).to.equal(sha256(original));
      expect(stored.sizeBytes).to.equal(original.length);
      expect(await readStored(stored.storedName)).to.deep.equal(original);
      expect(await storage.size(stored.storedName)).to.equal(original.length);
      expect(await exists(file.path)).to.equal(false);
      expect((await stat(path.join(storeDir, stored.storedName))).mode & 0o777).to.equal(0o600);
    });

    it('types a polyglot by its content, stores it under a UUID and leaves its bytes alone', async () => {
      const original = Buffer.concat([tinyJpeg(), ascii('<html><script>fetch("/staff")</script></html>')]);
      const stored = accepted(await service.accept(await upload(original, 'evil.html')));
      expect(stored).to.include({ kind: 'jpeg', mime: 'image/jpeg', originalName: 'evil.html' });
      expect(stored.storedName).to.match(UUID);
      expect(await readStored(stored.storedName)).to.deep.equal(original);
      expect(sha256(await readStored(stored.storedName))).to.equal(stored.sha256);
      // The viewing copy ends at EOI: the appended script is not in it.
      const viewing = await readStored(stored.viewingName!);
      expect(viewing.includes('<script>')).to.equal(false);
      expect(viewing).to.deep.equal(tinyJpeg());
    });

    it('refuses a PNG signature followed by HTML: file-type checks the chunks, and it is not text', async () => {
      const file = await upload(
        Buffer.concat([PNG_SIGNATURE, ascii('<html><script>alert(1)</script></html>')]),
        'evil.html',
      );
      expect(await service.accept(file)).to.deep.equal({ ok: false, reason: 'type' });
      expect(await exists(file.path)).to.equal(false);
    });

    it('types a valid PNG with HTML after IEND as PNG, keeps it whole, and leaves the HTML out of the copy', async () => {
      const original = Buffer.concat([cameraPng(), ascii('<html><script>alert(1)</script></html>')]);
      const stored = accepted(await service.accept(await upload(original, 'evil.html')));
      expect(stored).to.include({ kind: 'png', mime: 'image/png', originalName: 'evil.html' });
      expect(stored.storedName).to.match(UUID);
      expect(await readStored(stored.storedName)).to.deep.equal(original);
      expect(stored.sha256).to.equal(sha256(original));
      expect((await readStored(stored.viewingName!)).includes('<script>')).to.equal(false);
      expect((await readdir(storeDir)).sort()).to.deep.equal([stored.storedName, stored.viewingName].sort());
    });

    const hostileNames: Array<[string, string]> = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\win.ini', 'win.ini'],
      ['C:\\Users\\resident\\Pictures\\photo.jpg', 'photo.jpg'],
      ['/var/www/../../photo.jpg', 'photo.jpg'],
      ['pho\0to\u0007.jpg\r\n', 'photo.jpg'],
      ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
      ['\u2067\u200Fname\u2069.jpg', 'name.jpg'],
      ['..', 'file'],
      ['../', 'file'],
      ['  \t ', 'file'],
      ['', 'file'],
      ['\u0000', 'file'],
      ['.\u0000.', 'file'],
      [`${'é'.repeat(300)}.jpg`, 'é'.repeat(255)],
    ];
    const short = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 8)}… (${text.length})` : text);
    for (const [name, expected] of hostileNames) {
      it(`shows ${short(name)} as ${short(expected)} and stores the file inside the folder`, async () => {
        const stored = accepted(await service.accept(await upload(pdf(), name)));
        expect(stored.originalName).to.equal(expected);
        expect(stored.storedName).to.match(UUID);
        expect(await readdir(storeDir)).to.deep.equal([stored.storedName]);
      });
    }

    it('caps display names at 255 characters without splitting a character', () => {
      const emoji = '📷'.repeat(300);
      expect(Array.from(evidenceDisplayName(emoji))).to.have.length(255);
      expect(evidenceDisplayName(emoji)).to.equal('📷'.repeat(255));
    });

    it('discards stored files, including ones already gone, and skips nulls', async () => {
      const stored = accepted(await service.accept(await upload(cameraJpeg())));
      expect(await readdir(storeDir)).to.have.length(2);
      await service.discard([stored.storedName, stored.viewingName, null]);
      expect(await readdir(storeDir)).to.deep.equal([]);
      await service.discard([stored.storedName]);
    });

    it('lets a storage failure through, removes the temp file and keeps nothing half-stored', async () => {
      const removed: string[] = [];
      const failing: EvidenceStorage = {
        ...storage,
        putBuffer: () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' })),
        remove: async (name) => {
          removed.push(name);
          await storage.remove(name);
        },
      };
      const file = await upload(cameraJpeg());
      let error: unknown;
      await evidenceService({ storage: failing })
        .accept(file)
        .catch((caught: unknown) => (error = caught));
      expect(error).to.be.instanceOf(Error).with.property('message', 'disk full');
      expect(await exists(file.path)).to.equal(false);
      expect(removed).to.have.length(1);
      expect(await readdir(storeDir)).to.deep.equal([]);
    });

    it('lets a missing temp file through as an error', async () => {
      let error: unknown;
      await service
        .accept({ path: path.join(root, 'missing'), originalname: 'a.jpg', size: 10 })
        .catch((caught: unknown) => (error = caught));
      expect(error).to.have.property('code', 'ENOENT');
    });
  });

  describe('storage', () => {
    it('refuses names that are not stored-evidence UUIDs', async () => {
      await writeFile(path.join(root, 'secret'), 'secret');
      const bad = ['../secret', '..\\secret', '/etc/passwd', 'secret', '', 'ABCDEF00-0000-4000-8000-000000000000'];
      for (const name of bad) {
        expect(() => storage.open(name), name).to.throw('not a stored evidence name');
        expect(await storage.size(name).then(String, (error: Error) => error.message)).to.equal(
          'not a stored evidence name',
        );
        expect(await storage.remove(name).then(String, (error: Error) => error.message)).to.equal(
          'not a stored evidence name',
        );
      }
      expect(await exists(path.join(root, 'secret'))).to.equal(true);
    });

    it('opens, sizes and removes what it stored; removing a missing file is fine', async () => {
      const name = await storage.putBuffer(ascii('hello'));
      expect(name).to.match(UUID);
      expect((await stat(path.join(storeDir, name))).mode & 0o777).to.equal(0o600);
      const chunks: Buffer[] = [];
      for await (const chunk of storage.open(name) as AsyncIterable<Buffer>) chunks.push(chunk);
      expect(Buffer.concat(chunks).toString()).to.equal('hello');
      expect(await storage.size(name)).to.equal(5);
      await storage.remove(name);
      await storage.remove(name);
      expect(await readdir(storeDir)).to.deep.equal([]);
    });

    it('moves a file in with put: gone from its old place, private in the new one', async () => {
      const from = path.join(root, 'temp');
      await writeFile(from, 'evidence', { mode: 0o644 });
      const name = await storage.put(from);
      expect(await exists(from)).to.equal(false);
      expect(await readStored(name)).to.deep.equal(ascii('evidence'));
      expect((await stat(path.join(storeDir, name))).mode & 0o777).to.equal(0o600);
    });
  });

  describe('viewing copies without metadata', () => {
    /** Whether the Exif segment holds exactly one tag, Orientation = value. */
    const orientationOnly = (jpeg: Buffer, value: number) =>
      jpeg.includes(
        Buffer.concat([ascii('Exif\0\0MM'), u16(42), u32(8), u16(1), u16(0x0112), u16(3), u32(1), u16(value)]),
      );

    it('drops Exif, XMP, IPTC, MPF and comments from a JPEG, keeps ICC, Adobe and the orientation', async () => {
      const original = cameraJpeg();
      const stored = accepted(await service.accept(await upload(original, 'IMG_0001.JPG')));
      expect(stored.viewingName).to.match(UUID);
      const viewing = await readStored(stored.viewingName!);

      expect(original.includes(GPS)).to.equal(true);
      for (const gone of [GPS, 'xmpmeta', 'Photoshop', 'Jane Resident', 'MPF', 'owner serial', 'Main Street']) {
        expect(viewing.includes(gone), gone).to.equal(false);
      }
      expect(viewing.includes('ICC_PROFILE\0')).to.equal(true);
      expect(viewing.includes('Adobe')).to.equal(true);
      expect(viewing.includes('JFIF\0')).to.equal(true);
      expect(orientationOnly(viewing, 6)).to.equal(true);

      // Structurally valid: SOI … EOI, and walking it again changes nothing.
      expect(viewing.subarray(0, 2)).to.deep.equal(Buffer.from([0xff, 0xd8]));
      expect(viewing.subarray(-2)).to.deep.equal(Buffer.from([0xff, 0xd9]));
      expect(withoutMetadata('jpeg', viewing)).to.deep.equal(viewing);
      expect(await readStored(stored.storedName)).to.deep.equal(original);
    });

    it('gives a JPEG without metadata back unchanged, and an upright one no Exif at all', () => {
      expect(withoutMetadata('jpeg', tinyJpeg())).to.deep.equal(tinyJpeg());
      const upright = tinyJpeg([jpegSegment(0xe1, Buffer.concat([ascii('Exif\0\0'), exifTiff(1, GPS)]))]);
      expect(withoutMetadata('jpeg', upright)).to.deep.equal(tinyJpeg());
    });

    it('keeps the entropy-coded data, stuffed bytes and restart markers included, unchanged', () => {
      const scan = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]);
      const jpeg = Buffer.concat([
        tinyJpeg().subarray(0, -3),
        scan,
        jpegSegment(0xfe, ascii('between scans')),
        jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
        scan,
        Buffer.from([0xff, 0xd9]),
      ]);
      const viewing = withoutMetadata('jpeg', jpeg)!;
      expect(viewing.includes('between scans')).to.equal(false);
      expect(viewing.length).to.equal(jpeg.length - 4 - 'between scans'.length);
      expect(viewing.includes(Buffer.concat([scan, Buffer.from([0xff, 0xda])]))).to.equal(true);
    });

    it('gives no copy of a malformed JPEG, and never throws', () => {
      const good = cameraJpeg();
      const broken = [
        good.subarray(0, 40), // cut inside a segment
        good.subarray(0, -2), // no EOI
        Buffer.concat([good.subarray(0, 20), Buffer.from([0x00, 0x01]), good.subarray(20)]), // junk between segments
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), good.subarray(2)]), // length past the end
        Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01]), // length below 2
        Buffer.from([0xff, 0xd8]),
        Buffer.alloc(0),
      ];
      for (const data of broken) expect(withoutMetadata('jpeg', data)).to.equal(undefined);
      for (let cut = 0; cut < good.length; cut++) {
        expect(() => withoutMetadata('jpeg', good.subarray(0, cut))).not.to.throw();
      }
    });

    it('drops eXIf, tEXt, zTXt, iTXt and tIME from a PNG and keeps the rest in order', async () => {
      const original = cameraPng();
      const stored = accepted(await service.accept(await upload(original, 'screenshot.png')));
      const viewing = await readStored(stored.viewingName!);
      const chunkTypes = (png: Buffer) => {
        const types: string[] = [];
        for (let i = 8; i < png.length; i += 12 + png.readUInt32BE(i)) types.push(png.toString('latin1', i + 4, i + 8));
        return types;
      };
      expect(chunkTypes(original)).to.deep.equal([
        'IHDR',
        'sRGB',
        'eXIf',
        'tEXt',
        'zTXt',
        'iTXt',
        'tIME',
        'IDAT',
        'IEND',
      ]);
      expect(chunkTypes(viewing)).to.deep.equal(['IHDR', 'sRGB', 'IDAT', 'IEND']);
      expect(viewing.includes(GPS)).to.equal(false);
      expect(withoutMetadata('png', viewing)).to.deep.equal(viewing);
      expect(await readStored(stored.storedName)).to.deep.equal(original);
    });

    it('drops private PNG chunks and anything after IEND', () => {
      const png = cameraPng();
      const withExtras = Buffer.concat([
        png.subarray(0, -12),
        pngChunk('caBX', ascii('content credentials: Jane Resident')),
        png.subarray(-12),
        ascii('<script>alert(1)</script>'),
      ]);
      const viewing = withoutMetadata('png', withExtras)!;
      expect(viewing.includes('Jane Resident')).to.equal(false);
      expect(viewing.includes('<script>')).to.equal(false);
      expect(viewing.subarray(-12)).to.deep.equal(pngChunk('IEND', Buffer.alloc(0)));
    });

    it('gives no copy of a malformed PNG, and never throws', () => {
      const good = cameraPng();
      const hugeLength = Buffer.from(good);
      hugeLength.writeUInt32BE(0xfffffff0, 8);
      const broken = [
        good.subarray(0, -12), // no IEND
        good.subarray(0, 30),
        hugeLength,
        Buffer.concat([PNG_SIGNATURE, pngChunk('IDAT', Buffer.alloc(1)), pngChunk('IEND', Buffer.alloc(0))]), // IHDR not first
        Buffer.concat([good.subarray(0, 33), pngChunk('ABCD', Buffer.alloc(1)), good.subarray(33)]), // unknown critical
        Buffer.concat([good.subarray(0, 33), pngChunk('a1b2', Buffer.alloc(1)), good.subarray(33)]), // not letters
      ];
      for (const data of broken) expect(withoutMetadata('png', data)).to.equal(undefined);
      for (let cut = 0; cut < good.length; cut++) {
        expect(() => withoutMetadata('png', good.subarray(0, cut))).not.to.throw();
      }
    });

    it('zeroes the Exif and XMP items of a HEIC in place, leaving every other byte and offset as it was', async () => {
      const { file, picture, exif, xmp } = cameraHeic();
      const stored = accepted(await service.accept(await upload(file, 'IMG_0002.HEIC')));
      expect(stored).to.include({ kind: 'heic', mime: 'image/heic' });
      const viewing = await readStored(stored.viewingName!);
      expect(viewing.length).to.equal(file.length);
      expect(viewing.includes(GPS)).to.equal(false);
      const exifAt = file.indexOf(exif);
      const xmpAt = file.indexOf(xmp);
      expect(viewing.subarray(exifAt, exifAt + exif.length)).to.deep.equal(Buffer.alloc(exif.length));
      expect(viewing.subarray(xmpAt, xmpAt + xmp.length)).to.deep.equal(Buffer.alloc(xmp.length));
      const unchanged = (from: number, to: number) =>
        expect(viewing.subarray(from, to)).to.deep.equal(file.subarray(from, to));
      unchanged(0, exifAt);
      unchanged(xmpAt + xmp.length, file.length);
      expect(viewing.includes(picture)).to.equal(true);
      expect(await readStored(stored.storedName)).to.deep.equal(file);
    });

    it('gives no copy of a HEIC it cannot walk with certainty, and never throws', () => {
      const good = cameraHeic().file;
      expect(withoutMetadata('heic', cameraHeic(1).file)).to.equal(undefined); // items in idat
      const badIloc = Buffer.from(good);
      const ilocAt = good.indexOf('iloc') + 4 + 4 + 2; // first item_count byte after version, flags, sizes
      badIloc.writeUInt16BE(0xffff, ilocAt);
      expect(withoutMetadata('heic', badIloc)).to.equal(undefined);
      const badBox = Buffer.from(good);
      badBox.writeUInt32BE(0x7fffffff, good.indexOf('meta') - 4);
      expect(withoutMetadata('heic', badBox)).to.equal(undefined);
      for (let cut = 0; cut < good.length; cut++) {
        expect(() => withoutMetadata('heic', good.subarray(0, cut))).not.to.throw();
      }
    });

    it('makes no copy of kinds it does not clean', async () => {
      for (const [data, name] of [
        [pdf(), 'a.pdf'],
        [mp3(), 'a.mp3'],
        [docx(), 'a.docx'],
      ] as const) {
        const stored = accepted(await service.accept(await upload(data, name)));
        expect(stored.viewingName).to.equal(null);
      }
      expect(withoutMetadata('pdf', pdf())).to.equal(undefined);
    });
  });
});
