/**
 * (c) Completion after `where ` offers every field of the dataset; after
 * `plan == ` it offers the plan values found in the data.
 */
import { writeFileSync } from 'node:fs';
import { check, path, type Scenario } from '../support/scenario.js';
import { waitForAnalysis } from './common.js';

const PROBE = `// A segment being written: the e2e test types its rule on line 4.
segment probe "Probe" {
  kind behavioral
  
}
`;

function unquote(label: string): string {
  return label.trim().replace(/^["']|["']$/g, '');
}

export const completion: Scenario = {
  id: 'c-completion',
  title: "completion offers the dataset's fields after `where ` and data values after `plan == `",
  prepare(workspace) {
    writeFileSync(path(workspace, 'probe.segspec'), PROBE);
  },
  async run({ workbench, facts, note, shot }) {
    check(facts.fields.length > 0, 'the sample declares no fields');
    await workbench.openFile('probe.segspec');
    await waitForAnalysis(workbench, facts, note);
    await workbench.goTo(4, 3);
    await workbench.type('where ');
    await workbench.dismissWidgets();

    const afterWhere = await workbench.allSuggestions(() => shot('fields'));
    note(`after 'where ': ${afterWhere.length} items, e.g. ${afterWhere.slice(0, 8).join(', ')}`);
    const missingFields = facts.fields.filter((f) => !afterWhere.includes(f));
    check(missingFields.length === 0, `fields not offered after 'where ': ${missingFields.join(', ')} (offered: ${afterWhere.join(', ')})`);

    await workbench.dismissWidgets();
    await workbench.type('plan == ');
    await workbench.dismissWidgets();
    const afterPlan = (await workbench.allSuggestions(() => shot('values'))).map(unquote);
    note(`after 'plan == ': ${afterPlan.join(', ')}`);
    const missingValues = facts.planValues.filter((v) => !afterPlan.includes(v));
    check(missingValues.length === 0, `plan values not offered: ${missingValues.join(', ')} (offered: ${afterPlan.join(', ')})`);
    const declarations = afterPlan.filter((label) => ['dataset', 'segment', 'persona', 'partition'].includes(label));
    check(declarations.length === 0, `declaration snippets offered where a value is expected: ${declarations.join(', ')}`);
    await workbench.dismissWidgets();
  },
};
