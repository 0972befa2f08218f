"""The HTTP routers of the server, one module each, listed in cckg.server.app."""
