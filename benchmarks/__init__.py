"""Scripts that measure and print the course's speed and memory figures (not tests)."""
