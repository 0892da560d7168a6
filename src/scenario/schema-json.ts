/**
 * The schema files shipped for editors (scenarios/scenario.schema.json, scenarios/layouts/layout.schema.json):
 * a scenario that starts with `# yaml-language-server: $schema=./scenario.schema.json` gets completion, hover
 * help and checks in any editor that runs the YAML language server. `npm run schemas` writes them;
 * test/unit/scenario-schema.test.ts fails when the committed files are stale.
 */
import { join } from 'node:path';
import { LayoutFile } from './layout-schema.js';
import { SCENARIO_DIR } from './load.js';
import { ScenarioFile } from './scenario-schema.js';
import { forEditors } from './schema-kit.js';

const text = (schema: object): string =>
  `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...(forEditors(schema) as object) }, null, 2)}\n`;

/** Each schema file: where it goes and what it holds. */
export function schemaFiles(): { file: string; text: string }[] {
  return [
    { file: join(SCENARIO_DIR, 'scenario.schema.json'), text: text(ScenarioFile) },
    { file: join(SCENARIO_DIR, 'layouts', 'layout.schema.json'), text: text(LayoutFile) },
  ];
}
