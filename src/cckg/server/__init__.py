"""The CCKG server: a FastAPI app with the SPARQL 1.1 endpoint and the linked-data routes.

`create_app(settings)` builds it; `cckg serve` runs it with uvicorn.
"""
