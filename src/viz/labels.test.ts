import { describe, expect, it } from 'vitest';
import { distinctLabels } from './labels';

describe('distinctLabels', () => {
  it('drops what the taps of a torchvision MobileNetV2 share, keeps what tells them apart', () => {
    const names = ['/features/features.4/conv/conv.0/conv.0.2/Clip_output_0', '/features/features.7/conv/conv.0/conv.0.2/Clip_output_0',
      '/features/features.14/conv/conv.0/conv.0.2/Clip_output_0', '/features/features.18/features.18.2/Clip_output_0'];
    expect(distinctLabels(names)).toEqual(['4/conv/conv.0/con…', '7/conv/conv.0/con…', '14/conv/conv.0/co…', '18/features.18']);
  });

  it('student taps: the shared block name goes', () => {
    expect(distinctLabels(['stage1.block1', 'stage2.block1', 'stage3.block1'])).toEqual(['stage1', 'stage2', 'stage3']);
  });

  it('short names that differ from their first part stay whole; one name keeps its end', () => {
    expect(distinctLabels(['a', 'b'])).toEqual(['a', 'b']);
    expect(distinctLabels(['/features/features.18/features.18.2/Clip_output_0'])).toEqual(['…8.2/Clip_output_0']);
  });

  it('labels that would collide after clipping fall back to the names\' ends, then to the names', () => {
    expect(distinctLabels(['x/abcdefghijklmnopqrstuvwxyz1', 'x/abcdefghijklmnopqrstuvwxyz2'], 10)).toEqual(['…stuvwxyz1', '…stuvwxyz2']);
    expect(distinctLabels(['abcdefghijk1mnopqrstu', 'abcdefghijk2mnopqrstu'], 10)).toEqual(['abcdefghijk1mnopqrstu', 'abcdefghijk2mnopqrstu']);
  });
});
