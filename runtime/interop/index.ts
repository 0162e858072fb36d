// runtime/interop: models that travel. ONNX export and import, PyTorch source export (see docs/interop.md).
export { ONNX_IR_VERSION, ONNX_OPSET, exportOnnx, onnxGraphOf } from './onnx-export.js';
export { importOnnx, type ImportResult, type ImportedModel } from './onnx-import.js';
export { onnxOpsOf } from './onnx-layers.js';
export { onnxReaders, supportedOps } from './onnx-ops.js';
export { netOfImport } from './net-of.js';
export { exportTorch, safetensorsBytes, type TorchExport } from './torch-export.js';
