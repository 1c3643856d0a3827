"""Trend detection over dated texts (contributions, project titles and objectives).

Plain Python, no Django: the platform's services turn their rows into ``TrendDocument``s, call
``detect_trends`` and store the ``TrendResult`` (``TrendResult.to_dict()`` is JSON-ready;
``TrendParams.to_dict()`` / ``TrendParams.from_dict()`` round-trip the parameters).

    from analytics.embeddings import get_encoder
    from analytics.trends import TrendDocument, TrendParams, detect_trends

    docs = [TrendDocument(key="project:1", text="Hydrogen storage ...", date=date(2019, 3, 1),
                          groups=("ENERGY",), members=("org:12",))]
    result = detect_trends(docs, encoder=get_encoder("use-m3"), params=TrendParams())
    for topic in result.emerging():
        print(topic.label, topic.growth.rate, topic.growth.q_value)

Method (details, parameters and measured figures in docs/trends.md):

1. Topics, BERTopic-style with scikit-learn (analytics.trends.topics): each text (whitespace
   normalised, cut at ``max_chars``) is embedded by the given multilingual encoder; the
   vectors are reduced by PCA and clustered by k-means into more clusters than wanted;
   clusters whose centroids are nearly identical (cosine >= ``merge_similarity``) are merged;
   the clusters of at least ``min_topic_size`` documents are kept, the largest
   ``max_topics``; documents of the others join their nearest kept topic when close enough,
   else they are outliers (topic -1). A document's membership score is the cosine of its
   vector to its topic's centroid.
2. Labels (analytics.trends.labels): class-based TF-IDF (c-TF-IDF) of words and two-word
   phrases over the documents of each topic, Italian and English stop words removed; the
   label is the first ``label_terms`` terms, skipping repeats ("plastics" after "plastic").
   A topic without any term found in two documents is labelled "topic <id>".
3. Counts: documents (their ``weight``) per topic per period (year or quarter, every period
   from the first to the last date, empty ones included), per group (e.g. cluster code) and
   per member; and the total documents per period (outliers included).
4. Growth (analytics.trends.growth): a binomial GLM of the topic's count out of the period's
   total over the period index (logit link), tested by the likelihood ratio against a
   constant share; when the counts vary more than binomially the statistic is divided by the
   Pearson dispersion and read against F(1, T-2) (quasi-binomial), so that real-world
   overdispersion is not read as a trend. The p-values of all topics of a run are adjusted by
   Benjamini-Hochberg; a topic is ``emerging`` when its adjusted p-value (``q_value``) is
   below ``alpha`` and its slope is positive, ``declining`` when negative, else ``stable``.
   Raw count differences are never used.

Topics of two runs (this quarter, last quarter) are matched by their centroids with
``match_topics`` (same encoder only). ``analytics.trends.cordis`` reads the CORDIS project
files as documents (benchmark, tests).

Interface changes since the first version: none to names or signatures; the default
``merge_similarity`` went from 0.92 to 0.88 (measured on the CORDIS projects: 0.92 left near
duplicate solar, heating and grid topics apart).
"""

from __future__ import annotations

from analytics.trends.growth import Growth, GrowthStatus, adjust_bh, growth_test, growth_tests
from analytics.trends.model import (
    Period,
    TopicDocument,
    TopicMatch,
    TopicTerm,
    TrendDocument,
    TrendParams,
    TrendResult,
    TrendTopic,
    period_label,
    period_range,
)
from analytics.trends.pipeline import ProgressCallback, detect_trends, match_topics

__all__ = [
    "Growth",
    "GrowthStatus",
    "Period",
    "ProgressCallback",
    "TopicDocument",
    "TopicMatch",
    "TopicTerm",
    "TrendDocument",
    "TrendParams",
    "TrendResult",
    "TrendTopic",
    "adjust_bh",
    "detect_trends",
    "growth_test",
    "growth_tests",
    "match_topics",
    "period_label",
    "period_range",
]
