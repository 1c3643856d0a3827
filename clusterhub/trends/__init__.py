"""Trend detection runs over contributions and project texts, the trend radar, training needs."""
