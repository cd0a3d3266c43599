import { describe, expect, it } from 'vitest';
import { fieldsOf, relatedUses } from '../../../server/src/core/discover/rule-walk.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { MemoryHost } from '../workspace/memory-host.js';

const files = {
  '/ws/users.csv': 'user_id,plan,age,country\nu1,pro,30,DE\n',
  '/ws/events.csv': 'user_id,kind,amount\nu1,play,3\n',
  '/ws/data.segspec': `dataset users { source "users.csv" key user_id fields { plan: enum, age: integer, country: enum } }
dataset events { source "events.csv" belongs to users by user_id fields { kind: enum, amount: integer } }
segment adults { from users where age >= 18 }
segment players { from users where count(events where kind == "play") >= 1 }
segment target { from users where adults and players and plan == "pro" }
segment loop_a { from users where loop_b or country == "DE" }
segment loop_b { from users where loop_a }
`,
};

async function model() {
  return (await new Workspace(new MemoryHost(files), '/ws').analyze()).model;
}

describe('what a rule reads, through the segments it names', () => {
  it('lists the dataset\'s own fields, not segment names and not the fields of related rows', async () => {
    const m = await model();
    // `kind` is a field of the events an aggregate filters, not of users.
    expect([...fieldsOf(m.segments.get('target')!.where!, m)].sort()).toEqual(['age', 'plan']);
  });

  it('lists the related datasets read by the rule and by the segments it names', async () => {
    const m = await model();
    expect([...relatedUses(m.segments.get('target')!.where!, m)]).toEqual(['events']);
    expect([...relatedUses(m.segments.get('adults')!.where!, m)]).toEqual([]);
  });

  it('ends on segments that name each other', async () => {
    const m = await model();
    expect([...fieldsOf(m.segments.get('loop_a')!.where!, m)]).toEqual(['country']);
  });
});
