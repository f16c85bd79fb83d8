"""The edges: the service layer shared by the CLI and the web server, settings, the CLI, the FastAPI app."""
