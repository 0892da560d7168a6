/**
 * The layering, kept by a tool (npm test runs `depcruise`), not by memory. ../shared/STYLE.md:
 * one folder per stage, each importing only the stages before it, and generation free of I/O.
 */
/** The stages in pipeline order; a stage may import the shared base and any stage before it. */
const STAGES = ['model', 'scenario', 'generate', 'db', 'load', 'verify', 'query', 'live', 'report', 'commands'];
const BASE = '^src/(errors|time-units|package-root|at|plural)[.]ts$';

const later = (i) => STAGES.slice(i + 1);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle makes the pipeline order meaningless',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...STAGES.map((stage, i) => ({
      name: `stage-order:${stage}`,
      severity: 'error',
      comment: `src/${stage}/ may import the shared base and ${STAGES.slice(0, i).join(', ') || 'nothing else'}; never a later stage or the CLI`,
      from: { path: `^src/${stage}/` },
      to: { path: `^src/(${[...later(i)].join('|')})/|^src/cli[.]ts$` },
    })),
    {
      name: 'base-imports-no-stage',
      severity: 'error',
      comment: 'errors, time units, the package root and plurals are below every stage',
      from: { path: BASE },
      to: { path: `^src/(${STAGES.join('|')})/|^src/cli[.]ts$` },
    },
    {
      name: 'generate-does-no-io',
      severity: 'error',
      comment:
        'generation is pure: Scenario + hour -> rows. No pg, no fs, no network, no processes, no clock (STYLE.md)',
      from: { path: '^src/generate/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: ['^node_modules/(@faker-js/faker|seedrandom)/', '^(node:)?buffer$'],
      },
    },
    {
      name: 'generate-stays-in-src',
      severity: 'error',
      comment: 'generation reads nothing but its inputs',
      from: { path: '^src/generate/' },
      to: { path: '^src/(errors|package-root)[.]ts$' },
    },
    {
      name: 'src-not-from-tests-or-bench',
      severity: 'error',
      comment: 'the product does not depend on its tests or benchmarks',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
