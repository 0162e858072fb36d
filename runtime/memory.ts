// How much memory this process may still use: the smaller of what the system has available
// (MemAvailable) and what is left under a cgroup limit (v2 memory.max, or v1 limit_in_bytes).
import { readFileSync } from 'node:fs';
import { freemem } from 'node:os';

function readNumber(file: string): number | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    const n = Number(text);
    return text !== 'max' && Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes left under this process's cgroup memory limit, or undefined without a limit. */
export function cgroupHeadroom(root = '/sys/fs/cgroup'): number | undefined {
  const v2 = readNumber(`${root}/memory.max`);
  if (v2 !== undefined) return Math.max(0, v2 - (readNumber(`${root}/memory.current`) ?? 0));
  const v1 = readNumber(`${root}/memory/memory.limit_in_bytes`);
  // v1 reports "no limit" as a huge number (about 2^63).
  if (v1 !== undefined && v1 < 2 ** 60) return Math.max(0, v1 - (readNumber(`${root}/memory/memory.usage_in_bytes`) ?? 0));
  return undefined;
}

export function availableMemory(): number {
  const free = freemem();
  const headroom = cgroupHeadroom();
  return headroom === undefined ? free : Math.min(free, headroom);
}

/** 1536 → "1.5 KB", 3.2e9 → "3.0 GB" (binary units, as memory is counted). */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[i]}`;
}
