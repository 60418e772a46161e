"""Scheduled jobs: `prongsai scheduler` runs management commands at their times of day (services.py)."""
