// usage_request (control): the kernel's CPU and memory, as ipykernel answers it for resource monitors
// (jupyter-resource-usage). CPU percentages are over the time since the previous request.
import { cpus, freemem, hostname, totalmem } from 'node:os';
import type { Handler } from '../handler-context.js';

interface Sample {
  at: number;
  cpu: NodeJS.CpuUsage;
  host: { idle: number; total: number };
}

function hostTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}

function sample(): Sample {
  return { at: performance.now(), cpu: process.cpuUsage(), host: hostTimes() };
}

let previous = sample();

const round1 = (x: number) => Math.round(x * 10) / 10;

export const usage: Handler = (io) => {
  const now = sample();
  const wallUs = Math.max(1, (now.at - previous.at) * 1000);
  const used = now.cpu.user - previous.cpu.user + now.cpu.system - previous.cpu.system;
  const hostTotal = now.host.total - previous.host.total;
  const hostBusy = hostTotal - (now.host.idle - previous.host.idle);
  previous = now;
  const total = totalmem();
  const available = freemem();
  io.reply({
    status: 'ok',
    hostname: hostname(),
    pid: process.pid,
    // Percent of one core, like psutil's Process.cpu_percent; the session worker's threads are in this process.
    kernel_cpu: round1((100 * used) / wallUs),
    kernel_memory: process.memoryUsage.rss(),
    host_cpu_percent: hostTotal > 0 ? round1((100 * hostBusy) / hostTotal) : 0,
    cpu_count: cpus().length,
    host_virtual_memory: {
      total,
      available,
      free: available,
      used: total - available,
      percent: round1((100 * (total - available)) / total),
    },
  });
};
