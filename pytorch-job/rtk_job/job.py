"""Building the job's pieces from config.json: teacher, student, distiller, optimiser, schedule."""
import json
import math
import os

import torch

from .losses import Distiller
from .models import TappedNet
from .tfjs_io import read_attention, read_weights, tf_to_torch


def load_config(path, preset=None):
    with open(path) as f:
        cfg = json.load(f)
    if cfg.get('kind') != 'rtk-pytorch-job':
        raise ValueError(f'{path}: not a config.json written by the studio\'s "Export for a cluster".')
    name = preset or cfg.get('preset', 'pilot')
    if name not in cfg['presets']:
        raise ValueError(f"{path}: no preset {name!r}; choose one of {', '.join(cfg['presets'])}.")
    cfg['run'] = {**cfg['presets'][name], 'preset': name}
    return cfg


def job_path(cfg_path, rel):
    return os.path.join(os.path.dirname(os.path.abspath(cfg_path)), rel)


def build_teacher(cfg, cfg_path):
    if cfg['method'] == 'student-alone':
        return None
    t = TappedNet(cfg['teacher']['spec'], cfg['inputShape'], cfg['numClasses'])
    _mj, w = read_weights(job_path(cfg_path, cfg['teacher']['dir']))
    tf_to_torch(t, w, what=f"{cfg['teacher']['dir']}/model.json")
    t.eval()
    for p in t.parameters():
        p.requires_grad_(False)
    return t


def build_distiller(cfg, cfg_path, teacher):
    s = TappedNet(cfg['student'], cfg['inputShape'], cfg['numClasses'])
    init = cfg.get('studentInit')
    if init:  # the studio's seeded initial weights: the job starts where the browser started
        _mj, w = read_weights(job_path(cfg_path, init))
        tf_to_torch(s, w, what=f'{init}/model.json')
    d = Distiller(s, cfg['method'], cfg['options'], teacher.tap_shapes if teacher is not None else None)
    a = cfg.get('attentionInit')
    if d.attention is not None and a:
        read_attention(job_path(cfg_path, a['json']), job_path(cfg_path, a['bin']), d.attention)
    return d


def make_optimizer(params, run):
    o = run['optimizer']
    if o['name'] == 'adam':
        return torch.optim.Adam(params, lr=o['lr'], betas=tuple(o.get('betas', (0.9, 0.999))), eps=o.get('eps', 1e-7))
    if o['name'] == 'sgd':
        return torch.optim.SGD(params, lr=o['lr'], momentum=o.get('momentum', 0.9), weight_decay=o.get('weightDecay', 0.0),
                               nesterov=o.get('nesterov', False))
    raise ValueError(f"config.json: optimizer {o['name']!r} is not adam or sgd.")


def lr_at(run, step, total_steps, epoch):
    """Learning rate for this step: 'cosine' or 'one-cycle' per step (the studio's schedules), 'constant', or
    'multistep' per epoch (the AFD paper's CIFAR recipe: x0.1 at each milestone)."""
    base = run['optimizer']['lr']
    sch = run.get('schedule', 'constant')
    name = sch if isinstance(sch, str) else sch['name']
    if name == 'cosine':
        return base * 0.5 * (1 + math.cos(math.pi * step / max(1, total_steps)))
    if name == 'one-cycle':
        # The studio's one-cycle (src/ml/train/schedule.ts): lr/25 -> lr linearly over the first
        # 30 % of the steps, then a cosine from lr to lr/25/1e4.
        total = max(1, total_steps)
        rise = max(1, round(0.3 * total))
        start = base / 25
        if step < rise:
            return start + (base - start) * step / rise
        t = min(1.0, (step - rise) / max(1, total - 1 - rise))
        end = start / 1e4
        return end + (base - end) * 0.5 * (1 + math.cos(math.pi * t))
    if name == 'multistep':
        return base * sch.get('gamma', 0.1) ** sum(1 for m in sch['milestones'] if epoch >= m)
    return base
