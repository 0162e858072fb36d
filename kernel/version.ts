// The package's version and root folder for the kernel: runtime/version.ts reads them, once.
export { packageRoot, packageVersion } from '../runtime/version.js';
