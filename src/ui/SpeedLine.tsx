import type { LatencyPair } from '../domain';
import { speedPhrase } from '../domain';

const ms = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The pilot card's speed claim: the teacher/student ratio with its interval, or that the machine was too busy to tell. */
export function SpeedLine({ pair, error }: { pair: LatencyPair | null; error: string | null }) {
  if (error) return <p className="error-text" role="status">Speed could not be measured: {error}</p>;
  if (!pair) return null;
  const attrs = { 'data-testid': 'speed-ratio', 'data-ratio': pair.ratio.toFixed(4), 'data-low': pair.low.toFixed(4), 'data-high': pair.high.toFixed(4), 'data-busy': String(pair.busy) };
  const how = `teacher and student timed together on ${pair.backend}, ${pair.rounds} interleaved rounds after warm-up (blocks of ${pair.block[0]} and ${pair.block[1]} images); each model’s quiet runs, the 20th percentile of its blocks, with the 10th–50th percentile of each giving the interval`;
  return pair.busy ? (
    <p className="notice" {...attrs}>
      Speed: the machine was too busy to tell. The ratio could be anywhere from {pair.low.toFixed(1)}× to {pair.high.toFixed(1)}× ({how}). Measure again when nothing else runs.
    </p>
  ) : (
    <p {...attrs}>
      Speed: the student is <strong>{speedPhrase(pair)}</strong>: teacher {ms(pair.teacherQuietMs)} ms, student {ms(pair.studentQuietMs)} ms per image ({how}).
    </p>
  );
}
