"""The RTK Distillation Studio's pilot as a plain PyTorch job (models, methods, data, TF.js I/O)."""
