"""The web server: a REST API (``api``) and pages over a read-only event store.

``create_app`` (in ``app``) builds the FastAPI application; ``hendelse serve``
runs it with uvicorn. Nothing here fetches anything from the network: the
API documentation at ``/docs`` is rendered by the server itself.
"""
