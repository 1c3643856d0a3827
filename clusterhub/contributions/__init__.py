"""Members' contributions: needs, trends, training needs, opportunities; moderation."""
