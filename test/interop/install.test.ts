// `npm install` works offline: onnxruntime-node's postinstall would fetch CUDA libraries from outside the npm
// registry (and fail without network); the project's .npmrc sets the flag its script honours to skip that.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('onnxruntime-node installs offline', () => {
  const flag = spawnSync('npm', ['config', 'get', 'onnxruntime-node-install'], { cwd: root, encoding: 'utf8' }).stdout.trim();

  it("npm reads onnxruntime-node-install=skip from the project's .npmrc", () => {
    expect(flag).toBe('skip');
  });

  it('its install script, given that setting as npm passes it to a dependency, exits at once without downloading', () => {
    const dir = join(root, 'node_modules', 'onnxruntime-node');
    const env = {
      ...process.env,
      npm_config_onnxruntime_node_install: flag,
      npm_package_json: join(dir, 'package.json'),
      npm_config_local_prefix: root,
    };
    const r = spawnSync(process.execPath, ['script/install'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/nuget|ENOTFOUND|Downloading/i);
    expect(r.status).toBe(0);
  });
});
