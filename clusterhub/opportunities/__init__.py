"""Financing calls and internationalization opportunities, ranked for each member organization."""
