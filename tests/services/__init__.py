"""Services that tests start on 127.0.0.1 and a free port: the CCKG server, SPARQL engines."""
