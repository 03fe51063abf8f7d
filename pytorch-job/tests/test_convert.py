"""Unit tests of the job's pieces that need no export: TF 'same' padding, weight conversion
both ways, the flatten order, quantisation, key selection under 'batch', and bad inputs."""
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from rtk_job import data as D  # noqa: E402
from rtk_job.job import load_config  # noqa: E402
from rtk_job.losses import kept_mask  # noqa: E402
from rtk_job.models import TappedNet, tf_same_padding  # noqa: E402
from rtk_job.tfjs_io import _encode, read_weights, tf_to_torch, torch_to_tf, write_model  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'public', 'datasets')


def manifest_of(net):
    """A TF.js-style manifest (names, shapes) for a TappedNet, from the names tfjs_io maps."""
    specs = []
    for name, mod in net.L.items():
        if isinstance(mod, torch.nn.Conv2d):
            k = 'depthwise_kernel' if mod.groups > 1 else 'kernel'
            o, i, kh, kw = mod.weight.shape
            specs.append({'name': f'{name}/{k}', 'shape': [kh, kw, o, 1] if mod.groups > 1 else [kh, kw, i, o]})
        elif isinstance(mod, torch.nn.BatchNorm2d):
            c = mod.num_features
            specs += [{'name': f'{name}/{k}', 'shape': [c]} for k in ('gamma', 'beta', 'moving_mean', 'moving_variance')]
        else:
            specs += [{'name': 'logits/kernel', 'shape': [mod.in_features, mod.out_features]}, {'name': 'logits/bias', 'shape': [mod.out_features]}]
    return specs


class Padding(unittest.TestCase):
    def test_tf_same_is_asymmetric_at_stride_2(self):
        self.assertEqual(tf_same_padding(28, 3, 2), (0, 1))  # 28 -> 14: the extra row goes bottom/right
        self.assertEqual(tf_same_padding(7, 3, 2), (1, 1))   # 7 -> 4
        self.assertEqual(tf_same_padding(28, 1, 2), (0, 0))  # 1x1 shortcut
        self.assertEqual(tf_same_padding(14, 3, 1), (1, 1))


class Conversion(unittest.TestCase):
    def test_round_trip_keeps_every_output(self):
        for arch in ('resnet-t1', 'cnn-s1', 'resnet-s1', 'mobile-s1'):
            torch.manual_seed(0)
            a = TappedNet({'arch': arch, 'width': 4, 'depth': 2}, [28, 28, 1], 10)
            for m in a.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.5, 0.5); m.running_var.uniform_(0.5, 2)
            b = TappedNet({'arch': arch, 'width': 4, 'depth': 2}, [28, 28, 1], 10)
            specs = manifest_of(a)
            tf_to_torch(b, torch_to_tf(a, specs))
            a.eval(); b.eval()
            x = torch.rand(3, 1, 28, 28)
            (la, ta), (lb, tb) = a(x), b(x)
            self.assertTrue(torch.allclose(la, lb, atol=1e-6), arch)
            self.assertEqual([t.shape for t in ta], [t.shape for t in tb])

    def test_flatten_order_follows_nhwc(self):
        net = TappedNet({'arch': 'cnn-s1', 'width': 2, 'depth': 1}, [8, 8, 1], 3)  # last map 1x1x8? no: 8 -> 4,2,1
        h, w, c = net.last_shape
        k = np.zeros((h * w * c, 3), np.float32)
        k[0 * w * c + 0 * c + (c - 1), 1] = 1.0  # TF row of (h=0, w=0, channel c-1)
        weights = {s['name']: np.zeros(s['shape'], np.float32) for s in manifest_of(net)}
        weights['logits/kernel'] = k
        tf_to_torch(net, weights, 'test')
        # PyTorch flattens (c, h, w): channel c-1 at (0, 0) is column (c-1)*h*w.
        self.assertEqual(float(net.L['logits'].weight[1, (c - 1) * h * w]), 1.0)

    def test_bad_weights_name_the_file(self):
        net = TappedNet({'arch': 'cnn-s1', 'width': 4, 'depth': 1}, [28, 28, 1], 10)
        with tempfile.TemporaryDirectory() as d:
            specs = manifest_of(net)
            write_model(d, {}, specs, torch_to_tf(net, specs), {})
            with open(os.path.join(d, 'weights.bin'), 'r+b') as f:
                f.truncate(100)
            with self.assertRaisesRegex(ValueError, 'weights.bin has 100 bytes'):
                read_weights(d)
            other = TappedNet({'arch': 'cnn-s1', 'width': 8, 'depth': 1}, [28, 28, 1], 10)
            with self.assertRaisesRegex(ValueError, 'student: .*has shape'):
                tf_to_torch(other, torch_to_tf(net, specs), 'student')


class Quantisation(unittest.TestCase):
    def test_uint8_and_float16_decode_within_their_step(self):
        x = np.linspace(-1.3, 2.1, 1000).astype(np.float32)
        data, q = _encode(x, 'int8')
        back = np.frombuffer(data, np.uint8) * q['scale'] + q['min']
        self.assertLessEqual(np.abs(back - x).max(), q['scale'] / 2 + 1e-7)
        data16, q16 = _encode(x, 'float16')
        self.assertEqual(q16, {'dtype': 'float16'})
        self.assertLess(np.abs(np.frombuffer(data16, '<f2') - x).max(), 1e-3)


class Selection(unittest.TestCase):
    def test_batch_granularity_shares_one_mask_across_ranks(self):
        inf = torch.tensor([[0.1, 0.5, 0.4], [0.6, 0.2, 0.2]])
        other_rank = torch.tensor([[0.9, 0.05, 0.05]])
        avg = lambda m: (m + other_rank) / 2  # what all_reduce / world gives with a second rank
        mask = kept_mask(inf, 'mean', 'batch', avg)
        self.assertTrue(torch.equal(mask, torch.tensor([[1.0, 0, 0], [1.0, 0, 0]])))
        self.assertTrue(torch.equal(kept_mask(inf, 'mean', 'sample'), torch.tensor([[0.0, 1, 1], [1.0, 0, 0]])))
        self.assertTrue(torch.equal(kept_mask(inf, 0.99, 'sample'), torch.tensor([[0.0, 1, 0], [1.0, 0, 0]])))  # none passes: keep the best


class BadInput(unittest.TestCase):
    def test_missing_dataset_names_the_path_and_the_fix(self):
        with self.assertRaisesRegex(D.DataError, r'nowhere/mnist/manifest.json: not found.*npm run datasets'):
            D.load_studio('/nowhere', 'mnist')

    def test_split_matches_the_studio(self):
        tr, va = D.split_train_val(30000, 0.1, 1)
        self.assertEqual((len(tr), len(va)), (27000, 3000))
        self.assertEqual(va[:5].tolist(), [3, 8, 37, 39, 42])  # splitTrainVal(30000, 0.1, 1) in src/ml/data/batches.ts

    def test_digits_load_from_the_studio_files(self):
        xtr, ytr, xte, yte, info = D.load_studio(DATA, 'digits')
        self.assertEqual((xtr.shape, xte.shape, info['pixelMax']), ((1437, 8, 8, 1), (360, 8, 8, 1), 16))

    def test_image_folder_reads_real_images(self):
        from PIL import Image
        xtr, ytr, _xte, _yte, _info = D.load_studio(DATA, 'digits')
        with tempfile.TemporaryDirectory() as root:
            for split, idx in (('train', range(0, 20)), ('test', range(20, 30))):
                for i in idx:
                    d = os.path.join(root, split, f'class{ytr[i]}')
                    os.makedirs(d, exist_ok=True)
                    Image.fromarray(xtr[i, :, :, 0]).save(os.path.join(d, f'{i:03d}.png'))
            # Every class seen in test must also be in train for the folder to be valid.
            for c in os.listdir(os.path.join(root, 'train')):
                os.makedirs(os.path.join(root, 'test', c), exist_ok=True)
            for c in os.listdir(os.path.join(root, 'test')):
                os.makedirs(os.path.join(root, 'train', c), exist_ok=True)
            a, la, b, lb, info = D.load_image_folder(root, [8, 8, 1])
            self.assertEqual((a.shape[0], b.shape[0]), (20, 10))
            names = info['classNames']
            first = a[0]
            self.assertTrue(any(np.array_equal(first, xtr[i]) for i in range(20)))
            self.assertEqual(sorted(names), names)
            with self.assertRaisesRegex(D.DataError, r'is \(8, 8, 1\), the models take \[28, 28, 1\]'):
                D.load_image_folder(root, [28, 28, 1])

    def test_unknown_preset_lists_the_known_ones(self):
        with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
            json.dump({'kind': 'rtk-pytorch-job', 'presets': {'pilot': {}, 'full-run': {}}}, f)
        with self.assertRaisesRegex(ValueError, 'no preset .huge.; choose one of pilot, full-run'):
            load_config(f.name, 'huge')
        os.unlink(f.name)


if __name__ == '__main__':
    unittest.main()
