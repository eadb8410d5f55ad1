/**
 * The cache-poisoning attack of issue 16, played with two real users: an attacker who creates the
 * victim's cache folder first (in a shared, sticky temporary folder, as /tmp is) and plants a cache entry
 * for the victim's scenario. Needs root (to become both users with setpriv); skipped elsewhere.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/lambda-tui.js');
const VICTIM = 40_001;
const ATTACKER = 40_002;

function canSwitchUsers(): boolean {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  const probe = spawnSync('setpriv', [`--reuid=${VICTIM}`, `--regid=${VICTIM}`, '--clear-groups', process.execPath, '-e', 'process.exit(process.getuid() === 40001 ? 0 : 1)']);
  return probe.status === 0;
}

const possible = canSwitchUsers();

/** Runs `lambda-tui validate FILE` as `uid` with only the environment given. */
function asUser(uid: number, env: Record<string, string>, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A cache entry as src/cache.ts writes it: header with the body's sha256, then the body. */
function entry(body: string): string {
  return `lambda-tui-cache v1 ${createHash('sha256').update(body).digest('hex')}\n${body}`;
}

describe.runIf(possible)('the cache attack with two users (issue 16, item 1)', () => {
  let shared: string;
  let tmp: string;
  let home: string;
  let scenario: string;
  let marker: string;
  let precious: string;
  let key: string;
  let planted: string;

  beforeAll(() => {
    shared = mkdtempSync('/tmp/lambda-tui-attack-');
    chmodSync(shared, 0o755);
    // The shared temporary folder every user may write to, sticky like /tmp.
    tmp = path.join(shared, 'tmp');
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    // The victim's own files: a scenario, and a file the attacker would like them to overwrite.
    home = path.join(shared, 'victim');
    mkdirSync(home);
    chownSync(home, VICTIM, VICTIM);
    scenario = path.join(home, 'mine.ts');
    writeFileSync(scenario, "import { defineScenario } from 'lambda-tui';\nexport default defineScenario({ name: 'the victim\\'s own', functions: { f: {} } });\n");
    precious = path.join(home, 'precious.txt');
    writeFileSync(precious, 'the victim wrote this');
    chownSync(scenario, VICTIM, VICTIM);
    chownSync(precious, VICTIM, VICTIM);
    marker = path.join(tmp, 'pwned');
    // The code the attacker wants the victim to run, as jiti's compiled output (CommonJS).
    planted = entry(
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran as uid ' + process.getuid());\n` +
        "exports.default = { name: 'planted', functions: { f: {} } };\n",
    );
    // The entry's name is computed from public facts (jiti's version, the options, the file and its
    // source); here it is learned the simplest way, from a run of the victim's into a cache of its own.
    const own = path.join(home, 'own-cache');
    const r = asUser(VICTIM, { XDG_CACHE_HOME: own }, ['validate', scenario]);
    expect(r.stdout).toContain("ok (the victim's own)");
    const names = readdirSync(path.join(own, 'lambda-tui', 'jiti'));
    expect(names).toHaveLength(1);
    key = names[0];
    rmSync(own, { recursive: true });
  }, 120_000);

  afterAll(() => {
    if (shared) rmSync(shared, { recursive: true, force: true });
  });

  it('the planted entry would run if it were trusted (the test can tell)', () => {
    // Put it in the victim's own, legitimate cache folder: the cache reads it, and it runs.
    const own = path.join(home, 'trusted');
    const dir = path.join(own, 'lambda-tui', 'jiti');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dir, key), planted, { mode: 0o600 });
    for (const d of [own, path.join(own, 'lambda-tui'), dir, path.join(dir, key)]) chownSync(d, VICTIM, VICTIM);
    const r = asUser(VICTIM, { XDG_CACHE_HOME: own }, ['validate', scenario]);
    expect(r.stdout).toContain('ok (planted)');
    expect(readFileSync(marker, 'utf8')).toBe(`ran as uid ${VICTIM}`);
    rmSync(marker);
    rmSync(own, { recursive: true });
  }, 60_000);

  it('an attacker who creates the victim\'s cache folder first cannot make the victim run their code', () => {
    // As the attacker: make /tmp/lambda-tui-<victim uid>/jiti, world-writable, with the planted entry and
    // a symlink entry pointing at the victim's file.
    const script = `
      const fs = require('node:fs'); const path = require('node:path');
      const dir = path.join(${JSON.stringify(tmp)}, 'lambda-tui-${VICTIM}', 'jiti');
      fs.mkdirSync(dir, { recursive: true }); fs.chmodSync(path.dirname(dir), 0o777); fs.chmodSync(dir, 0o777);
      fs.writeFileSync(path.join(dir, ${JSON.stringify(key)}), ${JSON.stringify(planted)}, { mode: 0o666 });
      fs.chmodSync(path.join(dir, ${JSON.stringify(key)}), 0o666);
      for (let i = 0; i < 16; i++) fs.symlinkSync(${JSON.stringify(precious)}, path.join(dir, '.tmp-' + i));
    `;
    execFileSync('setpriv', [`--reuid=${ATTACKER}`, `--regid=${ATTACKER}`, '--clear-groups', process.execPath, '-e', script]);
    // As the victim, with no XDG_CACHE_HOME and no HOME: the cache would live in the shared folder.
    const r = asUser(VICTIM, { TMPDIR: tmp }, ['validate', scenario]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("ok (the victim's own)");
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(precious, 'utf8')).toBe('the victim wrote this');
    rmSync(path.join(tmp, `lambda-tui-${VICTIM}`), { recursive: true });
  }, 60_000);

  it('a symlink in place of the victim\'s cache folder, to a folder the attacker owns, is not followed', () => {
    const theirs = path.join(tmp, 'attacker-cache');
    const script = `
      const fs = require('node:fs'); const path = require('node:path');
      const dir = path.join(${JSON.stringify(theirs)}, 'jiti');
      fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
      fs.writeFileSync(path.join(dir, ${JSON.stringify(key)}), ${JSON.stringify(planted)});
      fs.symlinkSync(${JSON.stringify(theirs)}, path.join(${JSON.stringify(tmp)}, 'lambda-tui-${VICTIM}'));
    `;
    execFileSync('setpriv', [`--reuid=${ATTACKER}`, `--regid=${ATTACKER}`, '--clear-groups', process.execPath, '-e', script]);
    const r = asUser(VICTIM, { TMPDIR: tmp }, ['validate', scenario]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("ok (the victim's own)");
    expect(existsSync(marker)).toBe(false);
    rmSync(path.join(tmp, `lambda-tui-${VICTIM}`));
    rmSync(theirs, { recursive: true });
  }, 60_000);

  it('an entry planted in a victim folder left group-writable is not read', () => {
    // The victim made the folder but left it writable by a group the attacker is in.
    const own = path.join(shared, 'groupcache');
    mkdirSync(path.join(own, 'lambda-tui', 'jiti'), { recursive: true });
    for (const d of [own, path.join(own, 'lambda-tui'), path.join(own, 'lambda-tui', 'jiti')]) {
      chownSync(d, VICTIM, ATTACKER);
      chmodSync(d, 0o775);
    }
    const script = `require('node:fs').writeFileSync(${JSON.stringify(path.join(own, 'lambda-tui', 'jiti', key))}, ${JSON.stringify(planted)}, { mode: 0o644 });`;
    execFileSync('setpriv', [`--reuid=${ATTACKER}`, `--regid=${ATTACKER}`, `--groups=${ATTACKER}`, process.execPath, '-e', script]);
    const r = asUser(VICTIM, { XDG_CACHE_HOME: own }, ['validate', scenario]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("ok (the victim's own)");
    expect(existsSync(marker)).toBe(false);
    rmSync(own, { recursive: true });
  }, 60_000);

  it('copying the entry into a safe folder of the victim\'s, still owned by the attacker, is not read', () => {
    // Root-planted but attacker-owned file in the victim's safe folder (e.g. restored from a backup).
    const own = path.join(shared, 'owncache');
    const dir = path.join(own, 'lambda-tui', 'jiti');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const d of [own, path.join(own, 'lambda-tui'), dir]) chownSync(d, VICTIM, VICTIM);
    const file = path.join(shared, 'entry');
    writeFileSync(file, planted);
    copyFileSync(file, path.join(dir, key));
    chownSync(path.join(dir, key), ATTACKER, ATTACKER);
    chmodSync(path.join(dir, key), 0o644); // readable by the victim: only its owner gives it away
    const r = asUser(VICTIM, { XDG_CACHE_HOME: own }, ['validate', scenario]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("ok (the victim's own)");
    expect(existsSync(marker)).toBe(false);
    rmSync(own, { recursive: true });
  }, 60_000);
});
