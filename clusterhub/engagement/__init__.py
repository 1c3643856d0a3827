"""Engagement of member organizations: score, status, funnel, re-engagement suggestions."""
