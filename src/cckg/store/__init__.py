"""Where the graph is kept and queried: the embedded pyoxigraph store and its query workers."""
