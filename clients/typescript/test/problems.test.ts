// Error answers through the generated clients: each is a ResponseError whose body decodes with the
// generated ProblemFromJSON into an RFC 9457 problem, sent as application/problem+json. A refused
// change changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, refusalOf } from './support/problems.js';
import { anonymous, asService, reader, UNKNOWN_ULID, uniqueServiceUrl } from './support/topology.js';

async function urlsAtChild(): Promise<string[]> {
  return (await reader.child.services.listServices()).services.map((service) => service.url);
}

describe('problems decoded by the generated TypeScript client', () => {
  test('an unknown id is a 404 at the child and at the parent', async () => {
    for (const call of [
      () => reader.child.services.getService({ id: UNKNOWN_ULID }),
      () => reader.parent.services.getService({ id: UNKNOWN_ULID }),
      () => reader.parent.orchestrators.getOrchestrator({ id: UNKNOWN_ULID }),
    ]) {
      const refusal = await refusalOf(call());
      assertProblem(refusal, { status: 404, type: 'urn:canopy:problem:not-found', title: 'Not Found' });
      assert.ok(refusal.problem.instance?.endsWith(`/${UNKNOWN_ULID}`), `instance ${refusal.problem.instance}`);
    }
  });

  test('a change without a key is a 401 with a Bearer challenge, and registers nothing', async () => {
    const url = uniqueServiceUrl();
    const refusal = await refusalOf(anonymous.child.services.registerService({ localServiceRegistration: { url } }));
    assertProblem(refusal, { status: 401, type: 'urn:canopy:problem:unauthorized', title: 'Unauthorized' });
    assert.match(refusal.headers.get('www-authenticate') ?? '', /^Bearer realm="canopy"/);
    assert.ok(!(await urlsAtChild()).includes(url));
  });

  test('an invalid url is a 422 naming body.url, and registers nothing', async () => {
    const url = 'ftp://127.0.0.1/ts-client';
    const refusal = await refusalOf(asService.services.registerService({ localServiceRegistration: { url } }));
    assertProblem(refusal, { status: 422, type: 'urn:canopy:problem:invalid-body', title: 'Invalid request body' });
    assert.deepEqual(refusal.problem.invalidParams?.map((param) => param.name), ['body.url']);
    assert.equal(typeof refusal.problem.invalidParams?.[0]?.reason, 'string');
    assert.ok(!(await urlsAtChild()).includes(url));
  });

  test('an orchestrator_id filter that is not a ULID is a 400', async () => {
    const refusal = await refusalOf(reader.parent.services.listServices({ orchestratorId: 'not-a-ulid' }));
    assertProblem(refusal, { status: 400, type: 'urn:canopy:problem:invalid-parameter', title: 'Invalid parameter' });
  });
});
