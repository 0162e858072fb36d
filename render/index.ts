// The public face of render/: every bundle builder the session calls, and the types it passes in.
// All functions are pure (data in, MIME bundle out); plots are async only because vega renders async.
export { augmentPreviewBundle } from './augment.js';
export { colorAt, type ColorMapName } from './colormaps.js';
export { convolveBundle, movingAverageBundle, poolBundle, type ConvolveShow, type Image3, type PoolShow } from './convolve.js';
export { createDashboardThrottle, dashboardFrame, type DashboardState, type DashboardThrottle } from './dashboard.js';
export { featureMapsImage, figureBundle, filtersImage, imageBundle, samplesBundle, tileGrid, type FeatureMapsOptions, type FiltersOptions, type Sample } from './grid.js';
export { detectOverfitting, heldOut, movingAverage, type EvalPoint, type Metrics, type OverfitFinding, type OverfitOptions, type RunHistory, type StepPoint } from './history.js';
export { pngBase64, type Raster } from './png.js';
export { predictionBundle, type PredictionShow } from './predict.js';
export { compareRunsPlot, plotBundle, preloadPlots, schedulePlot, seriesPlot, trainingCurvesPlot, type CompareMetric, type PlotMark, type PlotOptions, type PlotPanel, type PlotSeries } from './plot.js';
export { confusionPngBundle, evaluationBundle, misclassifiedBundle, summaryBundle, summaryTotals, type EvaluationInput, type Misclassified, type SummaryInput } from './tables.js';
