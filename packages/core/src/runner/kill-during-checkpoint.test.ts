// A process killed at any moment, also in the middle of writing its run's record or journal, leaves a
// record that reads back, and the run resumes to completion. A property test over the moment of the kill.
// Spawns plain node on the built core (`npm run build` first; npm test does).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../../test-fixtures/checkpoint-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stepwise-kill-checkpoint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the child in `mode`; with `killAfterMs`, SIGKILLs it that long after it says it is ready. */
function runChild(args: string[], killAfterMs?: number): Promise<{ code: number | null; stdout: string }> {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (killAfterMs !== undefined && stdout.startsWith('ready\n') && proc.exitCode === null)
      setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const limit = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    proc.on('exit', (code) => {
      clearTimeout(limit);
      done({ code, stdout: stdout + stderr });
    }),
  );
}

let n = 0;

/** Kills a run `killAfterMs` after its process is ready, then resumes it in a new process; answers what the resume saw. */
async function killThenResume(killAfterMs: number): Promise<string> {
  n += 1;
  const store = join(root, `store-${n}`);
  const runId = `run_kill${n}`;
  await runChild(['run', store, runId], killAfterMs);
  const resumed = await runChild(['resume', store, runId]);
  expect(resumed.code, resumed.stdout).toBe(0);
  const answer = JSON.parse(resumed.stdout) as { before?: string; after?: string; result?: number };
  // killed before its first record: there is nothing to resume, and nothing damaged
  if (answer.before !== undefined) expect(answer).toMatchObject({ after: 'completed', result: 20 });
  rmSync(store, { recursive: true, force: true });
  return answer.before ?? 'none';
}

describe('a run killed at a random moment', () => {
  it('always leaves a readable record, and resume always completes it (50 kills, two at a time)', async () => {
    const seen = new Set<string>();
    const delay = fc.integer({ min: 0, max: 250 });
    await fc.assert(
      fc.asyncProperty(delay, delay, async (first, second) => {
        for (const before of await Promise.all([killThenResume(first), killThenResume(second)])) seen.add(before);
      }),
      { numRuns: 25 },
    );
    // the kills landed while the run was going, not only before or after it
    expect(seen.has('interrupted')).toBe(true);
  }, 600_000);
});
