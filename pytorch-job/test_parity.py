#!/usr/bin/env python3
"""Parity with the browser: recomputes golden.json's batch (as the studio's TF.js computed it
for the exported weights) in PyTorch and checks every value within its tolerance (1e-4):
teacher logits and taps, student logits and taps, z, alpha, D, L_ce, L_kd, L_at, L_afd, L_rtk,
the influence and the kept mask.

    python3 test_parity.py [--config config.json] [--golden golden.json]
"""
import argparse
import json
import os
import sys
import unittest

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from rtk_job.job import build_distiller, build_teacher, load_config  # noqa: E402
from rtk_job.losses import afd_loss, at_loss, at_pairs, cross_entropy, kd_loss, rtk_loss  # noqa: E402

ARGS = {'config': os.path.join(HERE, 'config.json'), 'golden': os.path.join(HERE, 'golden.json')}


def nhwc(t):
    return t.permute(0, 2, 3, 1).reshape(-1).numpy()


def recompute(cfg_path, golden):
    """Every golden quantity, computed in float64 PyTorch from the exported weights."""
    cfg = load_config(cfg_path)
    cfg['method'] = 'rtk'  # golden covers every method's terms; rtk builds the attention module
    teacher = build_teacher(cfg, cfg_path).double()
    distiller = build_distiller(cfg, cfg_path, teacher).double()
    b = golden['batch']
    x = torch.tensor(b['pixels'], dtype=torch.float64).reshape(b['shape']).div(b['pixelMax']).permute(0, 3, 1, 2)
    y = torch.tensor(b['labels'], dtype=torch.int64)
    with torch.no_grad():
        t_logits, t_taps = teacher(x)
        distiller.train()
        s_logits, s_taps = distiller.student(x)
        z, alpha, dist = distiller.attention(t_taps, s_taps)
        o = distiller.options
        rtk, mask, influence = rtk_loss(alpha, dist, z, o['rtk'])
        pairs = at_pairs(teacher.tap_shapes, distiller.student.tap_shapes)
        got = {
            'teacher.logits': t_logits.reshape(-1).numpy(),
            **{f'teacher.taps.{i}': nhwc(t) for i, t in enumerate(t_taps)},
            'student.logits': s_logits.reshape(-1).numpy(),
            **{f'student.taps.{i}': nhwc(t) for i, t in enumerate(s_taps)},
            'z': z.reshape(-1).numpy(), 'alpha': alpha.reshape(-1).numpy(), 'dist': dist.reshape(-1).numpy(),
            'losses.ce': cross_entropy(s_logits, y).reshape(1).numpy(),
            'losses.kd': kd_loss(s_logits, t_logits, o['kd']['alpha'], o['kd']['tau']).reshape(1).numpy(),
            'losses.at': at_loss(t_taps, s_taps, pairs, 1.0).reshape(1).numpy(),
            'losses.afd': afd_loss(alpha, dist).reshape(1).numpy(),
            'losses.rtk': rtk.reshape(1).numpy(),
            'influence': influence.reshape(-1).numpy(), 'mask': mask.reshape(-1).numpy(),
        }
    return got


def expected(golden):
    e = {'teacher.logits': golden['teacher']['logits'], 'student.logits': golden['student']['logits'],
         'z': golden['z'], 'alpha': golden['alpha'], 'dist': golden['dist'], 'influence': golden['influence'], 'mask': golden['mask']}
    for side in ('teacher', 'student'):
        for i, t in enumerate(golden[side]['taps']):
            e[f'{side}.taps.{i}'] = t['values']
    for k, v in golden['losses'].items():
        e[f'losses.{k}'] = [v]
    return {k: np.asarray(v, np.float64) for k, v in e.items()}


def max_abs_diff(cfg_path, golden_path):
    """{quantity: max |pytorch - studio|} and the overall maximum."""
    with open(golden_path) as f:
        golden = json.load(f)
    got, want = recompute(cfg_path, golden), expected(golden)
    diffs = {}
    for k, w in want.items():
        g = got[k]
        if g.shape != w.shape:
            raise AssertionError(f'{k}: PyTorch has {g.shape[0]} values, golden.json {w.shape[0]}')
        diffs[k] = float(np.max(np.abs(g - w))) if w.size else 0.0
    return diffs, max(diffs.values()), golden.get('tolerance', 1e-4)


class Parity(unittest.TestCase):
    def test_matches_the_browser(self):
        diffs, worst, tol = max_abs_diff(ARGS['config'], ARGS['golden'])
        for k, d in sorted(diffs.items(), key=lambda kv: -kv[1])[:6]:
            print(f'  {k:20s} max |diff| = {d:.2e}')
        bad = {k: d for k, d in diffs.items() if not d <= tol}
        self.assertFalse(bad, f'outside {tol}: {bad}')
        self.assertGreater(len(diffs), 10)


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--config', default=ARGS['config'])
    p.add_argument('--golden', default=ARGS['golden'])
    p.add_argument('--json', action='store_true', help='print {"parityMaxAbsDiff": ...} and exit')
    a, rest = p.parse_known_args()
    ARGS.update(config=a.config, golden=a.golden)
    if a.json:
        _d, worst, _t = max_abs_diff(a.config, a.golden)
        print(json.dumps({'parityMaxAbsDiff': worst}))
        sys.exit(0)
    unittest.main(argv=[sys.argv[0]] + rest)
