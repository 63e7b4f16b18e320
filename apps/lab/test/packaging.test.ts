// electron-builder.yml, read and validated by the installed electron-builder itself: the fuses
// that keep a packaged OptLab from being run as plain Node or loading code from outside its asar.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
// app-builder-lib is electron-builder's own library: resolve it the way electron-builder does.
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = builderRequire(
  'app-builder-lib/out/util/config/config.js',
) as {
  getConfig: (projectDir: string, configPath: string, fromOptions: null) => Promise<Configuration>;
  validateConfiguration: (
    config: Configuration,
    debug: { isEnabled: boolean; add: () => void },
  ) => Promise<void>;
};

interface Configuration {
  electronFuses?: Record<string, boolean>;
  asar?: boolean;
}

describe('packaging', () => {
  it('sets the Electron fuses, in a configuration electron-builder accepts', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(
      validateConfiguration(config, { isEnabled: false, add: () => {} }),
    ).resolves.toBeUndefined();
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('refuses a misspelt fuse (the check above really validates)', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    const misspelt = { ...config, electronFuses: { runAsnode: false } };
    await expect(
      validateConfiguration(misspelt, { isEnabled: false, add: () => {} }),
    ).rejects.toThrow(/electronFuses/);
  });
});
