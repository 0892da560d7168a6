import { applyOverrides, loadScenario } from './src/scenario/index.js';
import { buildPlan, generateChunk, listChunks } from './src/generate/index.js';
const plan = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 12 }));
for (let rep = 0; rep < 2; rep++) {
let n = 0;
const t0 = performance.now();
for (const c of listChunks(plan)) for (const b of generateChunk(plan, c, { header: false })) n += b.length;
console.log(n, performance.now() - t0);
}
