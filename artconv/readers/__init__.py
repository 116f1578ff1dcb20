"""Readers: bytes in, articles out. Each module has ``read(data, options, log)``."""
