// The hash libraries inside the flag SDKs (unleash-client: murmurhash3js; @openfeature/flagd-core: imurmurhash) ship no types.
declare module 'imurmurhash' {
  export default class MurmurHash3 {
    constructor(key?: string, seed?: number);
    result(): number;
  }
}
declare module 'murmurhash3js' {
  const murmurhash3js: { x86: { hash32(key: string, seed?: number): number } };
  export default murmurhash3js;
}
