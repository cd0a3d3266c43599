import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { CliError } from '../errors.js';

/**
 * The echarts browser build, read at run time from the installed package so
 * that the report can inline it (the report must open without network).
 */
export function loadEchartsSource(): string {
  let file: string | undefined;
  try {
    const req = typeof require === 'function' ? require : createRequire(`${process.cwd()}/`);
    file = req.resolve('echarts/dist/echarts.min.js');
  } catch {
    // A packaged build ships a copy beside the bundle (see the `package` script).
    const beside = typeof __dirname === 'string' ? join(__dirname, 'echarts.min.js') : undefined;
    if (beside && existsSync(beside)) file = beside;
  }
  if (!file) {
    throw new CliError(
      "the HTML report needs the 'echarts' package, which is not installed (npm install echarts)",
    );
  }
  const source = readFileSync(file, 'utf8');
  if (/<\/script/i.test(source)) {
    throw new CliError(`cannot inline ${file}: it contains '</script'`);
  }
  return source;
}
