"""The retrieval engine (analytics.retrieval), imported in an order that works.

onnxruntime (the fast encoder's runtime) must be loaded before usearch (imported by
analytics.retrieval): in the other order the process crashes on the next encoder load
(both wheels bundle native libraries). Every module of this app imports the engine from here.
"""

import onnxruntime  # noqa: F401  (first: see above)

from analytics.retrieval import Document, Explanation, Hit, HybridIndex, Passage

__all__ = ["Document", "Explanation", "Hit", "HybridIndex", "Passage"]
