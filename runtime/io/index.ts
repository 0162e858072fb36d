// runtime/io: the versioned model/checkpoint file (see docs/checkpoint-format.md).
export { decodeModel, specMismatch, type DecodeOptions } from './decode.js';
export { encodeModel, paramLayout } from './encode.js';
export { cleanStaleSaves, loadModelFile, SaveError, saveModelFile, writeFileAtomic, type SaveResult } from './file.js';
export { FORMAT_VERSION, MAGIC, type FileHeader, type LoadError, type LoadResult } from './format.js';
export { modelFileOf, modelFileOfCheckpoint, type ModelFile } from './model-file.js';
