"""Writers: the model (and the pictures of the media bag) to the bytes of one output. Each is a
function ``write(articles, options, log, media) -> bytes``; the formats table names them."""
