export { defaults } from './defaults.js';
export { applyOverrides, listScenarios, loadScenario, parseStart, SCENARIO_DIR } from './load.js';
export type { RateName, Scenario, ScenarioOverrides } from './types.js';
export { RATE_NAMES } from './types.js';
