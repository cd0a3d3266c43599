/** Options the flag commands (export, rollout) share: a percentage and a context mapping. */
import { UsageError } from './errors.js';

/** `12.5%` or `12.5` → 12.5, between 0 and 100. */
export function parsePercent(text: string, option: string, command: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const value = m ? Number(m[1]) : NaN;
  if (!(value >= 0 && value <= 100)) throw new UsageError(`${option} expects a percentage between 0% and 100%, like 12.5%; got '${text}'`, command);
  return value;
}

/** `planTier=plan,id=user_id` → { planTier: 'plan', id: 'user_id' } (attribute = field). */
export function parseContextMapping(text: string | undefined, command: string): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const mapping: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([^=\s]+)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)$/.exec(part);
    if (!m) throw new UsageError(`--context expects attribute=field pairs separated by commas, like planTier=plan; got '${part}'`, command);
    if (m[1] in mapping) throw new UsageError(`--context maps attribute '${m[1]}' twice`, command);
    mapping[m[1]] = m[2];
  }
  return mapping;
}
