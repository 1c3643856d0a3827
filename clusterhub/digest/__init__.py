"""One email per person per period gathering events, opportunities, consultations, replies."""
