// A throwaway WordPress site for tests, from Debian's packages: a private MariaDB server on a Unix socket,
// Debian's WordPress copied into a temp folder with its own wp-config.php, PHP's built-in web server on
// loopback, the plugin installed from the built zip and activated. Everything is removed on stop().
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { freePort } from '../../scripts/free-port.mjs';
import { until } from '../support/until.js';

export interface WordPressSite {
  origin: string;
  root: string;
  /**
   * Runs PHP with WordPress loaded (as the site's own code would) and answers what the code echoes. Never
   * blocks this process: the AKOOL emulator the PHP code may call can live in it.
   */
  php(code: string): Promise<string>;
  stop(): Promise<void>;
}

const WORDPRESS = '/usr/share/wordpress';

function run(cmd: string, args: string[], cwd?: string): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

export async function startWordPress(pluginZip: string): Promise<WordPressSite> {
  const dir = mkdtempSync(join(tmpdir(), 'faceswap-wp-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) {
      // Each child leads its own process group: PHP's server forks workers that must go with it.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // MariaDB, private to this test: its own data folder, a socket, no TCP.
    const data = join(dir, 'db');
    const socket = join(dir, 'mysql.sock');
    run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root']);
    const db = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${socket}`,
        '--skip-networking',
        '--user=root',
        `--pid-file=${join(dir, 'db.pid')}`,
        `--log-error=${join(dir, 'db.err')}`,
      ],
      { stdio: 'ignore', detached: true },
    );
    children.push(db);
    await until(() => existsSync(socket), 'MariaDB', 60_000, 200);
    run('mariadb', [`--socket=${socket}`, '-uroot', '-e', 'CREATE DATABASE wp']);

    // WordPress with its own config; the plugin from the installable zip.
    const root = join(dir, 'wp');
    cpSync(WORDPRESS, root, { recursive: true, dereference: false, verbatimSymlinks: true });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
      .map((name) => `define('${name}', '${randomBytes(24).toString('hex')}');`)
      .join('\n');
    writeFileSync(
      join(root, 'wp-config.php'),
      `<?php
define('DB_NAME', 'wp'); define('DB_USER', 'root'); define('DB_PASSWORD', ''); define('DB_HOST', 'localhost:${socket}');
define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
${salts}
$table_prefix = 'wp_';
define('WP_HOME', '${origin}'); define('WP_SITEURL', '${origin}');
define('WP_CONTENT_DIR', '${root}/wp-content'); define('WP_CONTENT_URL', '${origin}/wp-content');
define('WP_PLUGIN_DIR', '${root}/wp-content/plugins'); define('WP_PLUGIN_URL', '${origin}/wp-content/plugins');
define('FS_METHOD', 'direct'); define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost');
define('WP_DEBUG', true); define('WP_DEBUG_DISPLAY', false); define('WP_DEBUG_LOG', '${dir}/debug.log');
define('ABSPATH', '${root}/');
require_once ABSPATH . 'wp-settings.php';
`,
    );
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(pluginZip)))) {
      const target = join(root, 'wp-content/plugins', name);
      if (name.endsWith('/')) continue;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
    // PHP's server: files as they are, everything else to WordPress (pretty permalinks work too).
    writeFileSync(
      join(dir, 'router.php'),
      `<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file($_SERVER['DOCUMENT_ROOT'] . $path) && !str_ends_with($path, '.php')) {
  if (str_ends_with($path, '.wasm')) { header('Content-Type: application/wasm'); readfile($_SERVER['DOCUMENT_ROOT'] . $path); return true; }
  return false;
}
if ($path !== '/' && is_file($_SERVER['DOCUMENT_ROOT'] . $path)) return false;
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
`,
    );
    const server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root, join(dir, 'router.php')], {
      stdio: 'ignore',
      detached: true,
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
    });
    children.push(server);

    const php = async (code: string) => {
      const file = join(dir, `cli-${randomBytes(4).toString('hex')}.php`);
      writeFileSync(
        file,
        `<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1:${port}'; $_SERVER['REQUEST_URI'] = '/'; $_SERVER['SERVER_NAME'] = '127.0.0.1';
define('WP_INSTALLING', !file_exists('${dir}/installed'));
require '${root}/wp-load.php';
${code}`,
      );
      try {
        return await new Promise<string>((resolve, reject) => {
          execFile('php', [file], { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
            if (!error) return resolve(stdout);
            // WordPress answers a fatal error with a generic page; the reason is in its debug log.
            const log = join(dir, 'debug.log');
            reject(new Error(`php failed: ${error.message.slice(0, 300)}\ndebug.log:\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-3000) : '(none)'}`));
          });
        });
      } finally {
        rmSync(file, { force: true });
      }
    };
    await php(`require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Faceswap test', 'admin', 'admin@example.com', true, '', '${randomBytes(12).toString('hex')}');
file_put_contents('${dir}/installed', '1');`);
    await until(async () => (await fetch(`${origin}/`).catch(() => undefined))?.ok === true, 'WordPress to answer', 60_000, 200);
    return { origin, root, php, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
