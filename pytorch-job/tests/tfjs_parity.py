#!/usr/bin/env python3
"""Forward parity of one TF.js model folder with its TappedNet (used by scripts/lib/photoParity.ts
for the photo stride plan): model.json + weights.bin as the studio saves them, and golden.json
{spec, inputShape, numClasses, shape, pixels (NHWC in [0, 1]), logits, taps: [[...NHWC]]}.

    python3 tfjs_parity.py DIR   ->  {"maxAbsDiff": ..., "plan": ..., "tapShapes": [...]}
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from rtk_job.models import TappedNet  # noqa: E402
from rtk_job.tfjs_io import read_weights, tf_to_torch  # noqa: E402


def main(folder):
    with open(os.path.join(folder, 'golden.json')) as f:
        g = json.load(f)
    net = TappedNet(g['spec'], g['inputShape'], g['numClasses'])
    _mj, weights = read_weights(folder)
    tf_to_torch(net, weights, folder)
    net = net.double().eval()
    x = torch.tensor(g['pixels'], dtype=torch.float64).reshape(g['shape']).permute(0, 3, 1, 2)
    with torch.no_grad():
        logits, taps = net(x)
    diffs = [float(np.abs(logits.numpy().reshape(-1) - np.asarray(g['logits'])).max())]
    for t, want in zip(taps, g['taps']):
        diffs.append(float(np.abs(t.permute(0, 2, 3, 1).reshape(-1).numpy() - np.asarray(want)).max()))
    if len(taps) != len(g['taps']):
        raise SystemExit(f"{folder}: PyTorch has {len(taps)} taps, TF.js {len(g['taps'])}")
    print(json.dumps({'maxAbsDiff': max(diffs), 'plan': net.plan, 'tapShapes': net.tap_shapes}))


if __name__ == '__main__':
    main(sys.argv[1])
