// Worker half of the two-thread matrix product benchmark: computes the rows it is sent of C = A·B with
// convbook's matmulAB over SharedArrayBuffers, then answers "done". Spawned by convbook-matmul.ts only.
import { parentPort, workerData } from 'node:worker_threads';
import { matmulAB } from '../../runtime/kernels/matmul.js';

interface Init {
  a: SharedArrayBuffer;
  b: SharedArrayBuffer;
  c: SharedArrayBuffer;
  n: number;
}

const { a, b, c, n } = workerData as Init;
const A = new Float32Array(a),
  B = new Float32Array(b),
  C = new Float32Array(c);
parentPort!.on('message', (m: { lo: number; hi: number }) => {
  matmulAB(C, m.lo * n, A, m.lo * n, B, 0, m.hi - m.lo, n, n, false);
  parentPort!.postMessage('done');
});
