// Measures parse throughput of npm X12 parsers on the same inputs as bench/Sinew.X12.Benchmarks.
// Usage: node measure.js OUT.json CORPUS_DIR GENERATED_FILE [BIG_FILE]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const { X12Parser } = require('node-x12');
const { X12parser } = require('x12-parser');

const [out, corpusDir, generatedFile, bigFile] = process.argv.slice(2);

function corpusFiles(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...corpusFiles(full));
    else files.push(full);
  }
  return files.sort();
}

// node-x12: whole-document parse from a string (its documented API); strict=false so odd files do not throw.
function nodeX12(buffers) {
  let failures = 0;
  for (const b of buffers) {
    try { new X12Parser(false).parse(b.toString('latin1')); } catch { failures++; }
  }
  return failures;
}

// x12-parser: a Transform stream emitting one object per segment.
async function x12ParserStream(readable) {
  return new Promise((resolve) => {
    let segments = 0;
    const parser = new X12parser();
    parser.on('data', () => { segments++; });
    parser.on('error', () => resolve({ segments, failed: true }));
    parser.on('end', () => resolve({ segments, failed: false }));
    readable.on('error', () => resolve({ segments, failed: true }));
    readable.pipe(parser);
  });
}

async function x12Parser(buffers) {
  let failures = 0;
  for (const b of buffers) {
    const r = await x12ParserStream(Readable.from([b]));
    if (r.failed) failures++;
  }
  return failures;
}

async function time(fn, bytes, iterations) {
  await fn(); // warm-up
  const results = [];
  const cpuResults = [];
  let failures = 0;
  for (let i = 0; i < iterations; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    failures = await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    results.push(bytes / 1e6 / seconds);
    cpuResults.push(bytes / 1e6 / ((cpu.user + cpu.system) / 1e6));
  }
  results.sort((a, b) => a - b);
  cpuResults.sort((a, b) => a - b);
  const mid = Math.floor(results.length / 2);
  // mbPerSecond: wall clock; mbPerSecondCpu: per CPU second of the Node process (all its threads, GC included).
  return { mbPerSecond: results[mid], mbPerSecondCpu: cpuResults[mid], runs: results, failures };
}

(async () => {
  const corpus = corpusFiles(corpusDir).map((f) => fs.readFileSync(f));
  const corpusBytes = corpus.reduce((n, b) => n + b.length, 0);
  const generated = fs.readFileSync(generatedFile);
  const rows = [];
  rows.push({ peer: 'node-x12', input: 'corpus', bytes: corpusBytes, ...(await time(() => nodeX12(corpus), corpusBytes, 5)) });
  rows.push({ peer: 'x12-parser', input: 'corpus', bytes: corpusBytes, ...(await time(() => x12Parser(corpus), corpusBytes, 5)) });
  rows.push({ peer: 'node-x12', input: 'generated', bytes: generated.length, ...(await time(() => nodeX12([generated]), generated.length, 3)) });
  rows.push({ peer: 'x12-parser', input: 'generated', bytes: generated.length, ...(await time(() => x12Parser([generated]), generated.length, 3)) });
  if (bigFile) {
    const size = fs.statSync(bigFile).size;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const r = await x12ParserStream(fs.createReadStream(bigFile, { highWaterMark: 1 << 20 }));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    rows.push({ peer: 'x12-parser', input: 'big', bytes: size, mbPerSecond: size / 1e6 / seconds, mbPerSecondCpu: size / 1e6 / ((cpu.user + cpu.system) / 1e6), runs: [size / 1e6 / seconds], failures: r.failed ? 1 : 0 });
    rows.push({ peer: 'node-x12', input: 'big', bytes: size, mbPerSecond: null, note: 'not run: parses a whole string in memory (V8 strings stop at 512 MB)' });
  }
  const versions = {
    'node-x12': JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/node-x12/package.json'))).version,
    'x12-parser': JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/x12-parser/package.json'))).version,
    node: process.version,
  };
  fs.writeFileSync(out, JSON.stringify({ versions, rows }, null, 2));
  console.log(JSON.stringify({ versions, rows }, null, 2));
})();
