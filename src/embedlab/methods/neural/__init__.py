"""Neural encoders from lecture note 004, trained with PyTorch: autoencoder, vae, contrastive.

Only these modules import torch, and only when one of the three methods is asked for (the
registry imports a method's module on first use), so ``import embedlab`` and the other methods
never load it. ``methods/torch_support`` (shared with word2vec's PyTorch backend) holds the
one place that imports torch, the error that says how to install it, and the noise draws.
"""
