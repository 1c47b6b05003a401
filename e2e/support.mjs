// Helpers for the browser tests: start the real `mamori` binary on a throwaway database,
// run its CLI, compute RFC 6238 codes, launch Debian's chromium.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.MAMORI_BIN ?? join(here, '..', 'target', 'debug', 'mamori');
export const ARTIFACTS = join(here, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** A fresh working folder whose database and key the CLI and the server share. */
export function workdir() {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-e2e-'));
  const env = {
    ...process.env,
    MAMORI_LANG: 'ja',
    MAMORI_DATABASE_URL: `sqlite://${join(dir, 'mamori-demo.db')}`,
    MAMORI_AUDIT_KEY_FILE: join(dir, 'mamori-demo.key'),
  };
  return { dir, env };
}

/** Runs `mamori ARGS` and returns its stdout; throws on a non-zero exit. */
export function cli(work, args, input = '') {
  const r = spawnSync(BIN, args, { cwd: work.dir, env: work.env, input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mamori ${args.join(' ')}: ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** Starts `mamori demo` on a free port; resolves with the URL and the printed sign-in. */
export function startDemo(work) {
  const child = spawn(BIN, ['demo', '--bind', '127.0.0.1:0'], { cwd: work.dir, env: work.env });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${out}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (!url) return;
      clearTimeout(timer);
      resolve({
        child,
        url: url[0],
        email: out.match(/メールアドレス (\S+)/)[1],
        password: out.match(/パスワード (\S+)/)[1],
        secret: out.match(/\): ([A-Z2-7 ]+)\n/)[1].replace(/ /g, ''),
      });
    });
    child.on('exit', (code) => reject(new Error(`demo exited ${code}:\n${out}`)));
  });
}

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The 6-digit RFC 6238 code (SHA-1, 30 s) for a base32 secret at `when` (ms). */
export function totp(secret, when = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 30000)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Keeps a PDF the page serves at `path` in the artefacts with every page as PNG (pdftoppm),
 *  to look at; returns the number of pages. */
export async function pdfPages(page, path, name) {
  const res = await page.request.get(path);
  if (res.status() !== 200 || res.headers()['content-type'] !== 'application/pdf') {
    throw new Error(`${path}: ${res.status()} ${res.headers()['content-type']}`);
  }
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, await res.body());
  execFileSync('pdftoppm', ['-png', '-r', '70', file, join(ARTIFACTS, name)]);
  return readdirSync(ARTIFACTS).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).length;
}
