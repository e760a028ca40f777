// Loaded with `node --import` by the w4-1gb bench: samples the main thread's V8 heap every 50 ms and
// writes the largest figures (MB) to the file named by $W4_HEAP_PROBE, every second and at exit, so a
// process that dies of a full heap still leaves its last figures. A long synchronous stretch is not
// sampled inside: the bound itself is --max-old-space-size.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.W4_HEAP_PROBE;
if (file && isMainThread) {
  const peak = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, rssMb: 0 };
  const mb = (bytes) => Math.round(bytes / 1048576);
  const sample = () => {
    const usage = process.memoryUsage();
    peak.heapUsedMb = Math.max(peak.heapUsedMb, mb(usage.heapUsed));
    peak.heapTotalMb = Math.max(peak.heapTotalMb, mb(usage.heapTotal));
    peak.externalMb = Math.max(peak.externalMb, mb(usage.external));
    peak.rssMb = Math.max(peak.rssMb, mb(usage.rss));
  };
  const write = () => writeFileSync(file, JSON.stringify(peak));
  setInterval(sample, 50).unref();
  setInterval(write, 1000).unref();
  process.on('exit', () => {
    sample();
    write();
  });
}
