"""The FastAPI service: JSON endpoints and the HTML pages people use."""
