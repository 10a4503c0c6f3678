// One service taken through its life with the generated clients, the way a TypeScript user would:
// registered at the child with a service key, read and listed there, found at the parent under the
// same id and in the hierarchy under its child, its lease renewed, and deregistered from both levels.
// The steps share state and run in order (node:test runs a suite's tests one after another).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as child from '../target/generated/child/index.js';
import { eventually } from './support/eventually.js';
import { assertProblem, refusalOf } from './support/problems.js';
import { asService, childUrl, reader, uniqueServiceUrl } from './support/topology.js';

const url = uniqueServiceUrl();
const info = { display_name: 'TypeScript Client Test Service', version: '1.0.0', owner: { team: 'clients', on_call: ['ts'] } };

describe('a service registered through the generated TypeScript client', () => {
  let orchestratorId: string;
  let serviceId: string;

  before(async () => {
    // The child registers with its parent in the background; until then it has no id there.
    orchestratorId = await eventually(async () => {
      const me = await reader.child.orchestrator.getOrchestratorInfo();
      assert.ok(me.orchestratorId, 'the child has no id from its parent yet');
      return me.orchestratorId;
    }, 30_000);
  });

  test('the child reports its link to the parent, with null where it has no region or domain', async () => {
    const me = await reader.child.orchestrator.getOrchestratorInfo();
    assert.equal(me.orchestratorId, orchestratorId);
    assert.equal(typeof me.parentUrl, 'string');
    // Nullable in the contract: decoded as null, never undefined or "".
    for (const label of [me.region, me.domain]) {
      assert.ok(label === null || (typeof label === 'string' && label.length > 0), `region ${me.region}, domain ${me.domain}`);
    }
    assert.equal(typeof me.serviceCount, 'number');
    assert.equal(typeof me.sync.servicesDigest, 'string');
  });

  test('registers at the child with the service key: 201, its Location and a lease', async () => {
    const response = await asService.services.registerServiceRaw({ localServiceRegistration: { url, info } });
    assert.equal(response.raw.status, 201);
    const result = await response.value();
    serviceId = result.id;
    assert.match(result.id, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    assert.equal(result.status, child.RegistrationStatus.Registered);
    assert.equal(result.url, url);
    assert.ok(result.ttlSeconds > 0, `ttl_seconds ${result.ttlSeconds}`);
    // ping_url is a path on the orchestrator that answered; Location is absolute.
    assert.equal(result.pingUrl, `/services/${result.id}/$ping`);
    assert.equal(response.raw.headers.get('location'), `${childUrl}/services/${result.id}`);
  });

  test('registering the same url again updates it: 200, the same id', async () => {
    const response = await asService.services.registerServiceRaw({
      localServiceRegistration: { url, info: { ...info, version: '1.0.1' } },
    });
    assert.equal(response.raw.status, 200);
    const result = await response.value();
    assert.equal(result.id, serviceId);
    assert.equal(result.status, child.RegistrationStatus.Updated);
  });

  test('reads back by id at the child, dates decoded as Dates', async () => {
    const service = await reader.child.services.getService({ id: serviceId });
    assert.equal(service.id, serviceId);
    assert.equal(service.url, url);
    assert.deepEqual(service.info, { ...info, version: '1.0.1' });
    assert.equal(service.status, child.LeaseStatus.Alive);
    for (const date of [service.registeredAt, service.lastUpdated, service.lastPingAt, service.expiresAt]) {
      assert.ok(date instanceof Date && !Number.isNaN(date.getTime()), `not a date: ${String(date)}`);
    }
    assert.ok(service.lastUpdated.getTime() >= service.registeredAt.getTime());
    assert.ok(service.expiresAt.getTime() > service.lastPingAt.getTime());
  });

  test('is listed at the child, once', async () => {
    const list = await reader.child.services.listServices();
    assert.equal(list.count, list.services.length);
    assert.deepEqual(list.services.filter((service) => service.url === url).map((service) => service.id), [serviceId]);
  });

  test('is forwarded to the parent under the same id, with the child as its orchestrator', async () => {
    const atParent = await eventually(() => reader.parent.services.getService({ id: serviceId }));
    assert.equal(atParent.id, serviceId);
    assert.equal(atParent.url, url);
    assert.equal(atParent.orchestratorId, orchestratorId);
    // The update may reach the parent a moment after the registration did.
    await eventually(async () => {
      const latest = await reader.parent.services.getService({ id: serviceId });
      assert.deepEqual(latest.info, { ...info, version: '1.0.1' });
    });
  });

  test('is listed at the parent when filtered by its orchestrator_id, and only that orchestrator\'s services are', async () => {
    const mine = await reader.parent.services.listServices({ orchestratorId });
    assert.equal(mine.count, mine.services.length);
    assert.ok(mine.services.some((service) => service.id === serviceId), `${serviceId} is not among ${mine.count}`);
    assert.ok(mine.services.every((service) => service.orchestratorId === orchestratorId));

    const everyone = await reader.parent.services.listServices();
    assert.ok(everyone.count >= mine.count);
    assert.ok(everyone.services.some((service) => service.id === serviceId));
  });

  test('is on one of the parent\'s pages, walked one service at a time by following next', async () => {
    const seen: string[] = [];
    let page = await reader.parent.services.listServices({ limit: 1 });
    for (;;) {
      assert.ok(page.services.length <= 1, `a page of ${page.services.length} for limit 1`);
      assert.equal(page.count, page.services.length);
      seen.push(...page.services.map((service) => service.id));
      if (page.next == null) {
        break;
      }
      const last = seen[seen.length - 1];
      assert.equal(page.next, `/api/v1/services?limit=1&after=${last}`);
      page = await reader.parent.services.listServices({ limit: 1, after: last });
    }
    assert.deepEqual(seen, [...new Set(seen)].sort(), 'in id order, none twice');
    assert.ok(seen.includes(serviceId), `${serviceId} is not among ${seen.length}`);
  });

  test('is in the hierarchy under its child orchestrator, whose count and scope agree', async () => {
    const hierarchy = await reader.parent.hierarchy.getHierarchy();
    const branch = hierarchy.orchestrators.find((candidate) => candidate.orchestrator.id === orchestratorId);
    assert.ok(branch, `no branch for orchestrator ${orchestratorId}`);
    assert.equal(branch.orchestrator.url, childUrl);
    assert.equal(branch.orchestrator.serviceCount, branch.services.length);
    assert.deepEqual(branch.services.filter((service) => service.url === url).map((service) => service.id), [serviceId]);
    const me = await reader.child.orchestrator.getOrchestratorInfo();
    assert.equal(branch.orchestrator.region, me.region);
    assert.equal(branch.orchestrator.domain, me.domain);
    assert.equal(hierarchy.totalServices,
      hierarchy.orchestrators.reduce((total, each) => total + each.services.length, 0));

    assert.equal(hierarchy.next, null, 'a small estate comes whole in one page');

    const summary = await reader.parent.hierarchy.getHierarchySummary();
    const entry = summary.orchestrators.find((candidate) => candidate.orchestrator.id === orchestratorId);
    assert.ok(entry, `no summary entry for orchestrator ${orchestratorId}`);
    // Other test files may register meanwhile: the summary is checked against itself, not the tree.
    assert.ok(entry.orchestrator.serviceCount >= 1, 'it holds at least this service');
    assert.match(entry.orchestrator.sync.servicesDigest, /^[0-9a-f]{16}$/);
    assert.equal(entry.servicesUrl, `/api/v1/services?orchestrator_id=${orchestratorId}&limit=100`);
    assert.equal(summary.totalOrchestrators, summary.orchestrators.length);
    assert.equal(summary.totalServices,
      summary.orchestrators.reduce((total, each) => total + each.orchestrator.serviceCount, 0));

    const detail = await reader.parent.orchestrators.getOrchestrator({ id: orchestratorId });
    assert.equal(detail.url, childUrl);
    const listed = await reader.parent.orchestrators.listOrchestrators();
    assert.ok(listed.orchestrators.some((orchestrator) => orchestrator.id === orchestratorId));
  });

  test('renews its lease with a ping to $ping', async () => {
    const before = await reader.child.services.getService({ id: serviceId });
    // The path ping_url named, through the generated operation.
    const lease = await asService.services.pingService({ id: serviceId });
    assert.equal(lease.id, serviceId);
    assert.equal(lease.status, child.LeaseStatus.Alive);
    assert.ok(lease.lastPingAt.getTime() >= before.lastPingAt.getTime());
    assert.ok(lease.expiresAt.getTime() > lease.lastPingAt.getTime());
  });

  test('deregisters at the child with the service key, and is gone at both levels', async () => {
    const gone = await asService.services.deregisterService({ id: serviceId });
    assert.equal(gone.status, child.DeregistrationStatus.Deregistered);
    assert.equal(gone.service.id, serviceId);

    assertProblem(await refusalOf(reader.child.services.getService({ id: serviceId })),
      { status: 404, type: 'urn:canopy:problem:not-found', title: 'Not Found' });
    const atParent = await eventually(() => refusalOf(reader.parent.services.getService({ id: serviceId })));
    assertProblem(atParent, { status: 404, type: 'urn:canopy:problem:not-found', title: 'Not Found' });
    const hierarchy = await reader.parent.hierarchy.getHierarchy();
    assert.ok(hierarchy.orchestrators.every((branch) => branch.services.every((service) => service.id !== serviceId)));
  });
});
