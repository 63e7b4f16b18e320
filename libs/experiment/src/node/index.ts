/**
 * @optlab/experiment/node — the Node-only part: result folders on disk and spec files.
 * The core (`@optlab/experiment`) stays free of Node APIs for the lab's Web Workers.
 */
export { ResultWriter, writeAtomic } from './writer.js';
export {
  OutputFolderError,
  RESULT_FILES,
  SUITE_FILE,
  isResultFileName,
  makeDirectory,
  prepareOutputFolder,
} from './output-folder.js';
export { readDocumentFile } from './read-spec.js';
