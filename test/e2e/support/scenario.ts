/** What a scenario is, what it gets to work with, and the assertions it uses. */
import { join } from 'node:path';
import type { SampleFacts } from './sample-facts.js';
import type { Workbench } from './workbench.js';

export interface ScenarioContext {
  workbench: Workbench;
  /** The scenario's private copy of the sample workspace. */
  workspace: string;
  facts: SampleFacts;
  /** Prints a line under the scenario's name. */
  note(text: string): void;
  /** Saves a screenshot as test-results/e2e/<scenario>-<name>.png. */
  shot(name: string): Promise<string>;
}

export interface Scenario {
  id: string;
  title: string;
  /** Changes to the workspace copy before the editor opens it (`facts` describe the copy before them). */
  prepare?(workspace: string): void | Promise<void>;
  run(context: ScenarioContext): Promise<void>;
}

export class AssertionFailed extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailed(message);
}

export function path(workspace: string, ...parts: string[]): string {
  return join(workspace, ...parts);
}
