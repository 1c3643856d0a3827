"""Self-assessment of cluster organizations, performance accounts, skills of cluster managers."""
