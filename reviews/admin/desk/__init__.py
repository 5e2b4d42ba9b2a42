"""My work, editions, assignment and the edition timeline."""
