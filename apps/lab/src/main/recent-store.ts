/** Recent files kept in a JSON file of the app's user-data folder. */
import { readFile, writeFile } from 'node:fs/promises';
import { parseRecent, pushRecent } from '../shared/recent.js';

export class RecentFiles {
  constructor(private readonly file: string) {}

  async list(): Promise<string[]> {
    try {
      return parseRecent(await readFile(this.file, 'utf8'));
    } catch {
      return [];
    }
  }

  async add(path: string): Promise<void> {
    await writeFile(this.file, JSON.stringify(pushRecent(await this.list(), path)), 'utf8');
  }
}
