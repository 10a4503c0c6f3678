import assert from 'node:assert/strict';
import * as parent from '../../target/generated/parent/index.js';
import * as child from '../../target/generated/child/index.js';

/** An error answer as the generated client hands it over: the HTTP response and its RFC 9457 body. */
export interface Refusal {
  status: number;
  contentType: string | null;
  headers: Headers;
  problem: parent.Problem;
}

/**
 * Awaits {@code call}, which must fail the way the generated clients fail on a 4xx or 5xx: a
 * ResponseError carrying the response. The body is decoded with the generated ProblemFromJSON of the
 * client that made the call, so a Problem schema the clients cannot read fails here.
 */
export async function refusalOf(call: Promise<unknown>): Promise<Refusal> {
  let outcome: unknown;
  try {
    outcome = await call;
  } catch (error) {
    let problem: parent.Problem;
    if (error instanceof parent.ResponseError) {
      problem = parent.ProblemFromJSON(await error.response.json());
    } else if (error instanceof child.ResponseError) {
      problem = child.ProblemFromJSON(await error.response.json());
    } else {
      throw error;
    }
    const response = error.response;
    return { status: response.status, contentType: response.headers.get('content-type'), headers: response.headers, problem };
  }
  assert.fail(`expected an error answer, got a success: ${JSON.stringify(outcome)}`);
}

/** The checks every problem answer must pass, whatever its status. */
export function assertProblem(refusal: Refusal, expected: { status: number; type: string; title: string }): void {
  assert.equal(refusal.status, expected.status, `HTTP status; problem: ${JSON.stringify(refusal.problem)}`);
  assert.match(refusal.contentType ?? '', /^application\/problem\+json(;|$)/, 'content type');
  assert.equal(refusal.problem.status, expected.status, 'the problem repeats the HTTP status');
  assert.equal(refusal.problem.type, expected.type);
  assert.equal(refusal.problem.title, expected.title);
}
