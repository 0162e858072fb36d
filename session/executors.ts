// The one table where a statement kind becomes code: kind → executor.
import type { Statement, StatementKind } from '../dsl/program.js';
import { execClear, execPrint, execShowImage, execShowSamples, execValue } from './exec/basic.js';
import type { ExecContext } from './exec/context.js';
import { execConvolve, execConvolve1d, execPool } from './exec/convolve.js';
import { execData } from './exec/data.js';
import { execEvaluate } from './exec/evaluate.js';
import { execExplain } from './exec/explain.js';
import { execLoad, execSave } from './exec/files.js';
import { execExport, execImport } from './exec/interop.js';
import { execModel, execShowSummary } from './exec/model.js';
import { execPredict } from './exec/predict.js';
import { execCompare, execShowAugment, execShowFeatureMaps, execShowFilters, execShowHistory, execShowSchedule } from './exec/show.js';
import { execTrain } from './exec/train.js';

export type Executor<K extends StatementKind> = (s: Extract<Statement, { kind: K }>, ctx: ExecContext) => Promise<void>;

export const executors: { [K in StatementKind]: Executor<K> } = {
  data: execData,
  model: execModel,
  train: execTrain,
  evaluate: execEvaluate,
  show_summary: execShowSummary,
  show_filters: execShowFilters,
  show_feature_maps: execShowFeatureMaps,
  show_image: execShowImage,
  show_samples: execShowSamples,
  show_history: execShowHistory,
  show_schedule: execShowSchedule,
  show_augment: execShowAugment,
  compare: execCompare,
  convolve: execConvolve,
  convolve1d: execConvolve1d,
  pool: execPool,
  predict: execPredict,
  save: execSave,
  load: execLoad,
  export: execExport,
  import: execImport,
  print: execPrint,
  explain: execExplain,
  value: execValue,
  clear: execClear,
};
