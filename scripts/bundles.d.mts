import type { BuildOptions } from 'esbuild';

export interface BundleEntry {
  in: string;
  out: string;
  external?: string[];
}
export declare const entries: BundleEntry[];
export declare function bundleOptions(entry: BundleEntry): BuildOptions;
export declare function bundleOptionsFor(out: string): BuildOptions;
