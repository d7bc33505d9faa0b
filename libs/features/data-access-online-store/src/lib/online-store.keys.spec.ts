import { handbookFeatureSet } from '@risk/feature-sets';
import { clusterSlot, crc16, idempotencyKey, stateKey } from './online-store.keys';

describe('online store key layout', () => {
  it('computes Redis Cluster slots like Redis (CRC16/XMODEM mod 16384, hash tags)', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('{user1000}.following')).toBe(clusterSlot('{user1000}.followers'));
    // empty tag: the whole key is hashed
    expect(clusterSlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % 16384);
  });

  it('co-locates an entity blob with its idempotency records and spreads entities', () => {
    const k = stateKey('ofs', 'eu', handbookFeatureSet, 'customer', 'c1');
    expect(k).toBe(`ofs:eu:handbook:v${handbookFeatureSet.version}:{customer:c1}`);
    expect(clusterSlot(idempotencyKey(k, 'tx-1'))).toBe(clusterSlot(k));
    const slots = new Set(Array.from({ length: 200 }, (_, i) => clusterSlot(stateKey('ofs', 'eu', handbookFeatureSet, 'customer', `c${i}`))));
    expect(slots.size).toBeGreaterThan(150);
  });
});
