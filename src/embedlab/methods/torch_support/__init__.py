"""What every PyTorch method shares: the lazy torch import, the device, repeatable runs and
the noise words.

Both torch users own it: the neural encoders (``methods/neural``) and word2vec's PyTorch
backend (``methods/word2vec/torch_backend.py``). ``device.py`` is the only module of embedlab
that imports torch itself; everything else reaches it through ``device.torch``, imported on
first use, so declaring a method loads no torch.
"""
