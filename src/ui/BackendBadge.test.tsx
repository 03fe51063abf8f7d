import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BackendBadgeView } from './BackendBadge';

describe('BackendBadge', () => {
  it('shows both timed figures and why the backend was chosen', () => {
    const html = renderToStaticMarkup(<BackendBadgeView info={{
      backend: 'wasm', adapter: 'SIMD, 1 thread', fallbacks: [],
      candidates: [{ backend: 'webgpu', adapter: 'nvidia' }, { backend: 'wasm', adapter: 'SIMD, 1 thread' }],
      speed: {
        trials: [{ backend: 'webgpu', samplesPerSec: 342.4 }, { backend: 'wasm', samplesPerSec: 1263 }],
        reason: 'wasm trained fastest: 1263 samples/s vs webgpu 342 (timed just now on this configuration)',
        cached: false, shape: 'rtk, 28×28×1→10, student cnn-s1 w8 d1, teacher resnet-t1 w12 d2, batch 128',
      },
    }} />);
    expect(html).toContain('data-testid="backend-speed"');
    expect(html).toContain('chosen by speed: wasm 1263/s vs webgpu 342/s');
    expect(html).toContain('wasm trained fastest: 1263 samples/s vs webgpu 342');
    expect(html).toContain('batch 128');
    expect(html).not.toContain('why not faster?');
  });

  it('without timing it shows the refusals only', () => {
    const html = renderToStaticMarkup(<BackendBadgeView info={{ backend: 'wasm', adapter: null, fallbacks: [{ backend: 'webgpu', reason: 'navigator.gpu is missing' }] }} />);
    expect(html).not.toContain('backend-speed');
    expect(html).toContain('why not faster?');
    expect(html).toContain('webgpu: navigator.gpu is missing');
    expect(renderToStaticMarkup(<BackendBadgeView info={null} />)).toContain('Backend: starting…');
  });
});
