"""Evaluation as the studio does it (src/ml/train/evaluate.ts): accuracy, per-class accuracy,
confusion, and for attention methods the key statistics of the key explorer: batch-mean
attention [T,S], influence [T] (overall and per class), the kept mask and tau."""
import numpy as np
import torch

from .data import to_tensor


def select_keys(attention, T, S, k, threshold):
    """selectKeys of src/domain/rtkSelect.ts on a [T,S] row-major list."""
    a = np.asarray(attention, np.float64).reshape(T, S)
    kk = max(1, min(int(k), S))
    influence = np.sort(a, axis=1)[:, ::-1][:, :kk].mean(1)
    tau = float(influence.mean()) if threshold == 'mean' else float(threshold)
    kept = (influence > tau).astype(int)
    if T and kept.sum() == 0:
        kept[int(np.argmax(influence))] = 1
    return influence.tolist(), tau, kept.tolist()


@torch.no_grad()
def evaluate(distiller, teacher, images, labels, pixel_max, num_classes, epoch, split, device,
             batch_size=256, key_stats_limit=2000, tap_names=None):
    student, attention = distiller.student, distiller.attention
    was = student.training
    student.eval()
    if attention is not None:
        attention.eval()
    C = num_classes
    confusion = np.zeros((C, C), np.int64)
    T = len(teacher.tap_shapes) if teacher is not None else 0
    S = len(student.tap_shapes)
    want = attention is not None and teacher is not None
    a_sum = np.zeros(T * S)
    ca_sum = np.zeros((C, T * S))
    class_count = np.zeros(C)
    key_images = 0
    for start in range(0, len(images), batch_size):
        x = to_tensor(images[start:start + batch_size], pixel_max).to(device)
        y = labels[start:start + batch_size].astype(np.int64)
        logits, s_taps = student(x)
        pred = logits.argmax(1).cpu().numpy()
        np.add.at(confusion, (y, pred), 1)
        if want and key_images < key_stats_limit:
            _, t_taps = teacher(x)
            _, alpha, _ = attention(t_taps, s_taps)
            flat = alpha.reshape(len(y), T * S).double().cpu().numpy()
            a_sum += flat.sum(0)
            np.add.at(ca_sum, y, flat)
            np.add.at(class_count, y, 1)
            key_images += len(y)
    student.train(was)
    if attention is not None:
        attention.train(was)
    rows = confusion.sum(1)
    per_class = [float(confusion[c, c] / rows[c]) if rows[c] else None for c in range(C)]
    keys = None
    if want and key_images:
        o = distiller.options['rtk']
        att = (a_sum / key_images).tolist()
        influence, tau, kept = select_keys(att, T, S, o['k'], o['threshold'])
        per_class_att, per_class_inf = [], []
        for c in range(C):
            mean = (ca_sum[c] / class_count[c]) if class_count[c] else np.zeros(T * S)
            per_class_att += mean.tolist()
            per_class_inf += select_keys(mean, T, S, o['k'], o['threshold'])[0]
        keys = {'T': T, 'S': S, 'teacherTaps': tap_names[0], 'studentTaps': tap_names[1], 'attention': att,
                'influence': influence, 'influencePerClass': per_class_inf, 'attentionPerClass': per_class_att,
                'images': key_images, 'kept': [1] * T if distiller.method == 'afd' else kept, 'k': o['k'], 'tau': tau}
    return {'epoch': epoch, 'split': split, 'accuracy': float(np.trace(confusion) / max(1, len(images))),
            'perClassAccuracy': per_class, 'confusion': confusion.reshape(-1).tolist(), 'numClasses': C, 'keys': keys}
