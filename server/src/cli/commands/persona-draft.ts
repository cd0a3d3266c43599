/**
 * `segspec persona SEGMENT [paths…]`: a persona draft for a segment (SPEC
 * §13) — the profile is a real member closest to the segment's typical
 * values, checked by the engine to be a member; the attributes that most
 * set the segment apart are starting points for its goals and pains.
 */
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { personaForSegment } from '../../core/discover/persona-for-segment.js';
import { analyzePaths } from '../analysis.js';
import { stringOption, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';
import { requireName, workspaceDefining } from '../lookup.js';
import { escapeControls } from '../reporters/safe-text.js';

export async function runPersona(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const { name: segment, paths } = requireName(cmd.positionals, 'SEGMENT', 'persona');
  const analysis = await analyzePaths(paths, cmd.shared, io);
  const w = workspaceDefining(analysis, 'segment', segment);
  const draft = personaForSegment(w.analysis, segment, { name: stringOption(cmd, 'name'), asOf: w.workspace.options.asOf });
  if (!draft.ok) throw new CliError(draft.message);
  // The engine's own check of the profile, as in a user's file: it must be a member.
  const path = `${w.workspace.root.replace(/[\\/]+$/, '')}/__segspec_persona_check__.segspec`;
  w.workspace.setOverlay(path, draft.text, 1);
  let checked;
  try {
    checked = await w.workspace.analyze();
  } finally {
    w.workspace.removeOverlay(path);
  }
  const problems = checked.findings.filter((f) => f.file === path && f.severity !== 'info');
  if (checked.results.personas.get(draft.name)?.member !== true || problems.length > 0) {
    throw new CliError(`internal error: the drafted profile does not check as a member of ${segment}${problems[0] ? `: ${problems[0].code} ${problems[0].message}` : ''}`);
  }
  const file = stringOption(cmd, 'write');
  if (file !== undefined) {
    await appendFile(resolve(io.cwd, file), `\n${draft.text}`);
    io.stderr.write(`segspec: appended persona ${draft.name} to ${escapeControls(file)}\n`);
  }
  io.stdout.write(draft.text);
  return EXIT_OK;
}
