"""Reporting: statistics, the public performance pages, satisfaction ratings and the hall's figures."""
