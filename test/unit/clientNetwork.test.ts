import { expect } from 'chai';
import { clientNetwork } from '../../server/platform/security/clientNetwork.js';

describe('the client a per-connection limit counts', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientNetwork('203.0.113.7')).to.equal('203.0.113.7');
    expect(clientNetwork('203.0.113.8')).to.equal('203.0.113.8');
  });

  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const network = '2001:db8:aa:1::/64';
    for (const address of [
      '2001:db8:aa:1::1',
      '2001:0db8:00aa:0001:ffff:ffff:ffff:fffe',
      '2001:DB8:AA:1:1234:5678:9abc:def0',
      '2001:db8:aa:1:0:0:0:1%eth0',
      '2001:db8:aa:1::192.0.2.1',
    ]) {
      expect(clientNetwork(address), address).to.equal(network);
    }
    expect(clientNetwork('2001:db8:aa:2::1')).to.equal('2001:db8:aa:2::/64');
    expect(clientNetwork('2001:db8::1')).to.equal('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).to.equal('0:0:0:0::/64');
  });

  it('counts an IPv4 address written as IPv6 as that IPv4 address, not as one shared /64', () => {
    expect(clientNetwork('::ffff:203.0.113.7')).to.equal('203.0.113.7');
    expect(clientNetwork('::ffff:cb00:7107')).to.equal('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.8')).to.equal('203.0.113.8');
  });

  it('leaves anything else (no address known) as it is', () => {
    expect(clientNetwork('')).to.equal('');
    expect(clientNetwork('not-an-address')).to.equal('not-an-address');
  });
});
