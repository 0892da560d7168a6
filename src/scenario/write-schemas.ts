/** `npm run schemas`: writes the editor schema files of scenario-json.ts next to the files they describe. */
import { writeFileSync } from 'node:fs';
import { schemaFiles } from './schema-json.js';

for (const { file, text } of schemaFiles()) {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
