/**
 * VS Code 1.100.3 as served by code-server 4.100.3: install (cached, by
 * scripts/e2e/install-code-server.sh), install an extension into a fresh
 * extensions folder, and run a server on a free loopback port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs the install script (a no-op when the cache is complete; its progress
 * goes to stderr) and returns code-server's entry point.
 */
export async function ensureCodeServer(repoRoot: string): Promise<string> {
  const script = join(repoRoot, 'scripts', 'e2e', 'install-code-server.sh');
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`install-code-server.sh exited with ${code}`))));
  });
  const root = stdout.trim().split('\n').pop() ?? '';
  return join(root, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export async function installExtension(entry: string, vsix: string, dirs: ServerDirs): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    [entry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--config', dirs.configFile, '--install-extension', vsix],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const output = `${stdout}${stderr}`;
  if (!/successfully installed/i.test(output)) throw new Error(`installing ${vsix} failed:\n${output}`);
  return output.trim();
}

export interface ServerDirs {
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
}

/** Creates the folders of one test run, with user settings that keep the UI quiet and predictable. */
export function prepareServerDirs(base: string, settings: Record<string, unknown>): ServerDirs {
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // Keeps code-server from writing a default config into the user's home.
  const configFile = join(base, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  return { userDataDir, extensionsDir, configFile };
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  logFile: string;
  logsDir: string;
  stop(): Promise<void>;
}

export async function startCodeServer(entry: string, dirs: ServerDirs, logFile: string): Promise<RunningServer> {
  const port = await freeLoopbackPort();
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--config', dirs.configFile,
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
  ];
  // Its own process group, so that stopping it also ends the extension hosts it forks.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${seen}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening:\n${seen}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    logFile,
    logsDir: join(dirs.userDataDir, 'logs'),
    stop: () => stopGroup(child),
  };
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
