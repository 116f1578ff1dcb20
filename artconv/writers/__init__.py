"""Writers: articles in, bytes out. Each module has ``write(articles, options, log)``."""
