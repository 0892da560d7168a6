/**
 * The speed search of `gen bench --live --find-speed` and npm run bench's live part (src/live/speed-search.ts),
 * with a probe that passes up to a known limit: the speeds it tries, in order, and the answer it reads off them.
 */
import { describe, expect, it } from 'vitest';
import { searchSpeed, sustainedSpeed } from '../../src/live/speed-search.js';

const upTo = (limit: number) => async (speed: number) => ({ speed, pass: speed <= limit });
const limits = { maxProbes: 10, bisectSteps: 4 };

describe('searchSpeed', () => {
  it('doubles while probes pass, then bisects between the last pass and the first failure', async () => {
    const probes = await searchSpeed(60, upTo(315), limits);
    expect(probes.map((p) => p.speed)).toEqual([60, 120, 240, 480, 360, 300, 330, 315]);
    expect(sustainedSpeed(probes)).toEqual({ speed: 315, failedAt: 330 });
  });

  it('halves a first speed that fails until one passes, then bisects', async () => {
    const probes = await searchSpeed(20, upTo(7), limits);
    expect(probes.map((p) => p.speed)).toEqual([20, 10, 5, 8, 7]);
    expect(sustainedSpeed(probes)).toEqual({ speed: 7, failedAt: 8 });
  });

  it('stops at the probe limit; a search that never failed has no failing speed', async () => {
    const probes = await searchSpeed(20, upTo(1e9), { maxProbes: 4, bisectSteps: 4 });
    expect(probes.map((p) => p.speed)).toEqual([20, 40, 80, 160]);
    expect(sustainedSpeed(probes)).toEqual({ speed: 160, failedAt: null });
  });

  it('never probes above maxSpeed: doubling stops there', async () => {
    const probes = await searchSpeed(20, upTo(1e9), { ...limits, maxSpeed: 100 });
    expect(probes.map((p) => p.speed)).toEqual([20, 40, 80, 100]);
    expect(sustainedSpeed(probes)).toEqual({ speed: 100, failedAt: null });
    // a first speed above it starts at it
    expect((await searchSpeed(500, upTo(1e9), { ...limits, maxSpeed: 100 })).map((p) => p.speed)).toEqual([
      100,
    ]);
    // below it the search is as without
    const under = await searchSpeed(60, upTo(315), { ...limits, maxSpeed: 1000 });
    expect(under.map((p) => p.speed)).toEqual([60, 120, 240, 480, 360, 300, 330, 315]);
  });

  it('reads no speed when none passed', async () => {
    const probes = await searchSpeed(20, upTo(1), limits);
    expect(probes.map((p) => p.speed)).toEqual([20, 10, 5, 3]);
    expect(sustainedSpeed(probes)).toEqual({ speed: null, failedAt: 3 });
  });

  it('stops when a probe is interrupted (undefined), keeping those that ran', async () => {
    const probe = async (speed: number) => (speed >= 80 ? undefined : { speed, pass: true });
    const probes = await searchSpeed(20, probe, limits);
    expect(probes.map((p) => p.speed)).toEqual([20, 40]);
  });
});
