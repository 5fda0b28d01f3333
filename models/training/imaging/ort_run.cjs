#!/usr/bin/env node
// Runs an ONNX model with the project's onnxruntime-node (the runtime the app uses) for the Python
// training scripts' ONNX <-> PyTorch parity check. Usage: node ort_run.cjs request.json
// request: { model, threads, runs: [{ input: { name, dims, file } , outputs: [{ name, file }] }] }
// Input/output files are raw little-endian float32. Prints { ms: [...] } (per-run wall times).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function findProjectRoot(dir) {
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no package.json above ' + __dirname);
    dir = parent;
  }
}

async function main() {
  const ort = require(path.join(findProjectRoot(__dirname), 'node_modules', 'onnxruntime-node'));
  const req = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(req.model, {
    intraOpNumThreads: req.threads ?? 2,
    interOpNumThreads: 1,
  });
  const ms = [];
  for (const run of req.runs) {
    const buf = fs.readFileSync(run.input.file);
    const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const feeds = { [run.input.name]: new ort.Tensor('float32', Float32Array.from(data), run.input.dims) };
    const t0 = process.hrtime.bigint();
    const out = await session.run(feeds);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    for (const o of run.outputs) {
      const t = out[o.name];
      if (t === undefined) throw new Error('no output ' + o.name);
      const arr = t.data;
      fs.writeFileSync(o.file, Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength));
    }
  }
  process.stdout.write(JSON.stringify({ ms }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
