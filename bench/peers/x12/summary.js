// Writes bench/results/x12-summary.md from the JSON the bench script produced.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');

const [results, bigMb] = process.argv.slice(2);
const read = (name) => JSON.parse(fs.readFileSync(path.join(results, name)));
const sinew = read('x12-sinew.json');
const stream = read('x12-sinew-stream.json');
const peers = read('x12-peers.json');
const f = (x) => (x == null ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const find = (op, input) => sinew.find((r) => r.operation === op && r.input === input);
const peer = (name, input) => peers.rows.find((r) => r.peer === name && r.input === input);

const lines = [];
lines.push(`# X12 codec benchmark — ${new Date().toISOString().slice(0, 10)}`);
lines.push('');
lines.push('Machine:');
lines.push('```');
lines.push(execSync('lscpu | head -n 16').toString().trim());
lines.push('```');
lines.push(`Runtimes: .NET ${execSync('dotnet --version').toString().trim()}, Node ${peers.versions.node}; peers node-x12 ${peers.versions['node-x12']}, x12-parser ${peers.versions['x12-parser']}.`);
lines.push('');
lines.push('Throughput in MB/s (10^6 bytes per second, median of the runs), per CPU second of each process with the wall-clock');
lines.push('figure in brackets: the machine is shared, so CPU time is the fair per-core measure for everyone. Ratios use CPU time.');
lines.push('');
lines.push('| input | Sinew parse | Sinew parse + validate | node-x12 parse | x12-parser parse | Sinew validate ÷ faster peer |');
lines.push('|---|---|---|---|---|---|');
for (const input of ['corpus', 'generated']) {
  const p = find('parse', input);
  const v = find('validate', input);
  const a = peer('node-x12', input);
  const b = peer('x12-parser', input);
  const fastest = Math.max(a?.mbPerSecondCpu ?? 0, b?.mbPerSecondCpu ?? 0);
  const label = input === "corpus" ? `corpus mix (every x12 file, ${(p.bytes / 1e6).toFixed(2)} MB)` : `generated 850 batch (${(p.bytes / 1e6).toFixed(0)} MB)`;
  lines.push(`| ${label} | ${f(p.mbPerSecondCpu)} (${f(p.mbPerSecondWall)}) | ${f(v.mbPerSecondCpu)} (${f(v.mbPerSecondWall)}) | ${f(a?.mbPerSecondCpu)} (${f(a?.mbPerSecond)}) | ${f(b?.mbPerSecondCpu)} (${f(b?.mbPerSecond)}) | ${(v.mbPerSecondCpu / fastest).toFixed(1)}× |`);
}
const big = peer('x12-parser', 'big');
lines.push(`| ${bigMb} MB interchange (streamed) | — | ${f(stream.mbPerSecondCpu)} (${f(stream.mbPerSecondWall)}) | not run (whole-string parser) | ${f(big?.mbPerSecondCpu)} (${f(big?.mbPerSecond)}) | ${big ? (stream.mbPerSecondCpu / big.mbPerSecondCpu).toFixed(1) + '×' : 'n/a'} |`);
lines.push('');
lines.push(`${bigMb} MB validation: ${stream.segments} segments, ${stream.errors} errors, peak working set ${f(stream.peakWorkingSetMb)} MB, ` +
  `${f(stream.allocatedMb)} MB allocated in total (per transaction set, none per element), GC gen0 ${stream.gen0}, gen2 ${stream.gen2}.`);
lines.push('');
lines.push(`Load average during the run: ${require('node:os').loadavg().map((x) => x.toFixed(1)).join(', ')} (1, 5, 15 min) on ${require('node:os').cpus().length} CPUs.`);
lines.push('');
lines.push('Allocated per run (Sinew): ' + sinew.map((r) => `${r.operation} ${r.input} ${r.allocatedBytesPerRun} B`).join('; ') + '.');
const failures = peers.rows.filter((r) => r.failures).map((r) => `${r.peer} failed on ${r.failures} ${r.input} file(s)`);
if (failures.length) {
  lines.push('');
  lines.push('Peer failures (counted in the time, the bytes still count): ' + failures.join('; ') + '.');
}
console.log(lines.join('\n'));
