"""Publicity (公示): batches of approved applications shown masked to the public, and objections."""
