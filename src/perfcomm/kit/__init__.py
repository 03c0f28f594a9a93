"""The workshop kit: what an HR facilitator prints and hands out, built from the course data."""
