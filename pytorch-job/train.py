#!/usr/bin/env python3
"""The studio's pilot as a PyTorch job, at any scale.

    torchrun --standalone --nproc_per_node=N train.py --config config.json [--preset full-run]
    python3 train.py --config config.json                       # one process
    (no torchrun script? python3 -m torch.distributed.run is the same launcher)

gloo on CPU, NCCL when every rank has a GPU. batchSize in the config is the global batch:
each of N ranks takes batchSize / N images per step (DistributedSampler, set_epoch per epoch).
Rank 0 writes log.jsonl, checkpoint.pt, the student as TF.js (student/ with taps, inference*/
with one output and float16 / int8 variants), student.onnx and distillation-card.json.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data.distributed import DistributedSampler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rtk_job import data as D  # noqa: E402
from rtk_job.bringback import write_outputs  # noqa: E402
from rtk_job.evaluate import evaluate  # noqa: E402
from rtk_job.job import build_distiller, build_teacher, load_config, lr_at, make_optimizer  # noqa: E402


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--config', default='config.json')
    p.add_argument('--preset', help='a key of config.json "presets" (default: config.json "preset")')
    p.add_argument('--out', help='output folder (default runs/<preset>)')
    p.add_argument('--data-root', help='studio datasets folder or ImageFolder root (default: config.json data.root)')
    p.add_argument('--epochs', type=int, help='override the preset\'s epochs')
    p.add_argument('--max-steps', type=int, default=0, help='stop each epoch after this many steps (smoke tests)')
    p.add_argument('--probabilities', action='store_true', help='the inference model outputs softmax probabilities, not logits')
    p.add_argument('--dump-params', action='store_true', help='every rank writes its final parameters to params-rank<r>.npy')
    p.add_argument('--threads', type=int, default=0, help='torch intra-op threads per process (0: leave as is)')
    return p.parse_args()


def setup():
    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    local = int(os.environ.get('LOCAL_RANK', '0'))
    cuda = torch.cuda.is_available() and torch.cuda.device_count() > local
    device = torch.device(f'cuda:{local}' if cuda else 'cpu')
    if cuda:
        torch.cuda.set_device(device)
    backend = 'nccl' if cuda else 'gloo'
    if world > 1:
        dist.init_process_group(backend=backend)
    return world, rank, device, backend


def main():
    args = parse()
    if args.threads:
        torch.set_num_threads(args.threads)
    world, rank, device, backend = setup()
    cfg = load_config(args.config, args.preset)
    run = cfg['run']
    if args.epochs:
        run['epochs'] = args.epochs
    out = args.out or os.path.join(os.path.dirname(os.path.abspath(args.config)), 'runs', run['preset'])
    if rank == 0:
        os.makedirs(out, exist_ok=True)
    torch.manual_seed(cfg['seed'])
    cfg.update({k: run[k] for k in ('trainLimit', 'testLimit') if k in run})
    xtr, ytr, xte, yte, info = D.load(cfg, args.data_root)
    pm = info['pixelMax']
    train_idx, val_idx = D.split_train_val(len(xtr), run.get('valFraction', 0.1), cfg['seed'])

    teacher = build_teacher(cfg, args.config)
    distiller = build_distiller(cfg, args.config, teacher)
    if teacher is not None:
        teacher.to(device)
    distiller.to(device)
    model = distiller
    if world > 1:
        if cfg['options']['rtk']['granularity'] == 'batch':
            def reduce_mean(t):
                # Every rank must keep the same keys: average the batch-mean influence across ranks.
                t = t.clone()
                dist.all_reduce(t, op=dist.ReduceOp.SUM)
                return t / world
            distiller.reduce_mean = reduce_mean
        # Every parameter receives a gradient on every step (masked keys are multiplied by 0,
        # never cut from the graph), so DDP needs no unused-parameter search.
        model = DDP(distiller, device_ids=[device.index] if device.type == 'cuda' else None)
    if run['batchSize'] % world:
        raise ValueError(f"batchSize {run['batchSize']} does not split over {world} processes: pick a multiple of {world}.")
    per_rank = run['batchSize'] // world
    params = [p for p in distiller.parameters() if p.requires_grad]
    opt = make_optimizer(params, run)
    augment = run.get('augment', 'none')
    if augment not in ('none', 'crop-flip'):
        raise ValueError(f"config.json: augment {augment!r} is not 'none' or 'crop-flip'.")
    # Each rank draws its own crops and flips (seeded by the job's seed and the rank).
    aug_rng = np.random.default_rng([cfg['seed'], rank])
    sampler = DistributedSampler(np.arange(len(train_idx)), num_replicas=world, rank=rank, shuffle=True, seed=cfg['seed'], drop_last=True)
    steps_per_epoch = max(1, len(sampler) // per_rank)
    if args.max_steps:
        steps_per_epoch = min(steps_per_epoch, args.max_steps)
    total = steps_per_epoch * run['epochs']
    names = (teacher.tap_names if teacher is not None else [], distiller.student.tap_names)
    evals, epoch_seconds, kept_per_epoch = [], [], []
    log = open(os.path.join(out, 'log.jsonl'), 'a') if rank == 0 else None
    t0 = time.time()
    step = 0
    last_mask = None
    for epoch in range(run['epochs']):
        sampler.set_epoch(epoch)
        order = train_idx[np.fromiter(iter(sampler), np.int64)]
        model.train()
        te = time.time()
        sums = np.zeros(4)
        for s in range(steps_per_epoch):
            for g in opt.param_groups:
                g['lr'] = lr_at(run, step, total, epoch)
            idx = order[s * per_rank:(s + 1) * per_rank]
            imgs = D.crop_flip(xtr[idx], aug_rng) if augment == 'crop-flip' else xtr[idx]
            x = D.to_tensor(imgs, pm).to(device)
            y = torch.from_numpy(ytr[idx].astype(np.int64)).to(device)
            t_logits = t_taps = None
            if teacher is not None:
                with torch.no_grad():
                    t_logits, t_taps = teacher(x)
            res = model(x, y, t_logits, t_taps, epoch)
            opt.zero_grad(set_to_none=True)
            res['total'].backward()
            if step == 0:
                # DDP's contract (and RTK.md's): every parameter of the student and the attention
                # module gets a gradient on every rank, dropped keys included (multiplied by 0).
                missing = [n for n, p in distiller.named_parameters() if p.requires_grad and p.grad is None]
                if missing:
                    raise RuntimeError(f'rank {rank}: no gradient for {missing[:5]}; the loss must keep every parameter in the graph.')
            opt.step()
            step += 1
            last_mask = res['mask'].detach().cpu().numpy() if res['mask'] is not None else None
            sums += [res['total'].item(), res['ce'].item(), float(res['kd']), float(res['feat'])]
            if not np.isfinite(sums[0]):
                raise FloatingPointError(f'The loss became {sums[0]} at epoch {epoch + 1}, step {s + 1}: try a lower learning rate.')
        epoch_seconds.append(time.time() - te)
        if rank == 0:
            rep = None
            if len(val_idx):
                rep = evaluate(distiller, teacher, xtr[val_idx], ytr[val_idx], pm, cfg['numClasses'], epoch, 'val', device,
                               key_stats_limit=cfg.get('keyStatsLimit', 2000), tap_names=names)
                evals.append(rep)
            kept = [n for n, k in zip(names[0], rep['keys']['kept']) if k] if rep and rep['keys'] else None
            kept_per_epoch.append({'epoch': epoch, 'keptKeys': kept})
            loss = (sums / steps_per_epoch).tolist()
            rec = {'epoch': epoch, 'steps': steps_per_epoch, 'seconds': epoch_seconds[-1], 'loss': dict(zip(['total', 'ce', 'kd', 'feat'], loss)),
                   'valAccuracy': rep['accuracy'] if rep else None, 'keptKeys': kept, 'lr': opt.param_groups[0]['lr']}
            log.write(json.dumps(rec) + '\n'); log.flush()
            print(json.dumps(rec), flush=True)
            torch.save({'epoch': epoch + 1, 'distiller': distiller.state_dict(), 'optimizer': opt.state_dict()}, os.path.join(out, 'checkpoint.pt'))
    ranks = check_ranks(distiller, world)
    if args.dump_params:
        # Written by every rank (rank 0 makes the folder first), so a test can compare them.
        if world > 1:
            dist.barrier()
        np.save(os.path.join(out, f'params-rank{rank}.npy'), flat_state(distiller))
        if last_mask is not None:
            np.save(os.path.join(out, f'mask-rank{rank}.npy'), last_mask)
    if rank == 0:
        test = evaluate(distiller, teacher, xte, yte, pm, cfg['numClasses'], run['epochs'] - 1, 'test', device,
                        key_stats_limit=cfg.get('keyStatsLimit', 2000), tap_names=names)
        evals.append(test)
        job = {'processes': world, 'backend': backend, 'device': str(device), 'torch': torch.__version__,
               'perRankBatch': per_rank, 'stepsPerEpoch': steps_per_epoch, 'epochSeconds': epoch_seconds, 'wallSeconds': time.time() - t0,
               'rankMaxAbsDiff': ranks, 'ranksIdentical': ranks == 0.0}
        write_outputs(out, cfg, args, distiller, test, evals, kept_per_epoch, job, (xte, yte, pm), device)
        print(json.dumps({'done': True, 'testAccuracy': test['accuracy'], 'out': out, 'ranksIdentical': ranks == 0.0}), flush=True)
    if log:
        log.close()
    if world > 1:
        dist.barrier()
        # Every rank is done and every file is written. Leave without tearing the interpreter
        # down: with gloo, PyTorch 1.13 can deadlock when DDP's reducer is freed at exit (the main
        # thread joins gloo's worker thread while holding the GIL the worker waits for).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def flat_state(module):
    """Every trainable parameter (student and attention module), flattened in name order."""
    return torch.cat([p.detach().double().reshape(-1).cpu() for _n, p in sorted(module.named_parameters())]).numpy()


def check_ranks(module, world):
    """Largest difference between any rank's parameters (and BN statistics) and rank 0's."""
    if world == 1:
        return 0.0
    mine = torch.from_numpy(flat_state(module))
    ref = mine.clone()
    dist.broadcast(ref, src=0)
    diff = (mine - ref).abs().max().reshape(1)
    dist.all_reduce(diff, op=dist.ReduceOp.MAX)
    return float(diff.item())


if __name__ == '__main__':
    main()
