"""The studio's architectures in PyTorch (src/ml/models/archs.ts, layers.ts), with the same layer
and tap names, so TF.js weights map one to one (tfjs_io.py).

Skeleton: stem conv3x3 stride 2 -> BN -> ReLU; three stages of `depth` blocks with width,
2*width, 4*width channels (first block of stages 2 and 3 at stride 2); head: global average
pooling (teacher) or flatten (students) and a dense layer to the logits.

Stride plans (src/domain/stridePlan.ts): that is the 'small' plan. Inputs of 96 px and more (or a
spec with plan 'photo') take the 'photo' plan: four stages, each opening at stride 2 (taps at H/4
... H/32), and global average pooling for every arch.

Differences from TF.js handled here:
- layout: NCHW instead of NHWC (taps are [B,C,H,W]);
- TF's "same" padding: at stride 2 the total padding max((ceil(H/s)-1)*s + k - H, 0) is split
  with the smaller half on the top/left and the larger on the bottom/right (SameConv2d);
- BN: epsilon 1e-3 and TF momentum 0.9, i.e. PyTorch momentum 1 - 0.9 = 0.1;
- flatten before the dense layer: TF flattens NHWC (h, w, c), PyTorch NCHW (c, h, w); the
  converter permutes the dense kernel's rows, so the model itself stays plain PyTorch.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPSILON = 1e-3
BN_MOMENTUM_TF = 0.9
BN_MOMENTUM = 1.0 - BN_MOMENTUM_TF
NUM_STAGES = 3
PHOTO_MIN_SIDE = 96
# plan id -> (stride of each stage's first block, head: 'arch' = the arch's own, or 'gap')
STRIDE_PLANS = {
    'small': ([1, 2, 2], 'arch'),
    'photo': ([2, 2, 2, 2], 'gap'),
}


def resolve_plan(spec, input_shape):
    """The spec's own plan, else the one its input size [H, W, C] calls for (resolvePlan)."""
    if spec.get('plan'):
        return spec['plan']
    return 'photo' if min(input_shape[0], input_shape[1]) >= PHOTO_MIN_SIDE else 'small'

# arch id -> (block kind, tap policy, head kind), as ARCH_DEFS in archs.ts
ARCHS = {
    'resnet-t1': ('residual', 'block', 'gap'),
    'cnn-s1': ('plain', 'block', 'flatten'),
    'resnet-s1': ('residual', 'block', 'flatten'),
    'mobile-s1': ('separable', 'block', 'flatten'),
}


def tf_same_padding(size, kernel, stride):
    """(before, after) padding of TF's 'same' along one axis."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv2d(nn.Conv2d):
    """Conv2d without bias and with TF's asymmetric 'same' padding."""

    def __init__(self, cin, cout, kernel, stride, groups=1):
        super().__init__(cin, cout, kernel, stride=stride, padding=0, bias=False, groups=groups)

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        top, bottom = tf_same_padding(x.shape[-2], k, s)
        left, right = tf_same_padding(x.shape[-1], k, s)
        if top or bottom or left or right:
            x = F.pad(x, (left, right, top, bottom))
        return super().forward(x)


def bn(channels):
    return nn.BatchNorm2d(channels, eps=BN_EPSILON, momentum=BN_MOMENTUM)


def block_name(stage, block):
    return f's{stage}b{block}'


def tap_name(stage, block):
    return f'stage{stage}.block{block}'


class TappedNet(nn.Module):
    """A classifier that returns (logits, taps); layer names are the TF.js layer names."""

    def __init__(self, spec, input_shape, num_classes):
        super().__init__()
        if spec['arch'] not in ARCHS:
            raise ValueError(f"Unknown architecture {spec['arch']!r}: choose one of {', '.join(ARCHS)}.")
        kind, taps, head = ARCHS[spec['arch']]
        self.plan = resolve_plan(spec, input_shape)
        strides, plan_head = STRIDE_PLANS[self.plan]
        if plan_head == 'gap':
            head = 'gap'
        self.spec, self.kind, self.head = dict(spec), kind, head
        self.input_shape = list(input_shape)  # [H, W, C] as in the studio
        self.num_classes = num_classes
        h, w, c = input_shape
        self.L = nn.ModuleDict()
        self._conv_bn('stem', c, spec['width'], 3, 2)
        h, w = math.ceil(h / 2), math.ceil(w / 2)
        cin = spec['width']
        self.blocks = []  # (name, stride, is_tap, has_short)
        self.tap_names, self.tap_shapes = [], []  # tap shapes [H, W, C] as in the studio
        for s in range(1, len(strides) + 1):
            filters = spec['width'] * 2 ** (s - 1)
            for b in range(1, spec['depth'] + 1):
                stride = strides[s - 1] if b == 1 else 1
                name = block_name(s, b)
                has_short = self._make_block(name, cin, filters, stride)
                h, w, cin = math.ceil(h / stride), math.ceil(w / stride), filters
                is_tap = taps == 'block' or b == spec['depth']
                self.blocks.append((name, stride, is_tap, has_short))
                if is_tap:
                    self.tap_names.append(tap_name(s, b))
                    self.tap_shapes.append([h, w, cin])
        self.last_shape = [h, w, cin]
        features = cin if head == 'gap' else h * w * cin
        self.L['logits'] = nn.Linear(features, num_classes)

    def _conv_bn(self, name, cin, cout, kernel, stride):
        self.L[f'{name}_conv'] = SameConv2d(cin, cout, kernel, stride)
        self.L[f'{name}_bn'] = bn(cout)

    def _make_block(self, name, cin, filters, stride):
        if self.kind == 'residual':
            self._conv_bn(f'{name}_1', cin, filters, 3, stride)
            self._conv_bn(f'{name}_2', filters, filters, 3, 1)
            has_short = stride != 1 or cin != filters
            if has_short:
                self._conv_bn(f'{name}_short', cin, filters, 1, stride)
            return has_short
        if self.kind == 'plain':
            self._conv_bn(name, cin, filters, 3, stride)
            return False
        self.L[f'{name}_dw'] = SameConv2d(cin, cin, 3, stride, groups=cin)
        self.L[f'{name}_dw_bn'] = bn(cin)
        self._conv_bn(f'{name}_pw', cin, filters, 1, 1)
        return False

    def _cbr(self, x, name, relu=True):
        y = self.L[f'{name}_bn'](self.L[f'{name}_conv'](x))
        return F.relu(y) if relu else y

    def _block(self, x, name, has_short):
        if self.kind == 'residual':
            a = self._cbr(x, f'{name}_1')
            b = self._cbr(a, f'{name}_2', relu=False)
            short = self._cbr(x, f'{name}_short', relu=False) if has_short else x
            return F.relu(b + short)
        if self.kind == 'plain':
            return F.relu(self._cbr(x, name, relu=False))
        d = F.relu(self.L[f'{name}_dw_bn'](self.L[f'{name}_dw'](x)))
        return F.relu(self._cbr(d, f'{name}_pw', relu=False))

    def forward(self, x):
        """x: [B,C,H,W] floats (pixels / pixelMax). Returns logits [B,classes] and taps [B,C,H,W]."""
        x = self._cbr(x, 'stem')
        taps = []
        for name, _stride, is_tap, has_short in self.blocks:
            x = self._block(x, name, has_short)
            if is_tap:
                taps.append(x)
        pooled = x.mean(dim=(2, 3)) if self.head == 'gap' else torch.flatten(x, 1)
        return self.L['logits'](pooled), taps


class InferenceNet(nn.Module):
    """One output, no taps: logits, or probabilities when `probabilities` is set."""

    def __init__(self, net, probabilities=False):
        super().__init__()
        self.net, self.probabilities = net, probabilities

    def forward(self, x):
        logits, _ = self.net(x)
        return torch.softmax(logits, dim=1) if self.probabilities else logits
