"""TF.js Layers models <-> PyTorch, written and read here (no converter package).

TF.js weight name            PyTorch parameter                      layout change
<layer>/kernel (Conv2D)      L.<layer>.weight                       HWIO -> OIHW
<layer>/depthwise_kernel     L.<layer>.weight                       [kh,kw,C,1] -> [C,1,kh,kw]
<layer>/gamma, beta          L.<layer>.weight, bias                 -
<layer>/moving_mean, _variance  L.<layer>.running_mean, running_var -
logits/kernel                L.logits.weight                        [in,out] -> [out,in]; with a
                                                                    flatten head the rows go from
                                                                    NHWC order (h,w,c) to NCHW (c,h,w)
logits/bias                  L.logits.bias                          -

model.json is the TF.js format (modelTopology, weightsManifest); weights.bin holds the values
in manifest order, float32 little-endian, or quantised as TF.js's own converter writes them:
`quantization: {dtype: 'float16'}` or `{dtype: 'uint8', scale, min}` (value = q*scale + min).
"""
import copy
import json
import os

import numpy as np
import torch

_BN = {'gamma': 'weight', 'beta': 'bias', 'moving_mean': 'running_mean', 'moving_variance': 'running_var'}


def read_weights(model_dir):
    """model.json (dict) and {name: float32 ndarray} of a TF.js Layers model folder."""
    with open(os.path.join(model_dir, 'model.json')) as f:
        mj = json.load(f)
    out = {}
    for group in mj['weightsManifest']:
        data = b''.join(_read_bytes(os.path.join(model_dir, p)) for p in group['paths'])
        off = 0
        sizes = {None: 4, 'float16': 2, 'uint8': 1}
        need = sum((int(np.prod(s['shape'])) if s['shape'] else 1) * sizes.get((s.get('quantization') or {}).get('dtype'), 4) for s in group['weights'])
        if need != len(data):
            raise ValueError(f'{model_dir}: weights.bin has {len(data)} bytes, the manifest describes {need}. Re-export the model.')
        for spec in group['weights']:
            n = int(np.prod(spec['shape'])) if spec['shape'] else 1
            q = spec.get('quantization')
            if q is None:
                arr = np.frombuffer(data, '<f4', n, off).astype(np.float32); off += 4 * n
            elif q['dtype'] == 'float16':
                arr = np.frombuffer(data, '<f2', n, off).astype(np.float32); off += 2 * n
            elif q['dtype'] == 'uint8':
                arr = np.frombuffer(data, 'u1', n, off).astype(np.float32) * q['scale'] + q['min']; off += n
            else:
                raise ValueError(f"{model_dir}/model.json: weight {spec['name']} has quantization {q['dtype']}, which this reader does not know.")
            out[spec['name']] = arr.reshape(spec['shape'])
    return mj, out


def _flatten_perm(net):
    """Row permutation taking the NCHW-flattened index to the NHWC one (for the dense kernel)."""
    h, w, c = net.last_shape
    return np.arange(h * w * c).reshape(h, w, c).transpose(2, 0, 1).reshape(-1)


def tf_to_torch(net, weights, what='model'):
    """Loads {tfjs name: array} into a TappedNet; every parameter and BN statistic must be set."""
    state = {}
    for name, arr in weights.items():
        layer, kind = name.split('/', 1)
        key = f'L.{layer}'
        if kind == 'kernel' and layer == 'logits':
            rows = net.L['logits'].in_features
            if arr.shape[0] != rows:
                raise ValueError(f'{what}: {name} has shape {list(arr.shape)}, the model expects {rows} rows (spec {net.spec}).')
            k = arr[_flatten_perm(net)] if net.head == 'flatten' else arr
            state[f'{key}.weight'] = k.T
        elif kind == 'kernel':
            state[f'{key}.weight'] = arr.transpose(3, 2, 0, 1)
        elif kind == 'depthwise_kernel':
            state[f'{key}.weight'] = arr.transpose(2, 3, 0, 1)
        elif kind == 'bias':
            state[f'{key}.bias'] = arr
        elif kind in _BN:
            state[f'{key}.{_BN[kind]}'] = arr
        else:
            raise ValueError(f'{what}: weight {name} is not one the studio writes.')
    own = {k: v for k, v in net.state_dict().items() if not k.endswith('num_batches_tracked')}
    missing = sorted(set(own) - set(state))
    extra = sorted(set(state) - set(own))
    if missing or extra:
        raise ValueError(f'{what}: weights do not fit {net.spec} (missing {missing[:4]}, unexpected {extra[:4]}).')
    for k, v in state.items():
        if tuple(own[k].shape) != v.shape:
            raise ValueError(f'{what}: {k} has shape {v.shape}, the model expects {tuple(own[k].shape)}.')
    net.load_state_dict({k: torch.from_numpy(np.array(v, copy=True, order='C')).to(own[k].dtype) for k, v in state.items()}, strict=False)


def torch_to_tf(net, manifest_weights):
    """{tfjs name: float32 array} for the names (and order) of a TF.js manifest."""
    sd = {k: v.detach().cpu().double().numpy() for k, v in net.state_dict().items()}
    out = {}
    for spec in manifest_weights:
        layer, kind = spec['name'].split('/', 1)
        key = f'L.{layer}'
        if kind == 'kernel' and layer == 'logits':
            k = sd[f'{key}.weight'].T
            if net.head == 'flatten':
                inv = np.empty_like(_flatten_perm(net)); inv[_flatten_perm(net)] = np.arange(len(inv))
                k = k[inv]
            arr = k
        elif kind == 'kernel':
            arr = sd[f'{key}.weight'].transpose(2, 3, 1, 0)
        elif kind == 'depthwise_kernel':
            arr = sd[f'{key}.weight'].transpose(2, 3, 0, 1)
        elif kind == 'bias':
            arr = sd[f'{key}.bias']
        else:
            arr = sd[f'{key}.{_BN[kind]}']
        if list(arr.shape) != list(spec['shape']):
            raise ValueError(f"{spec['name']}: shape {arr.shape} does not match the manifest's {spec['shape']}.")
        out[spec['name']] = arr.astype(np.float32)
    return out


def _encode(arr, quant):
    flat = arr.astype(np.float32).reshape(-1)
    if quant is None:
        return flat.astype('<f4').tobytes(), None
    if quant == 'float16':
        return flat.astype('<f2').tobytes(), {'dtype': 'float16'}
    if quant == 'int8':
        lo, hi = float(flat.min()), float(flat.max())
        # TF.js's affine uint8 scheme; min and max stay exactly representable as in its converter.
        scale = (hi - lo) / 255.0 if hi > lo else 1.0
        q = np.clip(np.round((flat - lo) / scale), 0, 255).astype(np.uint8)
        return q.tobytes(), {'dtype': 'uint8', 'scale': scale, 'min': lo}
    raise ValueError(f'Unknown quantisation {quant!r}: use float16 or int8.')


def write_model(out_dir, topology, manifest_weights, values, metadata, quant=None):
    """Writes model.json + weights.bin that tf.loadLayersModel reads. Returns bytes written."""
    os.makedirs(out_dir, exist_ok=True)
    chunks, specs = [], []
    for spec in manifest_weights:
        data, q = _encode(values[spec['name']], quant)
        chunks.append(data)
        s = {'name': spec['name'], 'shape': spec['shape'], 'dtype': 'float32'}
        if q:
            s['quantization'] = q
        specs.append(s)
    blob = b''.join(chunks)
    with open(os.path.join(out_dir, 'weights.bin'), 'wb') as f:
        f.write(blob)
    mj = {'format': 'layers-model', 'generatedBy': 'rtk-studio pytorch job', 'convertedBy': f'rtk_job.tfjs_io (torch {torch.__version__})',
          'modelTopology': topology, 'userDefinedMetadata': metadata,
          'weightsManifest': [{'paths': ['weights.bin'], 'weights': specs}]}
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(mj, f)
    return len(blob)


def inference_topology(topology, probabilities=False):
    """The tapped topology with one output: the logits, or a softmax layer after them."""
    t = copy.deepcopy(topology)
    cfg = t['config']
    if probabilities:
        cfg['layers'].append({'name': 'probabilities', 'class_name': 'Softmax',
                              'config': {'axis': -1, 'name': 'probabilities', 'trainable': True},
                              'inbound_nodes': [[['logits', 0, 0, {}]]]})
        cfg['output_layers'] = [['probabilities', 0, 0]]
    else:
        cfg['output_layers'] = [['logits', 0, 0]]
    cfg['name'] = f"{cfg.get('name', 'student')}_inference"
    return t


def read_attention(path_json, path_bin, attention):
    """Loads the studio's attention weights (names as FeatureAttention.weightNames) into the module."""
    with open(path_json) as f:
        specs = json.load(f)['weights']
    data = _read_bytes(path_bin)
    off, vals = 0, {}
    for s in specs:
        n = int(np.prod(s['shape']))
        vals[s['name']] = np.frombuffer(data, '<f4', n, off).reshape(s['shape']); off += 4 * n
    sd = {}
    for n in range(attention.T):
        _lbn(sd, vals, f'q{n}', f'query.{n}')
    for m in range(attention.S):
        _lbn(sd, vals, f'k{m}', f'key.{m}')
    _lbn(sd, vals, 'bil', 'bilinear')
    sd['Pt'], sd['Ps'] = vals['Pt'], vals['Ps']
    own = attention.state_dict()
    attention.load_state_dict({k: torch.from_numpy(np.array(v, copy=True, order='C')).to(own[k].dtype) for k, v in sd.items()}, strict=False)


def _lbn(sd, vals, src, dst):
    sd[f'{dst}.linear.weight'] = vals[f'{src}/W'].T
    sd[f'{dst}.bn.weight'] = vals[f'{src}/gamma']
    sd[f'{dst}.bn.bias'] = vals[f'{src}/beta']
    sd[f'{dst}.bn.running_mean'] = vals[f'{src}/movingMean']
    sd[f'{dst}.bn.running_var'] = vals[f'{src}/movingVar']


def _read_bytes(path):
    if not os.path.exists(path):
        raise FileNotFoundError(f'{path}: not found. Keep the exported folder together (model.json names its weights file).')
    with open(path, 'rb') as f:
        return f.read()
