/**
 * @optlab/experiment/node — the Node-only part: result folders on disk and spec files.
 * The core (`@optlab/experiment`) stays free of Node APIs for the lab's Web Workers.
 */
export { ResultWriter, writeAtomic } from './writer.js';
export {
  OutputFolderError,
  RESULT_FILES,
  LANDSCAPE_FILES,
  SUITE_FILE,
  SHARD_FILE,
  SHARD_METRICS_FILE,
  TUNING_FILE,
  TUNING_METRICS_FILE,
  isResultFileName,
  makeDirectory,
  prepareOutputFolder,
} from './output-folder.js';
export { readDocumentFile, SPEC_FILE_LIMIT_BYTES } from './read-spec.js';
export { loadDataFiles, recordedSpec, DATA_FILE_LIMIT_BYTES } from './data-file.js';
export type { DataFileOptions } from './data-file.js';
export { readRegularFile } from './read-file.js';
export type { FileRead } from './read-file.js';
export { ExperimentPool, runExperimentInPool, defaultJobs, PoolError } from './pool.js';
export type { PoolOptions, PoolRunOptions, PoolSettings } from './pool.js';
export { EventSpool, SPOOL_MEMORY_BYTES } from './event-spool.js';
export { specHash, canonicalJson } from './spec-hash.js';
export {
  mergeShards,
  readTunedFolder,
  shardRecord,
  writeShardMetrics,
  writeShardRecord,
} from './shard-folder.js';
export type { MergeOutcome, ShardRecord, TunedRead, TuningRecord } from './shard-folder.js';
