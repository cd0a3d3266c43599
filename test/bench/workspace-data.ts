/**
 * Puts the benchmark's users CSV inside a workspace folder. A symbolic link
 * would point outside the folder, which Segspec refuses (SEG100): the figures
 * would then be measured with no data loaded. A hard link costs nothing on the
 * same file system; elsewhere the file is copied.
 */
import { copyFileSync, linkSync } from 'node:fs';
import { join } from 'node:path';

export function placeUsersCsv(csvPath: string, dir: string, name = 'users.csv'): string {
  const target = join(dir, name);
  try {
    linkSync(csvPath, target);
  } catch {
    copyFileSync(csvPath, target);
  }
  return target;
}
