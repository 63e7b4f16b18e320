/** The storage the browser bridge keeps the workspace in: IndexedDB in a page, a Map in tests. */
export interface StoredFile {
  readonly text: string;
  readonly modified: number;
}

export interface KeyValueStore {
  get(key: string): Promise<StoredFile | undefined>;
  put(key: string, value: StoredFile): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, StoredFile>();
  async get(key: string) {
    return this.map.get(key);
  }
  async put(key: string, value: StoredFile) {
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
  async keys() {
    return [...this.map.keys()];
  }
}

/** One object store in one IndexedDB database; each put is its own transaction (atomic). */
export class IndexedDbStore implements KeyValueStore {
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly database = 'optlab-workspace',
    private readonly storeName = 'files',
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(this.database, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(this.storeName);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB failed to open'));
    });
    return this.db;
  }

  private async run<T>(
    mode: IDBTransactionMode,
    body: (store: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(this.storeName, mode);
      const request = body(transaction.objectStore(this.storeName));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () =>
        reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    });
  }

  get(key: string) {
    return this.run('readonly', (s) => s.get(key) as IDBRequest<StoredFile | undefined>);
  }
  async put(key: string, value: StoredFile) {
    await this.run('readwrite', (s) => s.put(value, key));
  }
  async delete(key: string) {
    await this.run('readwrite', (s) => s.delete(key));
  }
  async keys() {
    return (await this.run('readonly', (s) => s.getAllKeys())).map(String);
  }
}
