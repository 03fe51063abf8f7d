"""What the job hands back (rank 0): the student as TF.js Layers files the studio loads, an
inference model with one output in float32 / float16 / int8 (weights quantised the way TF.js's
own converter writes them, test accuracy measured after quantisation), ONNX, and the card."""
import copy
import json
import os
import time

import torch

from .evaluate import evaluate
from .models import InferenceNet, TappedNet
from .tfjs_io import inference_topology, read_weights, tf_to_torch, torch_to_tf, write_model


def preprocessing(cfg, layout='NHWC'):
    h, w, c = cfg['inputShape']
    return {'input': f'float32 [batch, {h}, {w}, {c}] ({layout})' if layout == 'NHWC' else f'float32 [batch, {c}, {h}, {w}] (NCHW)',
            'scale': f"pixel / {cfg['pixelMax']}", 'pixelMax': cfg['pixelMax'], 'range': [0, 1], 'layout': layout,
            'channels': 'grayscale' if c == 1 else 'RGB', 'classNames': cfg['classNames']}


def write_outputs(out, cfg, args, distiller, test, evals, kept_per_epoch, job, test_data, device):
    student = distiller.student.cpu().eval()
    init_dir = os.path.join(os.path.dirname(os.path.abspath(args.config)), cfg['studentInit'])
    with open(os.path.join(init_dir, 'model.json')) as f:
        init = json.load(f)
    manifest = init['weightsManifest'][0]['weights']
    values = torch_to_tf(student, manifest)
    meta = copy.deepcopy(init.get('userDefinedMetadata') or {})
    write_model(os.path.join(out, 'student'), init['modelTopology'], manifest, values, meta)

    probs = bool(args.probabilities or cfg.get('output', {}).get('probabilities'))
    output = 'probabilities' if probs else 'logits'
    inf_topology = inference_topology(init['modelTopology'], probs)
    variants = []
    xte, yte, pm = test_data
    for name, quant in (('float32', None), ('float16', 'float16'), ('int8', 'int8')):
        folder = 'inference' if quant is None else f'inference-{name}'
        inf_meta = {'rtkStudioInference': {'spec': cfg['student'], 'output': output, 'weights': name,
                                           'preprocessing': preprocessing(cfg), 'numClasses': cfg['numClasses']}}
        nbytes = write_model(os.path.join(out, folder), inf_topology, manifest, values, inf_meta, quant)
        # Accuracy after quantisation: the written file read back, dequantised exactly as TF.js does.
        check = TappedNet(cfg['student'], cfg['inputShape'], cfg['numClasses'])
        _mj, w = read_weights(os.path.join(out, folder))
        tf_to_torch(check, w, what=f'{folder}/model.json')
        wrapped = type('W', (), {'student': check, 'attention': None, 'method': 'student-alone', 'options': distiller.options})
        acc = evaluate(wrapped, None, xte, yte, pm, cfg['numClasses'], 0, 'test', torch.device('cpu'))['accuracy']
        variants.append({'weights': name, 'path': f'{folder}/model.json', 'weightBytes': nbytes, 'testAccuracy': acc})

    onnx_path = os.path.join(out, 'student.onnx')
    h, w, c = cfg['inputShape']
    torch.onnx.export(InferenceNet(student, probs), torch.zeros(1, c, h, w), onnx_path, input_names=['input'], output_names=[output],
                      dynamic_axes={'input': {0: 'batch'}, output: {0: 'batch'}}, opset_version=13)

    where = f"PyTorch job · {job['processes']} process{'es' if job['processes'] > 1 else ''} · {job['backend']} · {job['device']}"
    result = {'testAccuracy': test['accuracy'], 'valAccuracy': next((e['accuracy'] for e in reversed(evals) if e['split'] == 'val'), None),
              'test': test, 'studentCosts': cfg.get('studentCosts'), 'wallMs': job['wallSeconds'] * 1000, 'checkpointEpoch': cfg['run']['epochs']}
    kept = [n for n, k in zip(test['keys']['teacherTaps'], test['keys']['kept']) if k] if test['keys'] else None
    run = cfg['run']
    card = {
        'kind': 'rtk-distillation-card', 'version': 1, 'createdAt': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'ranOn': {'where': 'pytorch', 'label': where, **{k: job[k] for k in ('processes', 'backend', 'device', 'torch')}},
        'dataset': cfg['dataset'], 'teacher': {'spec': cfg['teacher']['spec']} if cfg['method'] != 'student-alone' else None,
        'student': cfg['student'], 'method': cfg['method'], 'options': cfg['options'] if cfg['method'] != 'student-alone' else {},
        'keptKeys': kept, 'keptKeysPerEpoch': kept_per_epoch, 'preset': run['preset'],
        'budget': {k: run.get(k) for k in ('epochs', 'batchSize', 'trainLimit', 'testLimit', 'valFraction')} | {
            'optimizer': run['optimizer'], 'schedule': run.get('schedule'), 'maxStepsPerEpoch': args.max_steps or None},
        'run': {'runId': f"job-{cfg['dataset']}-{cfg['method']}-{int(time.time())}", 'seed': cfg['seed'], 'testAccuracy': test['accuracy'],
                'valAccuracy': result['valAccuracy'], 'perClassAccuracy': test['perClassAccuracy'], 'wallSeconds': job['wallSeconds'],
                'epochSeconds': job['epochSeconds']},
        'job': job, 'evals': evals, 'result': result, 'config': cfg.get('studioConfig'),
        'deploy': {'output': output, 'preprocessing': preprocessing(cfg), 'tfjs': variants,
                   'onnx': {'path': 'student.onnx', 'preprocessing': preprocessing(cfg, 'NCHW'), 'opset': 13}},
    }
    with open(os.path.join(out, 'distillation-card.json'), 'w') as f:
        json.dump(card, f, indent=1)
    distiller.student.to(device)
    return card
