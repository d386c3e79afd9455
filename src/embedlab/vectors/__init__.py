"""Word vectors: the ``Embeddings`` container, its file formats, and gensim's vectors."""

from embedlab.vectors.embeddings import Embeddings
from embedlab.vectors.formats import load, save
from embedlab.vectors.keyed import as_vectors, from_gensim

__all__ = ["Embeddings", "as_vectors", "from_gensim", "load", "save"]
