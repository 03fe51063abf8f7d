/**
 * Energy maps of a finished run, asked from the worker once per run and shared by the energy
 * panel and the network view's key details; pixels are computed once per map.
 */
import type { EnergyMaps } from '../../domain';
import type { StudioClient } from '../../bridge/client';
import { ExperimentDb } from '../../state/persist';
import { energyToRgba, imageToRgba } from '../../viz/energy';

/** Test images the energy maps are computed over. */
export const ENERGY_SAMPLES = 4;

const cache = new Map<string, Promise<EnergyMaps>>();

/** A run not trained in this tab (the page was reloaded, or presenter mode) is recomputed from its saved checkpoint. */
async function fromWorker(client: StudioClient, runId: string): Promise<EnergyMaps> {
  try {
    return await client.energyMaps(runId, ENERGY_SAMPLES);
  } catch (err) {
    const saved = await (await ExperimentDb.open()).loadCheckpoint(runId).catch(() => null);
    if (!saved) throw err;
    return client.energyMaps(runId, ENERGY_SAMPLES, { config: saved.config, checkpoint: saved.checkpoint });
  }
}

export function energyMapsOf(client: StudioClient, runId: string): Promise<EnergyMaps> {
  let p = cache.get(runId);
  if (!p) {
    p = fromWorker(client, runId);
    cache.set(runId, p);
    p.catch(() => cache.delete(runId));
  }
  return p;
}

const pixels = new WeakMap<object, Uint8ClampedArray>();
/** Pixels of one energy map, computed once: moving the threshold only changes which tiles show. */
export function rgbaOf(m: { values: number[] }): Uint8ClampedArray {
  let px = pixels.get(m);
  if (!px) { px = energyToRgba(m.values); pixels.set(m, px); }
  return px;
}

const imagePixels = new WeakMap<EnergyMaps, Uint8ClampedArray[]>();
export function imageOf(maps: EnergyMaps, i: number): Uint8ClampedArray {
  let list = imagePixels.get(maps);
  if (!list) { list = maps.labels.map((_, j) => imageToRgba(maps.images, j, maps.shape)); imagePixels.set(maps, list); }
  return list[i];
}
