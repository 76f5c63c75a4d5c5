"""Writing results and ballots out: JSON, a CSV round table, BLT."""
