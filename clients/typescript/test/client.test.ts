import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthApi as ParentHealthApi, Configuration } from '../target/generated/parent/src/index.js';

test('the parent answers its health check', async () => {
  const health = new ParentHealthApi(new Configuration({ basePath: process.env.CANOPY_PARENT_URL }));
  const report = await health.getHealth();
  assert.ok(report.status);
});
