// `node dist/scripts/with-busy-core.js [--nice=N] -- <command…>`: runs the command while a child process
// busy-loops on one core (niced to N when given), then stops the child: a reproducible "busy machine" for
// paired measurements such as `profile-pool.js` or `bench.js --only=convbook-1,convbook-2`. Not a test.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';

const args = process.argv.slice(2);
const cut = args.indexOf('--');
const own = cut < 0 ? [] : args.slice(0, cut);
const command = cut < 0 ? args : args.slice(cut + 1);
const niceArg = own.find((a) => a.startsWith('--nice='));
const nice = niceArg === undefined ? 0 : Number(niceArg.slice('--nice='.length));

if (command.length === 0 || !Number.isInteger(nice) || nice < 0 || nice > 19) {
  console.error('usage: node dist/scripts/with-busy-core.js [--nice=0..19] -- <command> [args…]');
  process.exit(2);
}

const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
if (nice > 0 && busy.pid !== undefined) setPriority(busy.pid, nice);
console.log(`busy-loop child ${busy.pid} on one core${nice > 0 ? `, nice ${nice}` : ''}`);

const run = spawn(command[0], command.slice(1), { stdio: 'inherit' });
const stopBusy = () => {
  if (busy.exitCode === null) busy.kill('SIGKILL');
};
process.on('SIGINT', () => {
  stopBusy();
  run.kill('SIGINT');
});
run.on('exit', (code, signal) => {
  stopBusy();
  process.exit(code ?? (signal ? 1 : 0));
});
