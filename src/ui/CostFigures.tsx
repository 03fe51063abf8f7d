import type { LatencyReport, ModelCosts } from '../domain';
import { bytes, compact } from './format';

/** Parameters, FLOPs per image, bytes at three precisions and (when measured) latency here. */
export function CostFigures({ costs, latency, label }: { costs: ModelCosts; latency?: LatencyReport | null; label: string }) {
  return (
    <dl className="figures-list" aria-label={`Costs of the ${label}`}>
      <div><dt>Parameters</dt><dd>{compact(costs.params)}</dd></div>
      <div><dt>FLOPs / image</dt><dd>{compact(costs.flopsPerImage)}</dd></div>
      <div><dt>Size fp32 / fp16 / int8</dt><dd>{bytes(costs.bytes.fp32)} / {bytes(costs.bytes.fp16)} / {bytes(costs.bytes.int8)}</dd></div>
      {latency ? <div><dt>Latency / image ({latency.backend})</dt><dd>{latency.medianMs.toFixed(2)} ms median · {latency.p95Ms.toFixed(2)} ms p95</dd></div> : null}
    </dl>
  );
}
