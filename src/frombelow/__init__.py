"""frombelow: democracy from below — councils, delegates, mandates, recall, and a verifiable count."""

__version__ = "0.1.0"
