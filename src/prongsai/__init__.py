"""Prongsai (โปร่งใส): an agency's ITA year as data, and the official documents made from it."""

__version__ = "0.1.0"
