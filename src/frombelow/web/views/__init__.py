"""Pages: thin views that read through ``queries`` and change things through ``actions``."""
