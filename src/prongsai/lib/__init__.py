"""Model-free helpers shared by every app."""
