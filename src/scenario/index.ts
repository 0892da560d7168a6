export { defaults } from './defaults.js';
export { applyOverrides, listScenarios, loadScenario, parseStart, SCENARIO_DIR } from './load.js';
export type {
  Distributions,
  IntRange,
  Population,
  RateName,
  Scenario,
  ScenarioOverrides,
  TrafficEvent,
  Weighted,
} from './types.js';
export { RATE_NAMES } from './types.js';
