"""Word vectors: the ``Embeddings`` container and its file formats."""

from embedlab.vectors.embeddings import Embeddings
from embedlab.vectors.formats import load, save

__all__ = ["Embeddings", "load", "save"]
