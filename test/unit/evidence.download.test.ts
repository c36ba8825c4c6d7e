import { expect } from 'chai';
import {
  copyToSend,
  evidenceCopiesFor,
  evidenceDownloadName,
} from '../../server/platform/evidence/evidence.download.js';
import { EVIDENCE_KINDS } from '../../server/platform/evidence/evidence.sniff.js';

describe('evidence download names and copies', () => {
  it('names a download with the extension of its sniffed type, never the uploader’s', () => {
    expect(evidenceDownloadName('statement.html', 'image/jpeg')).to.equal('statement.jpg');
    expect(evidenceDownloadName('photo.hta', 'image/jpeg')).to.equal('photo.jpg');
    expect(evidenceDownloadName('image.svg', 'image/png')).to.equal('image.png');
    expect(evidenceDownloadName('run.exe', 'text/plain')).to.equal('run.txt');
    expect(evidenceDownloadName('notes', 'application/pdf')).to.equal('notes.pdf');
    expect(evidenceDownloadName('.htaccess', 'text/plain')).to.equal('.htaccess.txt');
  });

  it('keeps a name that already ends in one of the type’s extensions, in any case', () => {
    expect(evidenceDownloadName('IMG_0001.JPEG', 'image/jpeg')).to.equal('IMG_0001.JPEG');
    expect(evidenceDownloadName('declaración.pdf', 'application/pdf')).to.equal('declaración.pdf');
  });

  it('has an extension for every kind it stores, and a harmless one for a type it never stores', () => {
    for (const mime of Object.values(EVIDENCE_KINDS))
      expect(evidenceDownloadName('x.html', mime)).not.to.match(/html$/);
    expect(evidenceDownloadName('x.html', 'text/html')).to.equal('x.bin');
  });

  it('gives originals to those who work the case, and others only a copy without hidden data', () => {
    const photo = { sniffed_type: 'image/jpeg', viewing_name: 'v' };
    const pdf = { sniffed_type: 'application/pdf', viewing_name: null };
    const text = { sniffed_type: 'text/plain', viewing_name: null };
    expect(evidenceCopiesFor(true, photo)).to.deep.equal({ original: true, viewing: true });
    expect(evidenceCopiesFor(false, photo)).to.deep.equal({ original: false, viewing: true });
    expect(evidenceCopiesFor(false, pdf)).to.deep.equal({ original: false, viewing: false });
    expect(evidenceCopiesFor(false, text)).to.deep.equal({ original: true, viewing: false });
    expect(copyToSend({ original: true, viewing: true }, false)).to.equal('original');
    expect(copyToSend({ original: true, viewing: true }, true)).to.equal('viewing');
    expect(copyToSend({ original: false, viewing: true }, false)).to.equal('viewing');
    expect(copyToSend({ original: true, viewing: false }, true)).to.equal('original');
    expect(copyToSend({ original: false, viewing: false }, true)).to.equal(undefined);
  });
});
