"""The methods of RTK.md in PyTorch, following the studio's TF.js code (src/ml/losses).

Taps are NCHW here. Energy maps e = mean_c F^2 are [B,H,W], flattened row-major (h*W + w),
which is the same order as the studio's NHWC maps.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NORM_EPS = 1e-12
ATTN_BN_EPS = 1e-5
ATTN_BN_MOMENTUM = 0.1


def cross_entropy(logits, labels):
    """CE = -mean_b log softmax(logits)[b, y_b]."""
    return F.cross_entropy(logits, labels)


def kd_loss(s_logits, t_logits, alpha, tau):
    """alpha * tau^2 * mean_b KL(softmax(t/tau) || softmax(s/tau))."""
    log_pt = F.log_softmax(t_logits.detach() / tau, dim=-1)
    log_ps = F.log_softmax(s_logits / tau, dim=-1)
    kl = (log_pt.exp() * (log_pt - log_ps)).sum(-1)
    return kl.mean() * alpha * tau * tau


def energy_map(f):
    """[B,C,H,W] -> [B,H,W], mean over channels of F^2."""
    return (f * f).mean(dim=1)


def normalized_energy(e):
    """[B,H,W] -> [B,H*W], e / sqrt(sum e^2 + eps)."""
    flat = e.reshape(e.shape[0], -1)
    return flat / torch.sqrt((flat * flat).sum(-1, keepdim=True) + NORM_EPS)


def resize_matrix(src, dst):
    """One axis of the energy resize as a [dst, src] matrix: area average when shrinking,
    nearest replication when growing (energy.ts)."""
    m = torch.zeros(dst, src, dtype=torch.float64)
    if dst >= src:
        for i in range(dst):
            m[i, (i * src) // dst] = 1.0
        return m
    length = src / dst
    for i in range(dst):
        lo, hi = i * length, (i + 1) * length
        for j in range(int(math.floor(lo)), min(src, int(math.ceil(hi)))):
            overlap = min(hi, j + 1) - max(lo, j)
            if overlap > 0:
                m[i, j] = overlap / length
    return m


def resize_operator(h, w, H, W):
    """[h*w, H*W] with flatten(out) = flatten(e) @ M (the Kronecker product of both axes)."""
    return torch.kron(resize_matrix(h, H), resize_matrix(w, W)).t().contiguous()


def at_pairs(t_shapes, s_shapes):
    """(teacher, student) tap pairs of equal size: the last tap of each size on both sides."""
    last_s = {}
    for m, (h, w, _c) in enumerate(s_shapes):
        last_s[(h, w)] = m
    last_t = {}
    for n, (h, w, _c) in enumerate(t_shapes):
        last_t[(h, w)] = n
    return sorted((n, last_s[size]) for size, n in last_t.items() if size in last_s)


def at_loss(t_taps, s_taps, pairs, beta_at):
    total = s_taps[0].new_zeros(())
    for n, m in pairs:
        at = normalized_energy(energy_map(t_taps[n].detach()))
        as_ = normalized_energy(energy_map(s_taps[m]))
        total = total + ((as_ - at) ** 2).sum(-1).mean()
    return total * beta_at


class LinearBn(nn.Module):
    """Linear (no bias) + BatchNorm1d, as batchNorm.ts (eps 1e-5, momentum 0.1)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.linear = nn.Linear(cin, cout, bias=False)
        self.bn = nn.BatchNorm1d(cout, eps=ATTN_BN_EPS, momentum=ATTN_BN_MOMENTUM)

    def forward(self, x):
        return self.bn(self.linear(x))


class FeatureAttention(nn.Module):
    """AFD's attention between teacher taps (queries) and student taps (keys): z, alpha, D [B,T,S].
    Shapes are studio tap shapes [H, W, C]."""

    def __init__(self, t_shapes, s_shapes, d):
        super().__init__()
        self.T, self.S, self.d = len(t_shapes), len(s_shapes), d
        self.t_shapes, self.s_shapes = t_shapes, s_shapes
        self.query = nn.ModuleList([LinearBn(s[2], d) for s in t_shapes])
        self.key = nn.ModuleList([LinearBn(s[2], d) for s in s_shapes])
        self.bilinear = LinearBn(d, self.T * d)
        self.Pt = nn.Parameter(torch.randn(self.T, d) * math.sqrt(2 / (self.T + d)))
        self.Ps = nn.Parameter(torch.randn(self.S, d) * math.sqrt(2 / (self.S + d)))
        for (H, W, _c) in t_shapes:
            for (h, w, _c2) in s_shapes:
                if (h, w) != (H, W) and not hasattr(self, f'resize_{h}x{w}_{H}x{W}'):
                    self.register_buffer(f'resize_{h}x{w}_{H}x{W}', resize_operator(h, w, H, W).float(), persistent=False)

    def distance(self, t_taps, s_taps):
        """D[b,n,m] = mean over pixels of (v_s^{m->n} - v_t^n)^2."""
        s_energy = [energy_map(x) for x in s_taps]
        cache = {}
        rows = []
        for t in t_taps:
            H, W = t.shape[-2:]
            vt = normalized_energy(energy_map(t.detach()))
            if (H, W) not in cache:
                vs = []
                for e in s_energy:
                    h, w = e.shape[-2:]
                    flat = e.reshape(e.shape[0], -1)
                    if (h, w) != (H, W):
                        flat = flat @ getattr(self, f'resize_{h}x{w}_{H}x{W}').to(flat.dtype)
                    vs.append(flat / torch.sqrt((flat * flat).sum(-1, keepdim=True) + NORM_EPS))
                cache[(H, W)] = torch.stack(vs, 1)  # [B,S,P]
            rows.append(((cache[(H, W)] - vt.unsqueeze(1)) ** 2).mean(-1))  # [B,S]
        return torch.stack(rows, 1)

    def forward(self, t_taps, s_taps):
        B, T, S, d = t_taps[0].shape[0], self.T, self.S, self.d
        Q = torch.stack([q(t.detach().mean(dim=(2, 3))) for q, t in zip(self.query, t_taps)], 1)  # [B,T,d]
        K = torch.stack([F.relu(k(x.mean(dim=(2, 3)))) for k, x in zip(self.key, s_taps)], 1)  # [B,S,d]
        Kb = self.bilinear(K.reshape(B * S, d))  # [B*S, T*d]
        Kt = Kb.reshape(B, S, T, d).permute(0, 2, 1, 3)  # [B,T,S,d]
        score = (Kt * Q.unsqueeze(2)).sum(-1)
        pi = self.Pt @ self.Ps.t()
        z = (score + pi) / math.sqrt(d)
        alpha = torch.softmax(z, dim=-1)
        return z, alpha, self.distance(t_taps, s_taps)


def afd_loss(alpha, dist):
    """sum_n mean_b sum_m alpha*D."""
    return (alpha * dist).sum() / alpha.shape[0]


def importance_columns(alpha, z, rule):
    if rule == 'afd':
        return alpha
    if rule == 'keys':
        return torch.softmax(z, dim=1)  # softmax over teacher features n
    raise ValueError(f'Unknown importance rule {rule!r}: use "afd" or "keys".')


def key_influence(alpha, z, rule, k):
    """I[b,n] = mean of the k largest entries of importance column n. [B,T]."""
    S = alpha.shape[2]
    kk = max(1, min(int(k), S))
    return importance_columns(alpha, z, rule).topk(kk, dim=-1).values.mean(-1)


def kept_mask(influence, threshold, granularity, reduce_mean=None):
    """r[b,n] = 1 if I > tau else 0 (keep the most influential key when none passes).
    granularity 'batch': I is averaged over the batch first; `reduce_mean` then averages that
    mean across DDP ranks, so every rank keeps the same keys."""
    B, T = influence.shape
    inf = influence
    if granularity == 'batch':
        inf = influence.mean(0, keepdim=True)
        if reduce_mean is not None:
            inf = reduce_mean(inf)
    elif granularity != 'sample':
        raise ValueError(f'Unknown granularity {granularity!r}: use "sample" or "batch".')
    tau = inf.mean(-1, keepdim=True) if threshold == 'mean' else torch.full_like(inf[:, :1], float(threshold))
    r = (inf > tau).to(inf.dtype)
    anyk = r.max(-1, keepdim=True).values
    best = F.one_hot(inf.argmax(-1), T).to(inf.dtype)
    kept = r + (1 - anyk) * best
    return kept.expand(B, T).contiguous() if granularity == 'batch' else kept


def rtk_loss(alpha, dist, z, opts, reduce_mean=None):
    """L_rtk = sum_n mean_b r[b,n] * sum_m alpha*D; returns (loss, mask, influence)."""
    with torch.no_grad():
        influence = key_influence(alpha, z, opts['importance'], opts['k'])
        mask = kept_mask(influence, opts['threshold'], opts['granularity'], reduce_mean)
    per_key = (alpha * dist).sum(-1)
    return (mask * per_key).sum() / alpha.shape[0], mask, influence


def effective_k(k, num_student_taps):
    """The session's k (session.ts): clamped to [1, S-1]; RTK.md default when unset."""
    kk = min(k, max(1, num_student_taps - 1))
    return kk if kk else (1 if num_student_taps <= 3 else 2)


class Distiller(nn.Module):
    """The student and the attention module in one module, so DDP wraps (and all-reduces)
    both. forward returns the total loss and its parts (RTK.md totals)."""

    def __init__(self, student, method, options, t_shapes=None):
        super().__init__()
        self.student, self.method = student, method
        self.options = {**options, 'rtk': {**options['rtk'], 'k': effective_k(options['rtk']['k'], len(student.tap_shapes))}}
        self.attention = FeatureAttention(t_shapes, student.tap_shapes, options['afd']['attnDim']) if method in ('afd', 'rtk') else None
        self.pairs = at_pairs(t_shapes, student.tap_shapes) if method == 'at' else []
        self.reduce_mean = None  # set by train.py under DDP

    def forward(self, x, labels, t_logits=None, t_taps=None, epoch=0):
        logits, s_taps = self.student(x)
        o = self.options
        ce = cross_entropy(logits, labels)
        zero = ce.new_zeros(())
        out = {'logits': logits, 'ce': ce, 'kd': zero, 'feat': zero, 'mask': None, 'influence': None}
        if self.method == 'student-alone':
            out['total'] = ce
            return out
        kd = kd_loss(logits, t_logits, o['kd']['alpha'], o['kd']['tau'])
        out['kd'] = kd
        if self.method == 'kd':
            out['total'] = ce + kd
            return out
        if self.method == 'at':
            feat = at_loss(t_taps, s_taps, self.pairs, o['at']['betaAt'])
        else:
            z, alpha, dist = self.attention(t_taps, s_taps)
            beta = o['afd']['beta']
            if self.method == 'afd':
                feat = afd_loss(alpha, dist) * beta
            else:
                loss, mask, influence = rtk_loss(alpha, dist, z, o['rtk'], self.reduce_mean)
                out['influence'] = influence
                if epoch < o['rtk'].get('warmupEpochs', 0):
                    feat, out['mask'] = afd_loss(alpha, dist) * beta, torch.ones_like(mask)
                else:
                    feat, out['mask'] = loss * beta, mask
        out['feat'] = feat
        out['total'] = ce + kd + feat
        return out
