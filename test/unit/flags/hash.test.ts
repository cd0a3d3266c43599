import { createHash } from 'node:crypto';
import { GrowthBook } from '@growthbook/growthbook';
import { getFeatureFlagHash } from '@posthog/core';
import MurmurHash3 from 'imurmurhash';
import murmurhash3js from 'murmurhash3js';
import { normalizedStrategyValue, normalizedVariantValue } from 'unleash-client/lib/strategy/util.js';
import { describe, expect, it } from 'vitest';
import { fnv1a32, growthbookHash, hasNonAscii, murmur3Flagd, murmur3Unleash, sha1Hex, sha1Scale15 } from '../../../server/src/core/flags/hash.js';
import { asciiIds, rolloutPercents, unicodeIds } from './ids.js';

const ids = [...asciiIds(4000), ...unicodeIds(1000)];

describe('bucketing hashes equal the SDKs', () => {
  it('GrowthBook: hash v1 and v2 with a seed decide a force rule with coverage as the SDK does at every percent', () => {
    const gb = new GrowthBook({});
    for (const hashVersion of [1, 2]) {
      for (const percent of rolloutPercents) {
        const coverage = percent / 100;
        gb.setFeatures({ f: { defaultValue: false, rules: [{ force: true, coverage, hashVersion, seed: 's33d' }] } });
        let on = 0;
        for (const id of ids) {
          gb.setAttributes({ id });
          const expected = gb.isOn('f');
          const n = growthbookHash('s33d', id, hashVersion);
          const ours = id !== '' && coverage !== 0 && n !== undefined && n <= coverage;
          if (ours !== expected) expect({ id, hashVersion, percent, ours }).toEqual({ id, hashVersion, percent, ours: expected });
          if (ours) on++;
        }
        if (percent === 100) expect(on).toBe(ids.filter((id) => id !== '').length);
        if (percent === 50) expect(on / ids.length).toBeGreaterThan(0.45);
      }
    }
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(growthbookHash('s', 'x', 3)).toBeUndefined();
  });

  it('Unleash: murmur3 of groupId:id (low byte of each UTF-16 unit) equals the SDK, for strategies and variants', () => {
    for (const id of ids) {
      expect((murmur3Unleash(`grp:${id}`, 0) % 100) + 1).toBe(normalizedStrategyValue(id, 'grp'));
      expect((murmur3Unleash(`flag:${id}`, 86028157) % 1000) + 1).toBe(normalizedVariantValue(id, 'flag', 1000));
      expect(murmur3Unleash(id, 7)).toBe(murmurhash3js.x86.hash32(id, 7));
    }
  });

  it('flagd: murmur3 (imurmurhash, UTF-16 units) equals the JavaScript core', () => {
    for (const id of ids) expect(murmur3Flagd(`flag${id}`)).toBe(new MurmurHash3(`flag${id}`).result() >>> 0);
  });

  it('the two murmur3 variants agree with each other on ASCII and differ on non-ASCII text', () => {
    for (const id of asciiIds(500)) expect(murmur3Flagd(id)).toBe(murmur3Unleash(id));
    expect(murmur3Flagd('łódź-日本')).not.toBe(murmur3Unleash('łódź-日本'));
    expect(hasNonAscii('søren')).toBe(true);
    expect(hasNonAscii('soren')).toBe(false);
  });

  it('SHA-1 equals node:crypto over UTF-8, and the 15-hex-digit scale equals PostHog', async () => {
    for (const id of ids) {
      expect(sha1Hex(id)).toBe(createHash('sha1').update(id, 'utf8').digest('hex'));
    }
    const long = 'x'.repeat(1000) + 'é'.repeat(100);
    expect(sha1Hex(long)).toBe(createHash('sha1').update(long, 'utf8').digest('hex'));
    for (const id of ids.slice(0, 2000)) {
      expect(sha1Scale15(`flag.${id}`)).toBe(await getFeatureFlagHash('flag', id));
    }
  });
});

describe('the note a finding gives for keys the SDKs of one system hash differently', () => {
  it('names the Node SDK Segspec follows for non-ASCII keys in Unleash and flagd, and nothing elsewhere', async () => {
    const { hashNote } = await import('../../../server/src/core/flags/systems/index.js');
    expect(hashNote('unleash', 'søren')).toMatch(/^Unleash: .*unleash-client/);
    expect(hashNote('flagd', 'søren')).toMatch(/^flagd: .*@openfeature\/flagd-core/);
    expect(hashNote('unleash', 'soren')).toBeUndefined();
    expect(hashNote('growthbook', 'søren')).toBeUndefined();
    expect(hashNote('launchdarkly', 'søren')).toBeUndefined();
    expect(hashNote('posthog', 'søren')).toBeUndefined();
  });
});
