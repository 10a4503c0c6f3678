// What the tests run against, from the environment TypeScriptClientIT (or a developer) sets: a live
// parent and one of its children, and the keys to act with. Nothing here has a default, so a test
// run without a topology fails at once instead of testing some other one.
import { randomUUID } from 'node:crypto';
import * as parent from '../../target/generated/parent/index.js';
import * as child from '../../target/generated/child/index.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`${name} is not set: the tests need a running parent and child (see README, "Clients in other languages")`);
  }
  return value.trim();
}

export const parentUrl = required('CANOPY_PARENT_URL').replace(/\/+$/, '');
export const childUrl = required('CANOPY_CHILD_URL').replace(/\/+$/, '');
const serviceKey = required('CANOPY_SERVICE_KEY');
const adminKey = required('CANOPY_ADMIN_KEY');

/** The clients a service uses at its child: changes with the service key. */
export const asService: { services: child.ServicesApiInterface } = {
  services: new child.ServicesApi(new child.Configuration({ basePath: childUrl, accessToken: serviceKey })),
};

/**
 * Reads, with the admin key: reads are open by default, and the admin key is taken everywhere, so the
 * same tests pass against apps that run with CANOPY_READ_ACCESS=key.
 */
export const reader = {
  child: {
    services: new child.ServicesApi(new child.Configuration({ basePath: childUrl, accessToken: adminKey })),
    orchestrator: new child.OrchestratorApi(new child.Configuration({ basePath: childUrl, accessToken: adminKey })),
  },
  parent: {
    services: new parent.ServicesApi(new parent.Configuration({ basePath: parentUrl, accessToken: adminKey })),
    orchestrators: new parent.OrchestratorsApi(new parent.Configuration({ basePath: parentUrl, accessToken: adminKey })),
    hierarchy: new parent.HierarchyApi(new parent.Configuration({ basePath: parentUrl, accessToken: adminKey })),
  },
};

/** Clients that send no key at all. */
export const anonymous = {
  child: {
    services: new child.ServicesApi(new child.Configuration({ basePath: childUrl })),
  },
};

/** A url no other test or run registers: the registry keys services by url. */
export function uniqueServiceUrl(): string {
  return `http://127.0.0.1:9/ts-client/${randomUUID()}`;
}

/** A well-formed ULID that no registry has handed out (its time part is the epoch). */
export const UNKNOWN_ULID = '00000000000000000000000000';
